import DoctorKit
import Foundation
import MetaChecks
import MetaConfig
import MetaDoctorCLI
import MetaSandbox
import Testing

/// Runs `check` against a sandbox scenario's whole world, as `demo` does.
func runScenario(_ scenario: SandboxScenario, faults: [SandboxFault] = [], adjust: (inout DoctorRunRequest) -> Void = { _ in })
    async throws -> (Report, [RecordedRequest], MetaConfiguration, [ReceivedWebhookRequest])
{
    let world = try await SandboxWorld.start(scenario: scenario, faults: faults)
    var request = DoctorRunRequest.forSandbox(world)
    adjust(&request)
    let report: Report
    do {
        report = try await DoctorRun.run(request)
    } catch {
        await world.stop()
        throw error
    }
    let requests = await world.graph.requests()
    let webhookRequests = world.webhook.requests()
    await world.stop()
    return (report, requests, request.configuration, webhookRequests)
}

extension Report {
    func check(_ id: String) -> CheckReport? { checks.first { $0.id.rawValue == id } }
}

/// A Graph request's path and query without the one secret Meta's documented form puts in a URL:
/// the inspected token of `GET /debug_token` (docs/meta-behaviour.md MB-G3).
func urlWithoutInspectedToken(_ request: RecordedRequest) -> String {
    var query = (request.query ?? "").split(separator: "&").map(String.init)
    if request.method == "GET", request.path.hasSuffix("/debug_token") { query.removeAll { $0.hasPrefix("input_token=") } }
    return request.path + "?" + query.joined(separator: "&")
}

/// Every scenario but the Graph fault ones, which have their own suite.
let diagnosisScenarios = SandboxScenarios.all.filter { !$0.name.hasPrefix("graph-") }

/// The same probe for every platform: one backend serves all three webhook paths.
func platformSiblings(of id: String) -> [String] {
    let parts = id.split(separator: ".")
    guard parts.count == 3, parts[0] == "webhook" else { return [id] }
    return ["messenger", "whatsapp", "instagram"].map { "webhook.\($0).\(parts[2])" }
}

/// Every suite that runs webhook probes against sandbox worlds runs one test at a time: the webhook
/// probes judge how fast an endpoint answers, and dozens of worlds on two cores at once would make a
/// correct backend slow.
@Suite("Runs against the sandbox", .serialized)
struct SandboxRuns {}

extension SandboxRuns {
@Suite("Each broken setup is diagnosed at its root")
struct ScenarioTests {
    @Test("The root cause, its status, its blocked dependents and its guide step", arguments: diagnosisScenarios.map(\.name))
    func diagnosis(name: String) async throws {
        let scenario = try #require(SandboxScenarios.named(name))
        let expected = try ScenarioExpectations.of(name)
        let (report, _, configuration, _) = try await runScenario(scenario)
        let problems = report.checks.filter { $0.status == .fail || $0.status == .error || $0.status == .warn }
        guard let rootCause = expected.rootCause else {
            #expect(problems.isEmpty, "a healthy setup raises nothing: \(problems.map { "\($0.id): \($0.message)" })")
            #expect(report.exitCode == 0)
            return
        }
        let rootID = rootCause.rawValue
        let root = try #require(report.check(rootID))
        #expect(root.status == expected.status, "\(rootID): \(root.message)")
        // Instagram uses the Page token unless INSTAGRAM_ACCESS_TOKEN is set, so a broken Page token
        // is also, rightly, a broken Instagram token.
        let sharesPageToken = rootID == PageTokenCheck.id.rawValue && configuration.values[.instagramAccessToken] == nil
        let allowed = ([rootID] + expected.alsoReported.map(\.rawValue)).flatMap(platformSiblings) + (sharesPageToken ? [InstagramTokenCheck.id.rawValue] : [])
        let ids = problems.map(\.id.rawValue)
        #expect(ids.contains(rootID) && Set(ids).isSubset(of: allowed), "the root cause is the only finding: \(problems.map { "\($0.id): \($0.message)" })")
        #expect(GuideSteps.all.map(\.anchor).contains(root.fix.step))
        if scenario.name.hasPrefix("ngrok-") {
            #expect(root.fix.step == GuideSteps.ngrok.anchor, "tunnel failures point at the ngrok step")
        }
        #expect(root.fix.action?.isEmpty == false)
        let downstream = MetaCatalog.descriptions.filter { $0.prerequisites.contains(root.id) }.map(\.id)
            .filter { !allowed.contains($0.rawValue) }
        for id in downstream {
            let dependent = try #require(report.checks.first { $0.id == id })
            if root.status == .fail || root.status == .error {
                if dependent.skipReason != .notApplicable, dependent.skipReason != .notSelected {
                    #expect(dependent.skipReason == .blocked, "\(id) is blocked")
                    #expect(dependent.blockedBy == [root.id], "\(id) names \(rootID)")
                }
            }
        }
        #expect(report.exitCode == expected.exitCode)
        #expect(report.checks.allSatisfy { $0.status != .skip || $0.skipReason != .notSelected })
    }

    @Test("Every scenario the sandbox knows has an expected verdict in the tests")
    func everyScenarioHasAnExpectation() {
        let names = Set(SandboxScenarios.all.map(\.name))
        #expect(names == Set(ScenarioExpectations.byName.keys))
    }

    /// Meta's documented debug_token form puts the inspected token in the query (MB-G3); that one
    /// parameter of that one request is the only place a secret may travel in a URL.
    @Test("No secret in any URL but the inspected token of GET /debug_token; no method override anywhere")
    func noSecretsInURLs() async throws {
        for name in ["healthy", "require-app-secret", "bad-secret"] {
            let (_, requests, configuration, _) = try await runScenario(try #require(SandboxScenarios.named(name)))
            #expect(!requests.isEmpty)
            for request in requests {
                let query = (request.query ?? "").split(separator: "&")
                if request.path.hasSuffix("/debug_token") {
                    #expect(request.method == "GET", "\(name): debug_token in Meta's documented form")
                    #expect(query.filter { $0.hasPrefix("input_token=") }.count == 1)
                }
                #expect(!query.contains { $0.hasPrefix("method=") } && !request.body.contains("method="), "\(name): method override")
                let url = urlWithoutInspectedToken(request)
                for secret in configuration.secretValues {
                    #expect(!url.contains(secret), "\(name): a secret in \(request.method) \(request.path)")
                }
            }
        }
    }

    @Test("With Require App Secret on, every user-token call carries a correct proof, so all pass")
    func requireAppSecret() async throws {
        let (report, requests, _, _) = try await runScenario(try #require(SandboxScenarios.named("require-app-secret")))
        #expect(report.exitCode == 0)
        #expect(requests.contains { ($0.query ?? "").contains("appsecret_proof=") || $0.body.contains("appsecret_proof=") })
    }

    @Test("No Graph request is made twice in a run")
    func noDuplicateRequests() async throws {
        let (_, requests, _, _) = try await runScenario(try #require(SandboxScenarios.named("healthy")))
        let keys = requests.map { "\($0.method) \($0.path) \($0.query ?? "") \($0.body)" }
        let duplicates = Dictionary(grouping: keys, by: { $0 }).filter { $0.value.count > 1 }.keys
        #expect(duplicates.isEmpty, "\(duplicates)")
    }

    @Test("bad-secret: app.secret fails and everything that needs it is blocked by it")
    func badSecret() async throws {
        let (report, _, _, _) = try await runScenario(try #require(SandboxScenarios.named("bad-secret")))
        #expect(report.check("app.secret")?.status == .fail)
        #expect(report.check("app.secret")?.fix.step == "app-id-and-secret")
        for check in report.checks where check.prerequisites.contains("app.secret") {
            #expect(check.skipReason == .blocked && check.blockedBy == ["app.secret"], "\(check.id)")
        }
        #expect(report.exitCode == 1)
    }
}
}
