import MetaConfig

extension SandboxScenarios {
    public static let instagramLoginPageToken = SandboxScenario(
        name: "instagram-login-page-token",
        summary: "INSTAGRAM_API=instagram-login, but INSTAGRAM_ACCESS_TOKEN is the Facebook Page token."
    ) { model in
        model.configured[ConfigKey.instagramAPI.name] = "instagram-login"
        model.configured[ConfigKey.instagramAccessToken.name] = SandboxIDs.pageToken
    }
}
