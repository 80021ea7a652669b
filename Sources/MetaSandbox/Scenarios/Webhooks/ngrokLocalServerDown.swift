import MetaConfig

extension SandboxScenarios {
    public static let ngrokLocalServerDown = SandboxScenario(
        name: "ngrok-local-server-down", summary: "ngrok runs, but the local server behind it is down (ERR_NGROK_8012).",
        webhook: WebhookSetup(behavior: .ngrokError("ERR_NGROK_8012"), ngrokAgent: .serving([ngrokURL]))
    ) { useWebhookBase(ngrokURL, in: &$0) }
}
