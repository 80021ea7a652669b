import MetaConfig

extension SandboxScenarios {
    public static let pageTokenOtherApp = SandboxScenario(
        name: "page-token-other-app", summary: "The Page token was issued for another app (\"Shop Bot Prototype\")."
    ) { model in
        let token = SandboxIDs.token("SbxPageOtherApp")
        model.tokens[token] = .page(
            SandboxIDs.pageID, appID: SandboxIDs.otherAppID, instagramAccountID: SandboxIDs.instagramAccountID,
            issuedAt: unixNow() - 7 * 86_400)
        model.configured[ConfigKey.pageAccessToken.name] = token
    }
}
