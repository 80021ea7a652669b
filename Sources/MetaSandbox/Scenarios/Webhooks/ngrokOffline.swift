import MetaConfig

extension SandboxScenarios {
    public static let ngrokOffline = SandboxScenario(
        name: "ngrok-offline", summary: "ngrok is not running: its edge answers ERR_NGROK_3200.",
        webhook: WebhookSetup(behavior: .ngrokError("ERR_NGROK_3200"), ngrokAgent: .notRunning)
    ) { useWebhookBase(ngrokURL, in: &$0) }
}
