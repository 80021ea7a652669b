import MetaConfig

extension SandboxScenarios {
    /// The app has "Require App Secret" on: every user, Page and system-user call must carry a correct appsecret_proof.
    public static let requireAppSecret = SandboxScenario(
        name: "require-app-secret", summary: "The app has \"Require App Secret\" on; calls must carry appsecret_proof."
    ) { model in
        model.apps[SandboxIDs.appID]?.requireAppSecretProof = true
    }
}
