import MetaConfig

extension SandboxScenarios {
    public static let instagramLoginExpired = SandboxScenario(
        name: "instagram-login-expired",
        summary: "INSTAGRAM_API=instagram-login, but the 60-day Instagram User token expired yesterday."
    ) { model in
        let token = useInstagramLogin(account: SandboxIDs.instagramAccountID, in: &model)
        model.tokens[token]?.issuedAt = unixNow() - 61 * 86_400
        model.tokens[token]?.expiresAt = unixNow() - 86_400
    }
}
