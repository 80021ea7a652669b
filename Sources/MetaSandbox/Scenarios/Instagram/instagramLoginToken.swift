import MetaConfig

extension SandboxScenarios {
    public static let instagramLoginToken = SandboxScenario(
        name: "instagram-login-token",
        summary: "INSTAGRAM_ACCESS_TOKEN is an Instagram-Login token (IGAA…) from the dashboard's Instagram tab."
    ) { model in
        model.configured[ConfigKey.instagramAccessToken.name] = "IGAA" + "SbxInstagramLogin" + SandboxIDs.hex("ig-login", 64)
    }
}
