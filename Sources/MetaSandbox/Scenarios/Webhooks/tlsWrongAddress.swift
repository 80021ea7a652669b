import MetaConfig

extension SandboxScenarios {
    /// An address from TEST-NET-3 (RFC 5737): the sandbox reaches it through --connect-to.
    static let webhookIPAddressURL = "https://203.0.113.10"

    public static let tlsWrongAddress = SandboxScenario(
        name: "tls-wrong-address",
        summary: "The webhook URL names the server by IP address; its certificate, from a trusted CA, covers a host name and another address.",
        webhook: WebhookSetup(certificate: .wrongAddress)
    ) { useWebhookBase(webhookIPAddressURL, in: &$0) }
}
