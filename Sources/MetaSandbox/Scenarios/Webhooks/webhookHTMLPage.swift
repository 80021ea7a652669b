import MetaConfig

extension SandboxScenarios {
    public static let webhookHTMLPage = backend(
        "webhook-html-page", "An HTML page answers instead of the webhook handler.", .htmlPage)
}
