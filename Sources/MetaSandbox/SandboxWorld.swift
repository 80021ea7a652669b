import Foundation
import MetaConfig

/// A scenario's whole world on loopback: the Graph API emulator, a webhook backend over real TLS
/// with a certificate from a CA made for the run, and, where the scenario says, a local ngrok
/// agent. `check` reaches the backend under the scenario's real host name through `--connect-to`
/// and trusts the CA through `--ca-file`, as a user would point it at a staging server.
public final class SandboxWorld: Sendable {
    public let graph: GraphSandbox
    public let webhook: WebhookBackend
    public let ngrok: NgrokAgent?
    /// The CA's PEM file (`--ca-file`).
    public let caFile: String
    /// The webhook host and port the scenario's URLs name.
    public let webhookHost: String
    public let webhookPort: Int

    /// Where nothing listens: the agent API of a scenario whose ngrok agent is not running.
    public static let closedAgentAPI = "http://127.0.0.1:9"

    public static func start(scenario: SandboxScenario, faults: [SandboxFault] = [], graphPort: Int = 0) async throws -> SandboxWorld {
        // Meta verifies a subscription's callback during the write (MB-G28): the Graph sandbox reaches
        // the world's backend as Meta would, once it listens.
        let callbacks = LateCallbacks()
        let graph = try await GraphSandbox.start(scenario: scenario, faults: faults, port: graphPort, callbacks: callbacks)
        let configured = graph.model.configured
        let base = configured[ConfigKey.webhookBaseURL.name] ?? "https://shop-bot.example.com"
        let setup = scenario.webhook
        guard let components = URLComponents(string: base), let host = setup.host ?? components.host else {
            await graph.stop()
            throw SandboxStartError(message: "the scenario's WEBHOOK_BASE_URL \(base) has no host")
        }
        // The backend verifies events with the app's real secret, as a deployed backend would.
        let appID = configured[ConfigKey.appID.name] ?? ""
        let backendSecret = graph.model.apps[appID]?.secret ?? configured[ConfigKey.appSecret.name] ?? ""
        let pki = try SandboxPKI()
        let caFile = try pki.writeCAFile()
        let webhook: WebhookBackend
        do {
            webhook = try await WebhookBackend.start(
                host: host, behavior: setup.behavior, certificate: setup.certificate, pki: pki,
                appSecret: backendSecret, verifyToken: configured[ConfigKey.verifyToken.name] ?? "",
                latency: setup.latency)
        } catch {
            await graph.stop()
            throw error
        }
        callbacks.bind(
            WorldCallbacks(host: host, port: components.port ?? 443, backendPort: webhook.port, caPEM: try pki.caPEM()))
        var ngrok: NgrokAgent?
        if case .serving(let urls) = setup.ngrokAgent {
            ngrok = try await NgrokAgent.start(
                tunnels: urls.map { NgrokAgent.Tunnel(publicURL: $0, forwardsTo: "http://localhost:8080") })
        }
        return SandboxWorld(
            graph: graph, webhook: webhook, ngrok: ngrok, caFile: caFile, webhookHost: host, webhookPort: components.port ?? 443)
    }

    private init(graph: GraphSandbox, webhook: WebhookBackend, ngrok: NgrokAgent?, caFile: String, webhookHost: String, webhookPort: Int) {
        self.graph = graph
        self.webhook = webhook
        self.ngrok = ngrok
        self.caFile = caFile
        self.webhookHost = webhookHost
        self.webhookPort = webhookPort
    }

    /// The scenario's .env, pointed at the Graph emulator.
    public func environment() -> [String: String] { graph.environment() }

    /// `--connect-to` rules that send the webhook host to the backend.
    public var connectTo: [String] { ["\(webhookHost):\(webhookPort):127.0.0.1:\(webhook.port)"] }

    /// `--ngrok-api`.
    public var ngrokAPI: String { ngrok?.apiURL ?? Self.closedAgentAPI }

    public func stop() async {
        await graph.stop()
        await webhook.stop()
        await ngrok?.stop()
        try? FileManager.default.removeItem(atPath: caFile)
    }
}
