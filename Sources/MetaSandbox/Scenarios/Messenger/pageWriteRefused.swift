import MetaConfig

extension SandboxScenarios {
    /// The Page is not subscribed, and the person behind the Page token cannot moderate the Page, so
    /// Meta refuses the subscription write although every read passes (MB-G8).
    public static let pageWriteRefused = SandboxScenario(
        name: "page-write-refused",
        summary: "The app is not subscribed to the Page, and the Page token's person lacks the MODERATE task to subscribe it."
    ) { model in
        model.pages[SandboxIDs.pageID]?.subscribedApps = [:]
        model.tokens[SandboxIDs.pageToken]?.canModeratePage = false
    }
}
