import MetaConfig

extension SandboxScenarios {
    public static let webhookChecksNoSignature = backend(
        "webhook-checks-no-signature", "The backend checks no signature: it accepts every event.", .checksNoSignature)
}
