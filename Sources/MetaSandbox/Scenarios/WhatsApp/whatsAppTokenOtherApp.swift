import MetaConfig

extension SandboxScenarios {
    public static let whatsAppTokenOtherApp = SandboxScenario(
        name: "whatsapp-token-other-app",
        summary: "The system-user token was generated for another app (\"Shop Bot Prototype\")."
    ) { model in
        model.tokens[SandboxIDs.systemUserToken]?.appID = SandboxIDs.otherAppID
    }
}
