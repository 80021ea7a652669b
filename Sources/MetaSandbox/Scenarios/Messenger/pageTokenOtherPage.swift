import MetaConfig

extension SandboxScenarios {
    public static let pageTokenOtherPage = SandboxScenario(
        name: "page-token-other-page", summary: "META_PAGE_ACCESS_TOKEN is the token of another Page (\"Other Page\")."
    ) { model in
        let token = SandboxIDs.token("SbxOtherPage")
        model.tokens[token] = .page(
            SandboxIDs.otherPageID, appID: SandboxIDs.appID, instagramAccountID: nil, issuedAt: unixNow() - 7 * 86_400)
        model.configured[ConfigKey.pageAccessToken.name] = token
    }
}
