import MetaConfig

extension SandboxScenarios {
    public static let instagramNotLinked = SandboxScenario(
        name: "instagram-not-linked", summary: "The Page has no linked Instagram professional account."
    ) { model in
        model.pages[SandboxIDs.pageID]?.instagramAccountID = nil
    }
}
