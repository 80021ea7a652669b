import DoctorKit
import Foundation
import MetaConfig
import MetaGraph

/// `tunnel.ngrok`: when a webhook URL is an ngrok URL, the local ngrok agent serves that URL.
/// The usual break: ngrok restarted and its random URL changed, while Meta still calls the old one.
/// Reads the agent's tunnel list (MB-W10).
public struct NgrokTunnelCheck: MetaProbe {
    public static let id: CheckID = "tunnel.ngrok"

    public let description = CheckDescription(
        id: NgrokTunnelCheck.id,
        title: "The ngrok tunnel serves the webhook URL",
        prerequisites: [ConfigCheck.id],
        guideStep: GuideSteps.ngrok,
        summary: """
            Applies when a webhook host is an ngrok domain. Asks the local ngrok agent (--ngrok-api, default \
            http://127.0.0.1:4040) for its tunnels: one must serve the webhook origin. Another URL fails (ngrok \
            restarted with a new URL); an unreachable agent warns (the tunnel may run elsewhere).
            """,
        calls: ["GET {ngrok-api}/api/tunnels"],
        remediation: """
        Start ngrok with the webhook's domain (ngrok http --url=YOUR-DOMAIN PORT; every account has a free static one on \
        ngrok-free.dev), or update the webhook URL to the one ngrok serves.
        """
    )

    public init() {}

    struct TunnelList: Decodable {
        struct Tunnel: Decodable {
            struct Config: Decodable { let addr: String? }
            let name: String?
            let publicURL: String
            let config: Config?
            enum CodingKeys: String, CodingKey {
                case name, config
                case publicURL = "public_url"
            }
        }
        let tunnels: [Tunnel]
    }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        let ngrokOrigins = Set(
            Platform.allCases.filter(environment.enabledPlatforms.contains)
                .compactMap { configuration.webhookURL(for: $0).flatMap(URLParts.init) }
                .filter { WebhookRequests.isNgrokHost($0.host) }.map(\.origin))
        guard !ngrokOrigins.isEmpty else { return .notApplicable("No webhook URL is on an ngrok domain.") }
        let endpoint = environment.ngrokAPI.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/api/tunnels"
        var evidence: Evidence = ["agentApi": .string(endpoint), "webhookOrigins": .strings(ngrokOrigins.sorted())]
        let response: HTTPResponse
        do {
            response = try await environment.webTransport.send(
                HTTPRequest(url: endpoint, headers: [("Accept", "application/json")], timeout: .seconds(3), maxBodyBytes: 1 << 20))
        } catch {
            return .warn(
                "The ngrok agent API at \(endpoint) \(WebhookRequests.failure(error)): cannot confirm the tunnel; it may run on another machine.",
                evidence: evidence,
                action: "If ngrok runs here, point --ngrok-api at its web interface (web_addr); otherwise check the tunnel on the machine that runs it.")
        }
        guard response.status == 200, let list = try? JSONDecoder().decode(TunnelList.self, from: Data(response.body)) else {
            return .warn(
                "\(endpoint) answered HTTP \(response.status) with \(WebhookRequests.preview(response)), not ngrok's tunnel list.",
                evidence: evidence, action: "Check that --ngrok-api points at the ngrok agent's web interface.")
        }
        let served = list.tunnels.compactMap { tunnel in URLParts(tunnel.publicURL).map { ($0.origin, tunnel) } }
        evidence["tunnels"] = .strings(served.map { "\($0.0) -> \($0.1.config?.addr ?? "?")" })
        let missing = ngrokOrigins.filter { origin in !served.contains { $0.0 == origin } }
        if !missing.isEmpty {
            let servedList = served.isEmpty ? "no tunnel" : served.map(\.0).joined(separator: ", ")
            let httpsOrigins = Set(served.map(\.0).filter { $0.hasPrefix("https://") })
            if httpsOrigins.count == 1, let current = httpsOrigins.first {
                let (repairs, changes) = await Self.moves(to: current, from: missing, environment, context)
                var facts = Facts().with(RepairFact.self, repairs)
                if !changes.isEmpty { facts = facts.with(ConfigChangeFact.self, changes) }
                var result = ProbeResult.fail(
                    "ngrok serves \(servedList), not \(missing.sorted().joined(separator: ", ")): the URL changed when ngrok restarted.",
                    evidence: evidence,
                    action: """
                        Update WEBHOOK_BASE_URL and the callback URL in your app's webhook settings to \(current) \
                        (meta-doctor fix plans both). To stop this recurring, use your account's free static domain: every ngrok \
                        account has one on ngrok-free.dev that survives restarts (ngrok http --url=YOUR-NAME.ngrok-free.dev PORT).
                        """)
                result.facts = facts
                return result
            }
            return .fail(
                "ngrok serves \(servedList), not \(missing.sorted().joined(separator: ", ")): the URL changed when ngrok restarted.",
                evidence: evidence,
                action: """
                    Update WEBHOOK_BASE_URL and the callback URL in your app's webhook settings to \(served.first?.0 ?? "the URL ngrok prints"). \
                    To stop this recurring, use your account's free static domain: every ngrok account has one on ngrok-free.dev \
                    that survives restarts (ngrok http --url=YOUR-NAME.ngrok-free.dev PORT).
                    """)
        }
        let forwards = served.filter { ngrokOrigins.contains($0.0) }.map { "\($0.0) -> \($0.1.config?.addr ?? "?")" }
        return .pass("ngrok serves the webhook: \(forwards.joined(separator: ", ")).", evidence: evidence)
    }

    /// What moves the webhooks from the stale ngrok origins to the one the agent serves now: each app
    /// subscription whose callback is on a stale origin, to the same path on the new one (its fields
    /// kept), and the configuration values that name a stale origin. Meta's verification of the new
    /// callback during the write is the test, since the webhook checks could not run on the old URL.
    static func moves(
        to current: String, from stale: Set<String>, _ environment: ProbeEnvironment, _ context: CheckContext
    ) async -> ([Repair], [ConfigChange]) {
        let configuration = environment.configuration
        func moved(_ url: String) -> String? {
            guard let parts = URLParts(url), stale.contains(parts.origin) else { return nil }
            return current + (parts.pathAndQuery == "/" && !url.hasSuffix("/") ? "" : parts.pathAndQuery)
        }
        var repairs: [Repair] = []
        if let appID = configuration.appID,
            let subscriptions = try? await environment.graph.read(GraphCalls.appSubscriptions(appID), by: context.deadline)
        {
            for platform in Platform.allCases where environment.enabledPlatforms.contains(platform) {
                let object = AppSubscriptionsCheck.requirement(for: platform).object
                guard let subscription = subscriptions.first(where: { $0.object == object }), let old = subscription.callbackURL,
                    let new = moved(old)
                else { continue }
                repairs.append(
                    Repair(
                        GraphCalls.subscribeApp(appID, object: object, callbackURL: new, fields: (subscription.fields ?? []).map(\.name)),
                        change: "'\(object)' callback: \(old) → \(new)",
                        note: "The webhook checks could not run on the old URL: Meta's verification of \(new) during this call is the test."))
            }
        }
        let keys: [ConfigKey] = [.webhookBaseURL, .messengerWebhookURL, .whatsappWebhookURL, .instagramWebhookURL]
        let changes = keys.compactMap { key -> ConfigChange? in
            guard let value = configuration.values[key], let new = moved(value.value) else { return nil }
            return ConfigChange.replacing(key, with: new, in: configuration)
        }
        return (repairs, changes)
    }
}
