import MetaConfig

extension SandboxScenarios {
    public static let whatsAppNumberPending = SandboxScenario(
        name: "whatsapp-number-pending",
        summary: "The phone number's registration is PENDING: it cannot send or receive yet."
    ) { model in
        model.updatePhoneNumber(SandboxIDs.phoneNumberID) { number in
            number.status = "PENDING"
            number.codeVerificationStatus = "NOT_VERIFIED"
        }
    }
}
