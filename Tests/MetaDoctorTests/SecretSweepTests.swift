import DoctorKit
import DoctorTestSupport
import Foundation
import MetaConfig
import MetaDoctorCLI
import MetaGraph
import MetaSandbox
import Reports
import Testing

/// No token, app secret or verify token may appear in any output: every scenario, every format,
/// verbose, and every URL the sandbox received.
extension SandboxRuns {
@Suite("Secrets never reach output", .timeLimit(.minutes(3)))
struct SecretSweepTests {
    /// The scenarios whose runs take no deadline (the hang and slow ones are swept by the fault suite).
    static let scenarios = SandboxScenarios.all.filter { !["graph-hang", "webhook-slow"].contains($0.name) }.map(\.name)

    @Test("A secret's fingerprint holds no piece of it, and a fix plan names a secret without even that")
    func fingerprintHoldsNoPiece() {
        let token = "EAAGm0PX4ZCpsBAbcdefghijklmnopWXYZ"
        #expect(Secret(token).fingerprint == "sha256:01bbbf86")
        let credentials = GraphCredentials(appID: "1201000000000001", secrets: [.verifyToken: Secret("hello-verify")])
        let write = GraphCalls.subscribeApp(
            "1201000000000001", object: .whatsappBusinessAccount, callbackURL: "https://shop.example/webhook", fields: ["messages"])
        #expect(credentials.displayedParameters(of: write.request)["verify_token"] == "{verify token}")
        #expect(GraphCredentials(appID: "1", secrets: [:]).displayedParameters(of: write.request)["verify_token"] == "{verify token, not configured}")
    }

    @Test("Every format of every scenario, verbose, holds none of the secrets", arguments: scenarios)
    func sweep(name: String) async throws {
        let scenario = try #require(SandboxScenarios.named(name))
        let (report, requests, configuration, webhookRequests) = try await runScenario(scenario)
        let secrets = configuration.secretValues
        #expect(!secrets.isEmpty)
        for format in ReportFormat.allCases {
            for verbose in [false, true] {
                let text = format.render(report, options: RenderOptions(color: verbose, verbose: verbose))
                for secret in secrets { #expect(!text.contains(secret), "\(name): a secret in \(format.rawValue) output") }
            }
        }
        if report.check("graph.version")?.status == .fail {
            // A rejected version is never sent, past the one question graph.version may ask Meta.
            #expect(requests.allSatisfy { $0.path.hasSuffix("/oauth/access_token") }, "\(name)")
        } else {
            #expect(!requests.isEmpty)
        }
        if report.checks.contains(where: { $0.id.rawValue.hasSuffix(".https") && $0.status == .pass }) {
            #expect(!webhookRequests.isEmpty)
        }
        for request in requests {
            for secret in secrets { #expect(!urlWithoutInspectedToken(request).contains(secret), "\(name): a secret in a Graph URL") }
        }
        // The verify token goes only to the webhook URL, in Meta's verification request; no other
        // secret goes to the webhook at all (the app secret only as the signature HMAC).
        let verifyToken = configuration.verifyToken?.exposedValue
        for request in webhookRequests {
            let everything = [request.path, request.query ?? "", request.body] + request.headers.map(\.value)
            for secret in secrets where secret != verifyToken {
                #expect(!everything.contains { $0.contains(secret) }, "\(name): a secret sent to the webhook")
            }
            if let verifyToken, (request.query ?? "").contains(verifyToken) {
                #expect(request.method == "GET" && (request.query ?? "").contains("hub.mode=subscribe"))
            }
        }
    }

    @Test("Secrets padded with spaces and quotes, their trimmed and percent-encoded forms, and the app token never reach output")
    func paddedSecretsAndObtainedTokens() async throws {
        let world = try await SandboxWorld.start(scenario: SandboxScenarios.healthy)
        let padded = world.environment().mapValues { value in value.hasPrefix("http") ? value : " \"\(value)\" " }
        var request = DoctorRunRequest.forSandbox(world)
        request.configuration = ConfigurationLoader(envFile: nil, environment: padded).load(readingDefaultFile: false)
        let report = try await DoctorRun.run(request)
        let graphRequests = await world.graph.requests()
        await world.stop()
        #expect(report.checks.first { $0.id == "config" }?.status == .warn, "stray quotes warn")
        #expect(report.checks.first { $0.id == "app.secret" }?.status == .pass, "the trimmed values are used")
        // Every bearer token the doctor sent, the app access token it obtained among them.
        let bearers = graphRequests.compactMap { $0.header("Authorization") }.map { String($0.dropFirst("Bearer ".count)) }
        #expect(bearers.contains { $0.contains("|") }, "the app access token was used")
        let forms = (request.configuration.secretValues + bearers).flatMap { secret in
            [secret, secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret]
        }.filter { $0.count >= 6 }
        #expect(!forms.isEmpty)
        for format in ReportFormat.allCases {
            let text = format.render(report, options: RenderOptions(color: false, verbose: true))
            for form in forms { #expect(!text.contains(form), "\(format.rawValue) holds a secret form") }
        }
    }

    @Test("The binary's stdout and stderr, verbose, hold none of the secrets", arguments: ["onboarding", "bad-secret", "ngrok-stale-url"])
    func binary(name: String) async throws {
        let scenario = try #require(SandboxScenarios.named(name))
        let secrets = scenario.model().configured.filter { ConfigKey(rawValue: $0.key)?.isSecret == true }.map(\.value)
        for format in ReportFormat.allCases {
            let result = try await MetaDoctorBinary.run(["demo", "--scenario", name, "--verbose", "--format", format.rawValue])
            #expect(!result.stdout.isEmpty)
            for secret in secrets {
                #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "\(name) \(format.rawValue)")
            }
        }
    }
}

}

extension SandboxRuns {
@Suite("Graph API faults are 'could not verify', never 'misconfigured'", .timeLimit(.minutes(3)))
struct FaultScenarioTests {
    @Test(
        "Each fault that outlasts the retry budget ends as error (exit 3); the other checks keep their verdicts",
        arguments: ["graph-unavailable", "graph-rate-limited", "graph-malformed", "graph-html", "graph-hang"])
    func faultsAreErrors(name: String) async throws {
        let scenario = try #require(SandboxScenarios.named(name))
        let (report, _, _, _) = try await runScenario(scenario)
        #expect(report.summary.fail == 0, "\(report.checks.filter { $0.status == .fail }.map { "\($0.id): \($0.message)" })")
        #expect(report.summary.error >= 1)
        #expect(report.exitCode == 3)
        let rootCause = try ScenarioExpectations.of(name).rootCause
        let root = try #require(report.checks.first { $0.id == rootCause })
        #expect(root.status == .error)
        // The webhook side does not talk to the Graph API: its verdicts stand.
        let webhookChecks = report.checks.filter { $0.id.rawValue.hasSuffix(".https") || $0.id.rawValue.hasSuffix(".verify") }
        #expect(webhookChecks.count == 6)
        #expect(webhookChecks.allSatisfy { $0.status == .pass })
    }

    @Test("5xx twice, then healthy: everything passes after retries")
    func transientRecovers() async throws {
        let (report, requests, _, _) = try await runScenario(try #require(SandboxScenarios.named("graph-5xx-twice")))
        #expect(report.exitCode == 0)
        // The run's reads start together, so which ones meet the two 5xx varies; each 5xx costs exactly
        // one more request of the same call, and nothing else is sent twice.
        let distinct = Set(requests.map { "\($0.method) \($0.path) \($0.query ?? "") \($0.body)" })
        #expect(requests.count == distinct.count + 2)
    }

    @Test("A rate limit says how long Meta asks to wait")
    func rateLimitMessage() async throws {
        let (report, _, _, _) = try await runScenario(try #require(SandboxScenarios.named("graph-rate-limited")))
        let secret = try #require(report.checks.first { $0.id == "app.secret" })
        #expect(secret.message.contains("(#4)"))
        #expect(secret.evidence["graphError"] == "rate-limited")
        #expect(secret.fix.action?.contains("rate limit") == true)
    }
}
}
