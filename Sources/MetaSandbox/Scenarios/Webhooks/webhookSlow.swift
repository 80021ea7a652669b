import MetaConfig

extension SandboxScenarios {
    public static let webhookSlow = backend(
        "webhook-slow", "The backend answers verification after 6 s.", .slow)
}
