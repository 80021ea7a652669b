import MetaConfig

extension SandboxScenarios {
    /// The daily pain of local development: ngrok restarted with a new URL, which serves the backend,
    /// while the configuration and the app's subscriptions still name yesterday's.
    public static let ngrokNewURL = SandboxScenario(
        name: "ngrok-new-url",
        summary: "ngrok now serves the backend at a new URL; WEBHOOK_BASE_URL and the app's callbacks still name the old one.",
        webhook: WebhookSetup(ngrokAgent: .serving([ngrokRestartedURL]), host: "ef567890.ngrok-free.app")
    ) { useWebhookBase(ngrokURL, in: &$0) }

    /// The URL ngrok serves after its restart.
    static let ngrokRestartedURL = "https://ef567890.ngrok-free.app"
}
