import MetaConfig

extension SandboxScenarios {
    public static let instagramLinkedOtherAccount = SandboxScenario(
        name: "instagram-linked-other-account",
        summary: "The Page is linked to another Instagram account than INSTAGRAM_ACCOUNT_ID."
    ) { model in
        model.pages[SandboxIDs.pageID]?.instagramAccountID = SandboxIDs.otherInstagramAccountID
    }
}
