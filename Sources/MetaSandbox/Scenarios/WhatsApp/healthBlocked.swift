import MetaConfig

extension SandboxScenarios {
    public static let healthBlocked = SandboxScenario(
        name: "health-blocked", summary: "The WABA is BLOCKED: its payment method failed."
    ) { model in
        // MB-G14: 141006 is a recorded value; the possible_solution wording is the sandbox's.
        model.wabas[SandboxIDs.wabaID]?.health = HealthRecord(
            canSendMessage: "BLOCKED",
            errors: [
                HealthError(
                    errorCode: 141006, errorDescription: "There is an error with the payment method.",
                    possibleSolution: "Add a valid payment method or fix the current one in WhatsApp Manager > Payment settings.")
            ])
    }
}
