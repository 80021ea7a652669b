import MetaConfig

extension SandboxScenarios {
    public static let webhookRejectsValidSignatures = backend(
        "webhook-rejects-valid-signatures", "The backend checks signatures with another key than the app secret.",
        .rejectsValidSignatures)
}
