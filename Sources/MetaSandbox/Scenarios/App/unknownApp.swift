import MetaConfig

extension SandboxScenarios {
    public static let unknownApp = SandboxScenario(
        name: "unknown-app", summary: "META_APP_ID names no Meta app (a typo, or a Page or business id)."
    ) { model in
        model.configured[ConfigKey.appID.name] = "1201000000009999"
    }
}
