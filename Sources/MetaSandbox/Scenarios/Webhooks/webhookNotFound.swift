import MetaConfig

extension SandboxScenarios {
    public static let webhookNotFound = backend(
        "webhook-not-found", "The backend serves nothing at the webhook path (404).", .notFound)
}
