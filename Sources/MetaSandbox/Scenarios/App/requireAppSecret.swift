import MetaConfig

extension SandboxScenarios {
    /// Passes: the client sends a correct appsecret_proof with every user, Page and system-user call.
    public static let requireAppSecret = SandboxScenario(
        name: "require-app-secret", summary: "The app has \"Require App Secret\" on; calls must carry appsecret_proof."
    ) { model in
        model.apps[SandboxIDs.appID]?.requireAppSecretProof = true
    }
}
