import MetaConfig

extension SandboxScenarios {
    public static let webhookChecksOnlySHA1 = backend(
        "webhook-checks-only-sha1", "The backend checks only the legacy X-Hub-Signature (sha1).", .checksOnlySHA1)
}
