import MetaConfig

extension SandboxScenarios {
    /// The free static domain every ngrok account has (MB-W13).
    static let ngrokDevDomainURL = "https://shop-bot-dev.ngrok-free.dev"

    public static let ngrokBrowserWarning = SandboxScenario(
        name: "ngrok-browser-warning",
        summary: "A free ngrok plan on the account's static ngrok-free.dev domain: browser-like requests get the warning page (ERR_NGROK_6024).",
        webhook: WebhookSetup(behavior: .ngrokBrowserWarning, ngrokAgent: .serving([ngrokDevDomainURL]))
    ) { useWebhookBase(ngrokDevDomainURL, in: &$0) }
}
