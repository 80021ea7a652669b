import MetaConfig

extension SandboxScenarios {
    public static let whatsAppOtherWABATarget = SandboxScenario(
        name: "whatsapp-other-waba-target",
        summary: "The system user is assigned another WABA, not WHATSAPP_BUSINESS_ACCOUNT_ID."
    ) { model in
        model.tokens[SandboxIDs.systemUserToken]?.setTargets([SandboxIDs.otherWABAID])
    }
}
