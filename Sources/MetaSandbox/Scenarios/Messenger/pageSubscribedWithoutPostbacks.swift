import MetaConfig

extension SandboxScenarios {
    public static let pageSubscribedWithoutPostbacks = SandboxScenario(
        name: "page-subscribed-without-postbacks",
        summary: "The Page subscription has messages but not messaging_postbacks, so button taps never arrive."
    ) { model in
        model.pages[SandboxIDs.pageID]?.subscribedApps[SandboxIDs.appID] = ["messages"]
    }
}
