import MetaConfig

extension SandboxScenarios {
    /// A number added to the WABA but never registered for the Cloud API: platform_type
    /// NOT_APPLICABLE, and health BLOCKED with error 141000 as a recorded reply shows (MB-G11, MB-G14).
    public static let whatsAppNumberNotRegistered = SandboxScenario(
        name: "whatsapp-number-not-registered",
        summary: "The phone number was added in WhatsApp Manager but never registered for the Cloud API (POST /register)."
    ) { model in
        model.updatePhoneNumber(SandboxIDs.phoneNumberID) { number in
            number.platformType = "NOT_APPLICABLE"
            number.status = "DISCONNECTED"
            number.health = HealthRecord(
                canSendMessage: "BLOCKED",
                errors: [
                    HealthError(
                        errorCode: 141000,
                        errorDescription: "The phone number you are trying to send messages from is not linked to your WhatsApp account.",
                        possibleSolution: "Register and finish the OTP authentication process for your phone number.")
                ])
        }
    }
}
