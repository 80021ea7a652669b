import MetaConfig

extension SandboxScenarios {
    public static let whatsAppTokenOtherApp = SandboxScenario(
        name: "whatsapp-token-other-app",
        summary: "The system-user token was generated for another app (\"Shop Bot Prototype\").",
        expectedRootCause: "whatsapp.token", expectedStatus: "fail"
    ) { model in
        model.tokens[SandboxIDs.systemUserToken]?.appID = SandboxIDs.otherAppID
    }
}
