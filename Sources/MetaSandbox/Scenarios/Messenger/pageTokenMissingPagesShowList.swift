import MetaConfig

extension SandboxScenarios {
    /// MB-G8: without pages_show_list the Page's subscribed_apps cannot be read or changed.
    public static let pageTokenMissingPagesShowList = SandboxScenario(
        name: "page-token-missing-pages-show-list", summary: "The Page token was generated without pages_show_list."
    ) { model in
        model.tokens[SandboxIDs.pageToken]?.removeScope("pages_show_list")
    }
}
