import MetaConfig

extension SandboxScenarios {
    public static let appIDIsPageID = SandboxScenario(
        name: "app-id-is-page-id", summary: "META_APP_ID holds the Page id, the number the Page's About section shows."
    ) { model in
        model.configured[ConfigKey.appID.name] = SandboxIDs.pageID
    }
}
