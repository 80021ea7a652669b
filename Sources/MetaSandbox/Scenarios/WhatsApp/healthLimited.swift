import MetaConfig

extension SandboxScenarios {
    public static let healthLimited = SandboxScenario(
        name: "health-limited",
        summary: "The phone number is LIMITED: its display name is still pending review."
    ) { model in
        // MB-G14: Meta's sample LIMITED entity and its additional_info.
        model.updatePhoneNumber(SandboxIDs.phoneNumberID) { number in
            number.nameStatus = "PENDING_REVIEW"
            number.health = HealthRecord(
                canSendMessage: "LIMITED",
                additionalInfo: [
                    "Your display name has not been approved yet. Your message limit will increase after the display name is approved."
                ])
        }
    }
}
