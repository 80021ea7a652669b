import MetaConfig

extension SandboxScenarios {
    public static let webhookAcceptsAnyVerifyToken = backend(
        "webhook-accepts-any-verify-token", "The backend echoes the challenge for any verify token.", .acceptsAnyVerifyToken)
}
