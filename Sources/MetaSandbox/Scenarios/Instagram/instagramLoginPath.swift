import MetaConfig

extension SandboxScenarios {
    /// The backend uses the Instagram API with Instagram Login, and says so.
    public static let instagramLoginPath = SandboxScenario(
        name: "instagram-login-path",
        summary: "INSTAGRAM_API=instagram-login with a valid Instagram User token (IGAA…) of the configured account."
    ) { model in
        useInstagramLogin(account: SandboxIDs.instagramAccountID, in: &model)
    }
}
