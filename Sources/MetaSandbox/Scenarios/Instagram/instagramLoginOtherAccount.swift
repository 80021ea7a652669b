import MetaConfig

extension SandboxScenarios {
    public static let instagramLoginOtherAccount = SandboxScenario(
        name: "instagram-login-other-account",
        summary: "INSTAGRAM_API=instagram-login, but the token was generated for another Instagram account."
    ) { model in
        useInstagramLogin(account: SandboxIDs.otherInstagramAccountID, in: &model)
    }
}
