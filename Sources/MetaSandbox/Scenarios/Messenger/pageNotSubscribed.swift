import MetaConfig

extension SandboxScenarios {
    public static let pageNotSubscribed = SandboxScenario(
        name: "page-not-subscribed", summary: "The app is not subscribed to the Page, so no Messenger event arrives."
    ) { model in
        model.pages[SandboxIDs.pageID]?.subscribedApps = [:]
    }
}
