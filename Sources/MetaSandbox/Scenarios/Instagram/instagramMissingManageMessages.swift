import MetaConfig

extension SandboxScenarios {
    /// Messenger stays green: Instagram gets its own Page token, a second one of the same Page.
    public static let instagramMissingManageMessages = SandboxScenario(
        name: "instagram-missing-manage-messages",
        summary: "INSTAGRAM_ACCESS_TOKEN is a Page token without instagram_manage_messages."
    ) { model in
        let token = SandboxIDs.token("SbxPageNoInstagramMessages")
        var record = TokenRecord.page(
            SandboxIDs.pageID, appID: SandboxIDs.appID, instagramAccountID: SandboxIDs.instagramAccountID,
            issuedAt: unixNow() - 86_400)
        record.removeScope("instagram_manage_messages")
        model.tokens[token] = record
        model.configured[ConfigKey.instagramAccessToken.name] = token
    }
}
