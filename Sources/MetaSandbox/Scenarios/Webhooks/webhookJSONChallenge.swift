import MetaConfig

extension SandboxScenarios {
    public static let webhookJSONChallenge = backend(
        "webhook-json-challenge", "The backend answers the challenge as JSON.", .jsonChallenge)
}
