import MetaConfig

extension SandboxScenarios {
    public static let badSecret = SandboxScenario(
        name: "bad-secret", summary: "META_APP_SECRET is not the app's secret (it was reset, or belongs to another app)."
    ) { model in
        model.configured[ConfigKey.appSecret.name] = "sandbox-app-secret-" + SandboxIDs.hex("secret-before-reset", 32)
    }
}
