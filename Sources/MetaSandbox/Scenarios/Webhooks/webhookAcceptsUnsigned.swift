import MetaConfig

extension SandboxScenarios {
    public static let webhookAcceptsUnsigned = backend(
        "webhook-accepts-unsigned", "The backend accepts events without a signature.", .acceptsUnsigned)
}
