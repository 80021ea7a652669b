/// What stands behind a scenario's webhook URL: the backend's behaviour, its certificate, and the
/// local ngrok agent. The host is the one of the scenario's WEBHOOK_BASE_URL.
public struct WebhookSetup: Sendable {
    public enum NgrokAgentState: Sendable, Equatable {
        /// No agent answers on the agent API port.
        case notRunning
        /// The agent lists tunnels with these public URLs.
        case serving([String])
    }

    public var behavior: WebhookBehavior
    public var certificate: SandboxPKI.Variant
    public var ngrokAgent: NgrokAgentState
    /// Added before every answer (benchmarks model a distant backend with it).
    public var latency: Duration
    /// The host the backend serves, when it is not WEBHOOK_BASE_URL's (ngrok's new URL, say).
    public var host: String?

    public init(
        behavior: WebhookBehavior = .correct, certificate: SandboxPKI.Variant = .valid, ngrokAgent: NgrokAgentState = .notRunning,
        latency: Duration = .zero, host: String? = nil
    ) {
        self.host = host
        self.behavior = behavior
        self.certificate = certificate
        self.ngrokAgent = ngrokAgent
        self.latency = latency
    }

    /// A correct backend with a valid certificate, no ngrok.
    public static let standard = WebhookSetup()
}
