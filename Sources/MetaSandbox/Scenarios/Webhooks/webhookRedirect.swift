import MetaConfig

extension SandboxScenarios {
    public static let webhookRedirect = backend(
        "webhook-redirect", "The webhook URL redirects; Meta does not follow redirects.", .redirect)
}
