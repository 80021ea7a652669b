import MetaConfig

extension SandboxScenarios {
    public static let pageTokenMissingPagesMessaging = SandboxScenario(
        name: "page-token-missing-pages-messaging", summary: "The Page token was generated without pages_messaging."
    ) { model in
        model.tokens[SandboxIDs.pageToken]?.removeScope("pages_messaging")
    }
}
