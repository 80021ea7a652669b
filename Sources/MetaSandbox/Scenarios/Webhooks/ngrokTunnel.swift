import MetaConfig

extension SandboxScenarios {
    public static let ngrokTunnel = SandboxScenario(
        name: "ngrok-tunnel", summary: "Development through an ngrok tunnel, set up correctly.",
        webhook: WebhookSetup(ngrokAgent: .serving([ngrokURL]))
    ) { useWebhookBase(ngrokURL, in: &$0) }
}
