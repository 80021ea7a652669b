import MetaConfig

extension SandboxScenarios {
    /// Meta's test number, with the field values of a recorded real reply (docs/meta-behaviour.md
    /// MB-G12), sends messages although it reads SANDBOX, DISCONNECTED and NOT_VERIFIED.
    public static let whatsAppTestNumber = SandboxScenario(
        name: "whatsapp-test-number",
        summary: "WHATSAPP_PHONE_NUMBER_ID is Meta's test number (API Setup's \"Test Number\"), which works."
    ) { model in
        model.updatePhoneNumber(SandboxIDs.phoneNumberID) { number in
            number.verifiedName = "Test Number"
            number.displayPhoneNumber = "+1 555-093-4873"
            number.accountMode = "SANDBOX"
            number.status = "DISCONNECTED"
            number.codeVerificationStatus = "NOT_VERIFIED"
            number.nameStatus = "AVAILABLE_WITHOUT_REVIEW"
            number.messagingLimitTier = "TIER_250"
        }
    }
}
