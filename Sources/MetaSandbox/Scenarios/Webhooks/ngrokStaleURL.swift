import MetaConfig

extension SandboxScenarios {
    public static let ngrokStaleURL = SandboxScenario(
        name: "ngrok-stale-url", summary: "ngrok restarted with a new URL; the configuration still names the old one.",
        webhook: WebhookSetup(behavior: .ngrokError("ERR_NGROK_3200"), ngrokAgent: .serving(["https://ef567890.ngrok-free.app"]))
    ) { useWebhookBase(ngrokURL, in: &$0) }
}
