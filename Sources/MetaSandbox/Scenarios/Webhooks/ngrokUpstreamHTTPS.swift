import MetaConfig

extension SandboxScenarios {
    public static let ngrokUpstreamHTTPS = SandboxScenario(
        name: "ngrok-upstream-https", summary: "ngrok forwards to a local server that speaks HTTPS (ERR_NGROK_3004).",
        webhook: WebhookSetup(behavior: .ngrokError("ERR_NGROK_3004"), ngrokAgent: .serving([ngrokURL]))
    ) { useWebhookBase(ngrokURL, in: &$0) }
}
