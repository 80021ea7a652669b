import Crypto
import DoctorKit
import Foundation
import MetaConfig
import MetaGraph
import MetaSandbox
import Testing

/// The webhook rows of docs/meta-behaviour.md (MB-W…), checked against shapes written from their
/// sources. The webhook backends are the user's servers, not Meta: here the shapes are what the
/// doctor sends (it must send only what Meta sends) and what the sandbox's ngrok answers.
extension SandboxRuns {
@Suite("Webhook requests are Meta's; the sandbox's ngrok answers as ngrok documents")
struct WebhookBehaviourTests {
    /// A sandbox world's webhook backend, reached as the scenario's host names it.
    static func transport(for world: SandboxWorld) throws -> AHCTransport {
        let rule = ConnectTo(host: world.webhookHost, port: world.webhookPort, targetHost: "127.0.0.1", targetPort: world.webhook.port)
        return try AHCTransport(settings: .init(caFile: world.caFile, connectTo: [rule]))
    }

    static func query(_ request: ReceivedWebhookRequest) -> [String: String] {
        let items = URLComponents(string: "https://host/?" + (request.query ?? ""))?.queryItems ?? []
        return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    static func header(_ name: String, of request: ReceivedWebhookRequest) -> String? {
        request.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test("MB-W1, MB-W2: every GET is Meta's verification request; nothing else but event POSTs is sent")
    func onlyMetaRequests() async throws {
        let scenario = try #require(SandboxScenarios.named("webhook-silent-without-hub-parameters"))
        let (report, _, configuration, received) = try await runScenario(scenario)
        let token = try #require(configuration.verifyToken?.exposedValue)
        #expect(!received.isEmpty)
        for request in received {
            #expect(["GET", "POST"].contains(request.method), "\(request.method) \(request.path)")
            guard request.method == "GET" else { continue }
            let query = Self.query(request)
            #expect(query["hub.mode"] == "subscribe", "a GET without hub.mode: \(request.path)")
            #expect(query["hub.challenge"].map { !$0.isEmpty && $0.allSatisfy(\.isNumber) } == true)
            #expect(query["hub.verify_token"] != nil)
            #expect(request.body.isEmpty)
        }
        // The right token and a wrong one, once each per platform path.
        for path in ["/webhook/messenger", "/webhook/whatsapp", "/webhook/instagram"] {
            let tokens = received.filter { $0.method == "GET" && $0.path == path }.compactMap { Self.query($0)["hub.verify_token"] }
            #expect(tokens.count == 2 && tokens.filter { $0 == token }.count == 1, "\(path)")
        }
        // The backend that hangs on a bare GET is healthy for Meta, and so for the doctor.
        for platform in ["messenger", "whatsapp", "instagram"] {
            for probe in ["https", "verify", "signature"] {
                #expect(report.check("webhook.\(platform).\(probe)")?.status == .pass, "webhook.\(platform).\(probe)")
            }
        }
    }

    @Test("MB-W3, MB-W4, MB-W5: each event is the platform's own, ASCII-escaped, signed in both headers over its bytes")
    func eventsAndSignatures() async throws {
        let (_, _, configuration, received) = try await runScenario(SandboxScenarios.healthy)
        let secret = SymmetricKey(data: Data(try #require(configuration.appSecret?.exposedValue).utf8))
        let objects = ["/webhook/messenger": "page", "/webhook/whatsapp": "whatsapp_business_account", "/webhook/instagram": "instagram"]
        for (path, object) in objects {
            let posts = received.filter { $0.method == "POST" && $0.path == path }
            // One signed event (the HTTPS check's, judged by the signature check) and four forgeries.
            #expect(posts.count == 5, "\(path): \(posts.count) events")
            var combinations: [String] = []
            for post in posts {
                #expect(Self.header("Content-Type", of: post) == "application/json")
                #expect(post.body.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII is escaped as \\uXXXX")
                #expect(!post.body.contains("/"), "\"/\" is escaped as \\/")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(post.body.utf8)) as? [String: Any])
                #expect(json["object"] as? String == object)
                let entry = try #require((json["entry"] as? [[String: Any]])?.first)
                switch object {
                case "page":
                    let event = try #require((entry["messaging"] as? [[String: Any]])?.first)
                    #expect((event["delivery"] as? [String: Any])?["mids"] is [String])
                    #expect(entry["time"] is Int && event["timestamp"] is Int)
                case "whatsapp_business_account":
                    let change = try #require((entry["changes"] as? [[String: Any]])?.first)
                    #expect(change["field"] as? String == "messages")
                    let value = try #require(change["value"] as? [String: Any])
                    #expect(value["messaging_product"] as? String == "whatsapp")
                    let status = try #require((value["statuses"] as? [[String: Any]])?.first)
                    #expect(status["timestamp"] is String, "WhatsApp timestamps are strings")
                    #expect((status["id"] as? String)?.hasPrefix("wamid.") == true)
                default:
                    let event = try #require((entry["messaging"] as? [[String: Any]])?.first)
                    #expect((event["read"] as? [String: Any])?["mid"] is String)
                }
                let bytes = Array(post.body.utf8)
                let sha256 = "sha256=" + Self.hex(HMAC<SHA256>.authenticationCode(for: bytes, using: secret))
                let sha1 = "sha1=" + Self.hex(HMAC<Insecure.SHA1>.authenticationCode(for: bytes, using: secret))
                func describe(_ header: String?, _ valid: String, _ prefix: String, _ hexLength: Int) -> String {
                    guard let header else { return "none" }
                    #expect(header.hasPrefix(prefix) && header.count == prefix.count + hexLength && header == header.lowercased(), "\(header)")
                    return header == valid ? "valid" : "wrong"
                }
                let combination = describe(Self.header("X-Hub-Signature-256", of: post), sha256, "sha256=", 64) + "/"
                    + describe(Self.header("X-Hub-Signature", of: post), sha1, "sha1=", 40)
                combinations.append(combination)
            }
            #expect(
                combinations.sorted() == ["none/none", "valid/valid", "valid/wrong", "wrong/valid", "wrong/wrong"],
                "\(path): \(combinations)")
        }
    }

    @Test("MB-W12: requests are not browser-like and skip ngrok's warning; the sandbox's free-plan edge warns browsers")
    func ngrokBrowserWarning() async throws {
        let scenario = try #require(SandboxScenarios.named("ngrok-browser-warning"))
        let (report, _, _, received) = try await runScenario(scenario)
        #expect(report.exitCode == 0)
        for request in received {
            #expect(Self.header("User-Agent", of: request)?.hasPrefix("Mozilla/") == false)
            #expect(Self.header("ngrok-skip-browser-warning", of: request) != nil)
        }

        let world = try await SandboxWorld.start(scenario: scenario)
        let transport = try Self.transport(for: world)
        let url = "https://\(world.webhookHost)/webhook/messenger?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1"
        let browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
        let warned = try await transport.send(HTTPRequest(url: url, headers: [("User-Agent", browser)]))
        let skipped = try await transport.send(HTTPRequest(url: url, headers: [("User-Agent", browser), ("ngrok-skip-browser-warning", "1")]))
        await transport.shutdown()
        await world.stop()
        #expect(warned.header("ngrok-error-code") == "ERR_NGROK_6024")
        #expect(warned.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(warned.bodyText.hasPrefix("<!DOCTYPE html>"))
        #expect(skipped.header("ngrok-error-code") == nil, "the header skips the warning")
    }

    @Test(
        "MB-W11: ngrok's edge answers its errors with an HTML page, the code in ngrok-error-code and its status",
        arguments: [("ngrok-offline", "ERR_NGROK_3200", 404), ("ngrok-local-server-down", "ERR_NGROK_8012", 502),
                    ("ngrok-upstream-https", "ERR_NGROK_3004", 502)])
    func ngrokErrorPages(scenario name: String, code: String, status: Int) async throws {
        let world = try await SandboxWorld.start(scenario: try #require(SandboxScenarios.named(name)))
        let transport = try Self.transport(for: world)
        let response = try await transport.send(HTTPRequest(url: "https://\(world.webhookHost)/webhook/messenger"))
        await transport.shutdown()
        await world.stop()
        #expect(response.status == status)
        #expect(response.header("ngrok-error-code") == code)
        #expect(response.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(response.bodyText.hasPrefix("<!DOCTYPE html>"))
    }

    @Test("MB-W10: the agent API lists tunnels as ngrok's agent API documents GET /api/tunnels")
    func ngrokAgentTunnelList() async throws {
        let agent = try await NgrokAgent.start(tunnels: [.init(publicURL: "https://abcd1234.ngrok-free.app", forwardsTo: "http://localhost:8080")])
        let transport = try AHCTransport()
        let response = try await transport.send(HTTPRequest(url: agent.apiURL + "/api/tunnels"))
        await transport.shutdown()
        await agent.stop()
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(json["uri"] as? String == "/api/tunnels")
        let tunnel = try #require((json["tunnels"] as? [[String: Any]])?.first)
        #expect(Set(tunnel.keys) == ["name", "ID", "uri", "public_url", "proto", "config", "metrics"])
        #expect(tunnel["name"] as? String == "command_line")
        #expect(tunnel["uri"] as? String == "/api/tunnels/command_line")
        #expect(tunnel["public_url"] as? String == "https://abcd1234.ngrok-free.app")
        #expect(tunnel["proto"] as? String == "https")
        let config = try #require(tunnel["config"] as? [String: Any])
        #expect(config["addr"] as? String == "http://localhost:8080")
        #expect(config["inspect"] as? Bool == true)
        let metrics = try #require(tunnel["metrics"] as? [String: Any])
        #expect(metrics["conns"] is [String: Any] && metrics["http"] is [String: Any])
    }
}

@Suite("Webhook verdicts say what was shown")
struct WebhookVerdictTests {
    static func statuses(_ check: CheckReport?) -> [String: Int] {
        guard case .object(let values)? = check?.evidence["statuses"] else { return [:] }
        return values.compactMapValues { if case .int(let status) = $0 { status } else { nil } }
    }

    /// Each backend's answers to the signed event and the four forgeries, and the words its
    /// verdict must and must not use.
    static let signatureCases: [(scenario: String, statuses: [String: Int], says: String, never: [String])] = [
        ("healthy",
         ["signed": 200, "unsigned": 403, "bothWrong": 403, "validSha256WrongSha1": 200, "wrongSha256ValidSha1": 403],
         "rejects forged ones", ["legacy", "HTTP 500"]),
        ("webhook-checks-no-signature",
         ["signed": 200, "unsigned": 200, "bothWrong": 200, "validSha256WrongSha1": 200, "wrongSha256ValidSha1": 200],
         "it checks no signature", ["legacy", "sha1"]),
        ("webhook-checks-only-sha1",
         ["signed": 200, "unsigned": 403, "bothWrong": 403, "validSha256WrongSha1": 403, "wrongSha256ValidSha1": 200],
         "it checks only the legacy X-Hub-Signature (sha1)", ["no signature", "without a signature"]),
        ("webhook-accepts-unsigned",
         ["signed": 200, "unsigned": 200, "bothWrong": 403, "validSha256WrongSha1": 200, "wrongSha256ValidSha1": 403],
         "it accepts events without a signature", ["legacy", "checks no signature"]),
        ("webhook-crashes-on-unsigned",
         ["signed": 200, "unsigned": 500, "bothWrong": 403, "validSha256WrongSha1": 200, "wrongSha256ValidSha1": 403],
         "it answered the unsigned event with HTTP 500", ["legacy", "without a signature"]),
    ]

    @Test("MB-W4: the signature verdict names what the forgeries showed; evidence lists every status", arguments: signatureCases.indices)
    func signature(index: Int) async throws {
        let expected = Self.signatureCases[index]
        let (report, _, _, _) = try await runScenario(try #require(SandboxScenarios.named(expected.scenario)))
        for platform in ["messenger", "whatsapp", "instagram"] {
            let check = report.check("webhook.\(platform).signature")
            #expect(Self.statuses(check) == expected.statuses, "\(expected.scenario) \(platform)")
            let message = check?.message ?? ""
            #expect(message.contains(expected.says), "\(expected.scenario): \(message)")
            for word in expected.never { #expect(!message.contains(word), "\(expected.scenario): \(message)") }
        }
    }

    @Test(
        "MB-W7: a certificate from a trusted CA for another host does not cover the host, names and addresses listed",
        arguments: [("tls-wrong-host", "shop-bot.example.com", ["wrong-host.example.net"]),
                    ("tls-wrong-address", "203.0.113.10", ["shop-bot.example.com", "198.51.100.7"])])
    func wrongHost(scenario name: String, host: String, names: [String]) async throws {
        let (report, _, _, _) = try await runScenario(try #require(SandboxScenarios.named(name)))
        let https = try #require(report.check("webhook.messenger.https"))
        #expect(https.status == .fail)
        #expect(https.message.contains("does not cover \(host) (it names \(names.joined(separator: ", ")))"), "\(https.message)")
        #expect(!https.message.contains("not trusted"), "\(https.message)")
        #expect(https.evidence["certificateNames"] == .strings(names))
        #expect(https.evidence["certificateIssuer"] == "CN=meta-doctor sandbox CA")
    }

    @Test("A nested transport error reads as one sentence: the ngrok agent API refused the connection")
    func agentRefused() async throws {
        let (report, _, _, _) = try await runScenario(try #require(SandboxScenarios.named("ngrok-offline")))
        let tunnel = try #require(report.check("tunnel.ngrok"))
        #expect(tunnel.status == .warn)
        #expect(tunnel.message.hasPrefix("The ngrok agent API at http://127.0.0.1:9/api/tunnels refused the connection: "), "\(tunnel.message)")
        for fragment in ["errno", "error set", "connect(", "(("] { #expect(!tunnel.message.contains(fragment), "\(tunnel.message)") }
    }

    @Test("MB-W13: the stale-URL fix names the free static ngrok-free.dev domain every account has")
    func staleURLRemediation() async throws {
        let (report, _, _, _) = try await runScenario(try #require(SandboxScenarios.named("ngrok-stale-url")))
        let action = try #require(report.check("tunnel.ngrok")?.fix.action)
        #expect(action.contains("https://ef567890.ngrok-free.app"))
        #expect(action.contains("every ngrok account has one on ngrok-free.dev that survives restarts"), "\(action)")
    }
}
}
