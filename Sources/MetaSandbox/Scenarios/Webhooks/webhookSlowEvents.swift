import MetaConfig

extension SandboxScenarios {
    public static let webhookSlowEvents = backend(
        "webhook-slow-events", "The backend takes 1.5 s to answer events.", .slowEvents)
}
