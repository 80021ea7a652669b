import DoctorKit
import DoctorTestSupport
import Foundation
import MetaChecks
import MetaConfig
import MetaDoctorCLI
import MetaGraph
import MetaSandbox
import Testing

/// Every Graph route the doctor reads, as the sandbox's fault routes name them.
let graphRoutes = [
    "/oauth/access_token", "/\(SandboxIDs.appID)", "/\(SandboxIDs.appID)/subscriptions", "/debug_token", "/me",
    "/\(SandboxIDs.pageID)", "/\(SandboxIDs.pageID)/subscribed_apps", "/\(SandboxIDs.wabaID)",
    "/\(SandboxIDs.wabaID)/phone_numbers", "/\(SandboxIDs.wabaID)/subscribed_apps", "/\(SandboxIDs.phoneNumberID)",
    "/\(SandboxIDs.instagramAccountID)",
]

/// The fault classes, named for the test's arguments.
let faultClasses: [(name: String, kind: SandboxFault.Kind)] = [
    ("latency beyond the deadline", .latency(.seconds(3))), ("5xx beyond the retry budget", .serverError(times: 1000)),
    ("malformed JSON", .malformedJSON), ("HTML page", .htmlPage), ("rate limit", .rateLimit(code: 80001, minutes: 5)),
    ("hang", .hang),
]

/// Runs `check` against a scenario's Graph API alone, with no webhook backend and no ngrok agent
/// (the agent API is where nothing listens, as in a world without one): for runs that skip the
/// webhook checks.
func runGraphScenario(_ scenario: SandboxScenario, faults: [SandboxFault], adjust: (inout DoctorRunRequest) -> Void) async throws
    -> Report
{
    let graph = try await GraphSandbox.start(scenario: scenario, faults: faults)
    var request = DoctorRunRequest(
        configuration: ConfigurationLoader(envFile: nil, environment: graph.environment()).load(readingDefaultFile: false))
    request.ngrokAPI = SandboxWorld.closedAgentAPI
    adjust(&request)
    let report: Report
    do {
        report = try await DoctorRun.run(request)
    } catch {
        await graph.stop()
        throw error
    }
    await graph.stop()
    return report
}

/// The matrix needs only the Graph side (the webhook checks are skipped), so it does not queue
/// behind `SandboxRuns`, whose webhook probes judge speed: it runs its own cases one at a time,
/// beside them.
@Suite("Fault matrix: every Graph route x every fault class", .serialized, .timeLimit(.minutes(5)))
struct FaultMatrixTests {
    @Test("A Graph API that closes the connection mid-reply is 'could not verify' (exit 3)")
    func reset() async throws {
        let endpoint = try await HostileEndpoint.start(.closeMidResponse)
        let configuration = ConfigurationLoader(
            envFile: nil,
            environment: [
                "META_APP_ID": "1201000000000001", "META_APP_SECRET": "reset-test-secret",
                "META_GRAPH_URL": "http://127.0.0.1:\(endpoint.port)",
            ]
        ).load(readingDefaultFile: false)
        let report = try await DoctorRun.run(DoctorRunRequest(configuration: configuration))
        await endpoint.stop()
        let secret = try #require(report.checks.first { $0.id == "app.secret" })
        #expect(secret.status == .error)
        #expect(secret.message.contains("closed the connection"))
        #expect(report.exitCode == 3)
    }


    @Test("The run ends; affected checks are error, never fail or pass; the others keep their verdicts; exit 3",
          arguments: graphRoutes, faultClasses.map(\.name))
    func matrix(route: String, fault: String) async throws {
        let kind = try #require(faultClasses.first { $0.name == fault }?.kind)
        let report = try await runGraphScenario(
            SandboxScenarios.healthy, faults: [SandboxFault(kind, on: .path(route))],
            adjust: { request in
                request.selection = Selection(skip: ["webhook.*"])
                request.graphRequestTimeout = .seconds(1)
            })
        let offenders = report.checks.filter { $0.status != .pass && $0.status != .error && $0.status != .skip }
        #expect(offenders.isEmpty, "\(route) x \(fault): \(offenders.map { "\($0.id): \($0.status) \($0.message)" })")
        #expect(report.checks.filter { $0.status == .skip && $0.skipReason == .blocked }.allSatisfy { check in
            check.blockedBy.allSatisfy { id in report.checks.first { $0.id == id }?.status == .error }
        })
        if route == "/\(SandboxIDs.appID)" {
            // Only the app's name is read there: app.secret is proven by the exchange and says the
            // name could not be read.
            #expect(report.exitCode == 0)
            #expect(report.checks.first { $0.id == "app.secret" }?.message.contains("could not be read") == true)
        } else {
            #expect(report.summary.error >= 1, "\(route) x \(fault): the fault is seen")
            #expect(report.exitCode == 3)
        }
    }
}

extension SandboxRuns {
    @Suite("Hostile webhook endpoints end at their deadline with a clear message", .timeLimit(.minutes(2)))
    struct HostileEndpointTests {
        static let host = "hostile.example.com"

        /// Runs `probe` against a hostile endpoint reached as https://hostile.example.com.
        static func run(_ behavior: HostileEndpoint.Behavior, _ probe: any MetaProbe) async throws -> ProbeResult {
            let pki = try SandboxPKI()
            let endpoint = try await HostileEndpoint.start(behavior, tls: try pki.serverTLS(host: host, variant: .valid))
            let caFile = try pki.writeCAFile()
            defer { try? FileManager.default.removeItem(atPath: caFile) }
            let rule = ConnectTo(host: host, port: 443, targetHost: "127.0.0.1", targetPort: endpoint.port)
            let transport = try AHCTransport(settings: .init(caFile: caFile, connectTo: [rule]))
            let configuration = ConfigurationLoader(
                envFile: nil,
                environment: [
                    "META_APP_ID": "1", "META_APP_SECRET": "hostile-test-secret", "META_VERIFY_TOKEN": "hostile-verify-token",
                    "WEBHOOK_BASE_URL": "https://\(host)",
                ]
            ).load(readingDefaultFile: false)
            let environment = ProbeEnvironment(
                configuration: configuration,
                graph: GraphClient(transport: UnreachableTransport(), baseURL: "http://127.0.0.1:9", version: "v25.0", appSecret: nil),
                webTransport: transport, tlsInspector: try TLSInspector(caFile: caFile, connectTo: [rule]),
                enabledPlatforms: [.messenger])
            let result = try await probe.run(environment, CheckContext(facts: Facts(), timeLimit: .seconds(20)))
            await transport.shutdown()
            await endpoint.stop()
            return result
        }

        @Test(
            "Each hostile behaviour is a fail with its own message",
            arguments: [
                (HostileEndpoint.Behavior.hugeBody, "larger than 64 KiB"),
                (.trickle, "did not answer within 5 s"),
                (.stall, "did not answer within 5 s"),
                (.closeMidResponse, "closed the connection"),
            ])
        func https(behavior: HostileEndpoint.Behavior, message: String) async throws {
            let result = try await Self.run(behavior, WebhookHTTPSCheck(platform: .messenger))
            #expect(result.verdict == .fail)
            #expect(result.message.contains(message), "\(result.message)")
        }

        @Test("A close without TLS's close_notify after a complete handshake is the connection ending, not a failed handshake")
        func closeWithoutNotify() async throws {
            let result = try await Self.run(.closeWithoutNotify, WebhookHTTPSCheck(platform: .messenger))
            #expect(result.verdict == .fail)
            // The socket's end reads as a close or, when the peer had unread data, a reset.
            #expect(result.message.contains("closed the connection") || result.message.contains("reset the connection"), "\(result.message)")
            #expect(!result.message.lowercased().contains("handshake"), "\(result.message)")
        }

        @Test("A redirect loop is not followed: the verification fails naming the redirect")
        func redirectLoop() async throws {
            let https = try await Self.run(.redirectLoop, WebhookHTTPSCheck(platform: .messenger))
            #expect(https.verdict == .pass, "a 302 is an HTTP answer")
            let verify = try await Self.run(.redirectLoop, WebhookVerifyCheck(platform: .messenger))
            #expect(verify.verdict == .fail)
            #expect(verify.message.contains("redirects"))
        }

        @Test("The Graph client ends a trickling body and a hanging reply at its deadline, as errors")
        func graphClientDeadlines() async throws {
            for behavior in [HostileEndpoint.Behavior.trickle, .stall, .closeMidResponse] {
                let endpoint = try await HostileEndpoint.start(behavior)
                let transport = try AHCTransport()
                let client = GraphClient(
                    transport: transport, baseURL: "http://127.0.0.1:\(endpoint.port)", version: "v25.0", appSecret: nil,
                    requestTimeout: .seconds(1))
                await #expect {
                    try await client.until(.now.advanced(by: .seconds(3))).me(token: Secret("EAAhostile"))
                } throws: { error in
                    guard let error = error as? GraphError else { return false }
                    let expected = behavior == .closeMidResponse ? "closed the connection" : "within 1 s"
                    return error.kind == .network && error.kind.isCouldNotVerify && error.message.contains(expected)
                }
                await transport.shutdown()
                await endpoint.stop()
            }
        }
    }
}

/// A small deterministic generator (SplitMix64), so a failing case can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Input fuzzing: never a crash, always a value or a clear error")
struct FuzzTests {
    static let alphabet: [Character] = Array("AZaz09_=#'\"\\ \t\r\n\u{FEFF}éß€🙂$`{}[]:,.-+/") + ["\r\n", "\u{0}"]

    static func randomText(_ generator: inout SeededGenerator, maxLength: Int) -> String {
        let length = Int.random(in: 0...maxLength, using: &generator)
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    @Test("The .env parser returns entries or an error naming file and line", arguments: 0..<20)
    func dotenv(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        for _ in 0..<200 {
            let text = Self.randomText(&generator, maxLength: 400)
            do {
                let parsed = try DotEnv.parse(text, file: "fuzz.env")
                for entry in parsed.entries { #expect(entry.line >= 1 && !entry.name.isEmpty) }
            } catch {
                #expect(error.file == "fuzz.env" && error.line >= 1 && !error.reason.isEmpty)
            }
        }
    }

    @Test("Configuration from odd, long and quoted values never crashes and never echoes a secret")
    func configuration() async throws {
        var generator = SeededGenerator(state: 42)
        for _ in 0..<100 {
            let secret = "S3CR3T-" + Self.randomText(&generator, maxLength: 50).filter { !$0.isNewline }
            let value = Self.randomText(&generator, maxLength: 5_000)
            let text = "META_APP_ID=\(value)\nMETA_APP_SECRET=\"\(secret)\"\nWEBHOOK_BASE_URL=\(value.prefix(200))\nMETA_VERIFY_TOKEN='\(value.prefix(100))'"
            let configuration = loader(dotenv: text).load()
            let result = try await ConfigCheck().run(TestEnvironment.offline(configuration), CheckContext(facts: Facts(), timeLimit: .seconds(5)))
            if let used = configuration.appSecret?.exposedValue, used.count >= 6 {
                #expect(!result.message.contains(used))
            }
        }
    }

    @Test("Graph decoders turn random, truncated and wrong-typed JSON into typed errors", arguments: 0..<10)
    func graphDecoders(seed: UInt64) async throws {
        var generator = SeededGenerator(state: seed)
        let valid = [
            #"{"data":{"app_id":"1","type":"PAGE","is_valid":true,"scopes":["a"],"granular_scopes":[{"scope":"a","target_ids":["1"]}]}}"#,
            #"{"data":[{"object":"page","callback_url":"https://x","active":true,"fields":[{"name":"messages","version":"v25.0"}]}]}"#,
            #"{"error":{"message":"m","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"x"}}"#,
        ]
        for _ in 0..<50 {
            let base = valid.randomElement(using: &generator)!
            let mutated: String
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: mutated = String(base.prefix(Int.random(in: 0...base.count, using: &generator)))
            case 1: mutated = base.replacingOccurrences(of: "\"1\"", with: "1").replacingOccurrences(of: "true", with: "\"yes\"")
            case 2: mutated = Self.randomText(&generator, maxLength: 200)
            default: mutated = base.replacingOccurrences(of: "[", with: "{")
            }
            let transport = ScriptedTransport([json(Int.random(in: 0..<2, using: &generator) == 0 ? 200 : 400, mutated)])
            let graph = client(transport)
            do {
                _ = try await graph.debugToken(Secret("EAAx"), appID: "1", appSecret: "x")
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }
}
