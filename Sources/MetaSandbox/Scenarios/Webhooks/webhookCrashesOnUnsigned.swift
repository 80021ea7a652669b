import MetaConfig

extension SandboxScenarios {
    public static let webhookCrashesOnUnsigned = backend(
        "webhook-crashes-on-unsigned",
        "The backend checks X-Hub-Signature-256, but an event without it crashes the handler (HTTP 500).", .crashesOnUnsigned)
}
