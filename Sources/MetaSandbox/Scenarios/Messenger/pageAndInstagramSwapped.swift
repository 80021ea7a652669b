import MetaConfig

extension SandboxScenarios {
    public static let pageAndInstagramSwapped = SandboxScenario(
        name: "page-and-instagram-swapped",
        summary: "META_PAGE_ID holds the linked Instagram account's id and INSTAGRAM_ACCOUNT_ID the Page's."
    ) { model in
        model.configured[ConfigKey.pageID.name] = SandboxIDs.instagramAccountID
        model.configured[ConfigKey.instagramAccountID.name] = SandboxIDs.pageID
    }
}
