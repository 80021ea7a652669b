import MetaConfig

extension SandboxScenarios {
    static let instagramGroup = [
        instagramLoginToken, instagramMissingManageMessages, instagramNotLinked, instagramLinkedOtherAccount,
        instagramLoginPath, instagramLoginPageToken, instagramLoginOtherAccount, instagramLoginExpired,
    ]

    /// Declares the Instagram-Login path with a fresh Instagram User token of `account`; returns the token.
    @discardableResult
    static func useInstagramLogin(account: String, in model: inout IntegrationModel) -> String {
        let token = "IGAA" + "SbxInstagramUser" + SandboxIDs.hex("ig-user-\(account)", 64)
        model.tokens[token] = .instagramLogin(accountID: account, appID: SandboxIDs.appID, issuedAt: unixNow() - 86_400)
        model.configured[ConfigKey.instagramAPI.name] = "instagram-login"
        model.configured[ConfigKey.instagramAccessToken.name] = token
        return token
    }
}
