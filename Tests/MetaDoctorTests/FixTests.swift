import DoctorKit
import ArgumentParser
import DoctorTestSupport
import Foundation
import MetaChecks
import MetaConfig
import MetaDoctorCLI
import MetaGraph
import MetaSandbox
import Testing

extension SandboxRuns {
/// `meta-doctor fix` against the sandbox, whose writes change what later reads return and need the
/// permissions Meta's references name: for each repairable setup, the plan's exact steps, the
/// writes, and a check that passes afterwards.
@Suite("fix repairs what one Graph write repairs, plan first")
struct FixTests {
    /// A step as the tests spell it: the check, the write and its parameters (secrets by name).
    struct ExpectedStep: Equatable, CustomStringConvertible {
        let check: String
        let method: String
        let path: String
        let parameters: [String: String]
        var description: String { "\(check): \(method) \(path) \(parameters)" }
    }

    static func planned(_ plan: RepairPlan) -> [ExpectedStep] {
        plan.steps.map { step in
            ExpectedStep(
                check: step.check.rawValue, method: step.method, path: step.path,
                parameters: step.parameters.mapValues { $0.hasPrefix("{verify token") ? "{verify token}" : $0 })
        }
    }

    /// The plan `fix` makes for a scenario, without writing.
    static func plan(for scenario: SandboxScenario) async throws -> RepairPlan {
        let world = try await SandboxWorld.start(scenario: scenario)
        let request = DoctorRunRequest.forSandbox(world)
        let outcome: (report: Report, repairs: [CheckID: [Repair]], configChanges: [CheckID: [ConfigChange]])
        do { outcome = try await DoctorRun.runWithRepairs(request) } catch {
            await world.stop()
            throw error
        }
        await world.stop()
        return RepairPlan.make(
            report: outcome.report, repairs: outcome.repairs, configChanges: outcome.configChanges,
            credentials: GraphCredentials(request.configuration))
    }

    static let app = SandboxIDs.appID
    static let waba = SandboxIDs.wabaID
    static let page = SandboxIDs.pageID
    static let whatsappCallback = "\(SandboxIDs.webhookBaseURL)/webhook/whatsapp"

    static let cases: [(scenario: String, steps: [ExpectedStep])] = [
        ("waba-not-subscribed", [ExpectedStep(check: "whatsapp.waba-subscribed", method: "POST", path: "/\(waba)/subscribed_apps", parameters: [:])]),
        ("page-not-subscribed", [
            ExpectedStep(
                check: "messenger.page-subscribed", method: "POST", path: "/\(page)/subscribed_apps",
                parameters: ["subscribed_fields": "messages,messaging_postbacks"])
        ]),
        ("page-subscribed-without-postbacks", [
            ExpectedStep(
                check: "messenger.page-subscribed", method: "POST", path: "/\(page)/subscribed_apps",
                parameters: ["subscribed_fields": "messages,messaging_postbacks"])
        ]),
        ("missing-whatsapp-subscription", [
            ExpectedStep(
                check: "app.subscriptions", method: "POST", path: "/\(app)/subscriptions",
                parameters: [
                    "object": "whatsapp_business_account", "callback_url": whatsappCallback, "fields": "messages",
                    "verify_token": "{verify token}",
                ])
        ]),
        ("waba-stale-override", [
            ExpectedStep(
                check: "app.subscriptions", method: "POST", path: "/\(waba)/subscribed_apps",
                parameters: ["override_callback_uri": whatsappCallback, "verify_token": "{verify token}"])
        ]),
    ]

    @Test("The plan's steps are exactly the repairs; applied, the repaired checks pass", arguments: cases.map(\.scenario))
    func repairs(scenario name: String) async throws {
        let expected = try #require(Self.cases.first { $0.scenario == name }).steps
        let world = try await SandboxWorld.start(scenario: try #require(SandboxScenarios.named(name)))
        let request = DoctorRunRequest.forSandbox(world)
        let (before, repairs, _) = try await DoctorRun.runWithRepairs(request)
        let plan = RepairPlan.make(report: before, repairs: repairs, credentials: GraphCredentials(request.configuration))
        #expect(Self.planned(plan) == expected)
        // Planning wrote nothing.
        #expect(await world.graph.requests().allSatisfy { $0.method == "GET" || $0.path.hasSuffix("/oauth/access_token") })
        let outcomes = try await DoctorRun.apply(plan, request: request)
        #expect(outcomes.count == expected.count && outcomes.allSatisfy { $0.refusal == nil }, "\(outcomes.map { $0.refusal?.message ?? "ok" })")
        let after = try await DoctorRun.run(request)
        await world.stop()
        for step in expected {
            #expect(before.check(step.check)?.status == .fail)
            #expect(after.check(step.check)?.status == .pass, "\(step.check): \(after.check(step.check)?.message ?? "")")
        }
        #expect(after.exitCode == 0, "\(after.checks.filter { $0.status != .pass && $0.status != .skip }.map { "\($0.id): \($0.message)" })")
    }

    @Test("A write Meta refuses stops the plan and reports Meta's reason, code and fbtrace_id")
    func refusal() async throws {
        let world = try await SandboxWorld.start(scenario: try #require(SandboxScenarios.named("page-write-refused")))
        let request = DoctorRunRequest.forSandbox(world)
        let (before, repairs, _) = try await DoctorRun.runWithRepairs(request)
        let plan = RepairPlan.make(report: before, repairs: repairs, credentials: GraphCredentials(request.configuration))
        #expect(plan.steps.map(\.check) == ["messenger.page-subscribed"])
        let outcomes = try await DoctorRun.apply(plan, request: request)
        let refusal = try #require(outcomes.first?.refusal)
        #expect(refusal.code == 200)
        #expect(refusal.message.contains("MODERATE"))
        #expect(refusal.fbtraceID?.isEmpty == false)
        let after = try await DoctorRun.run(request)
        await world.stop()
        #expect(after.check("messenger.page-subscribed")?.status == .fail, "nothing changed")
    }

    @Test("A failing webhook verification blocks the subscription write, and the plan names the check")
    func blockedByVerification() async throws {
        // The app lacks its WhatsApp subscription and the backend rejects Meta's verification request.
        let scenario = SandboxScenario(
            name: "missing-subscription-bad-backend", summary: "", webhook: WebhookSetup(behavior: .wrongVerifyToken)
        ) { model in SandboxScenarios.missingWhatsAppSubscription.apply(&model) }
        let plan = try await Self.plan(for: scenario)
        #expect(plan.steps.isEmpty)
        let blocked = try #require(plan.blocked.first { $0.check == "app.subscriptions" })
        #expect(blocked.reason.contains("webhook.whatsapp.verify"))
    }

    @Test("A platform whose token check failed is not repaired: the plan says which check blocks it")
    func blockedByToken() async throws {
        let scenario = SandboxScenario(name: "unsubscribed-without-scope", summary: "") { model in
            SandboxScenarios.wabaNotSubscribed.apply(&model)
            SandboxScenarios.whatsAppMissingManagementScope.apply(&model)
        }
        let plan = try await Self.plan(for: scenario)
        #expect(plan.steps.isEmpty)
        #expect(plan.blocked.first { $0.check == "whatsapp.waba-subscribed" }?.reason.contains("whatsapp.token") == true)
        #expect(plan.manual.contains { $0.check == "whatsapp.token" })
    }

    @Test("ngrok's new URL: fix moves every app callback to it, and --write-env rewrites only the .env line, after a backup")
    func ngrokNewURL() async throws {
        let world = try await SandboxWorld.start(scenario: try #require(SandboxScenarios.named("ngrok-new-url")))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("meta-doctor-fix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let setup = try await EnvFileSetup(world, in: directory, header: ["# the developer's own comment"])
        let (envFile, lines, original, request) = (setup.envFile, setup.lines, setup.original, setup.request)
        let (before, plan) = try await setup.plan()
        #expect(before.check("tunnel.ngrok")?.status == .fail)
        let base = "https://ef567890.ngrok-free.app"
        #expect(
            Self.planned(plan) == [("page", "messenger", "messages,messaging_postbacks"), ("whatsapp_business_account", "whatsapp", "messages"), ("instagram", "instagram", "messages")].map {
                ExpectedStep(
                    check: "tunnel.ngrok", method: "POST", path: "/\(Self.app)/subscriptions",
                    parameters: ["object": $0.0, "callback_url": "\(base)/webhook/\($0.1)", "fields": $0.2, "verify_token": "{verify token}"])
            })
        let change = try #require(plan.configChanges.first)
        #expect(plan.configChanges.count == 1)
        #expect(change.name == "WEBHOOK_BASE_URL" && change.to == base && change.file == envFile)
        #expect(change.line == lines.firstIndex { $0.hasPrefix("WEBHOOK_BASE_URL=") }.map { $0 + 1 })
        #expect(try String(contentsOfFile: envFile, encoding: .utf8) == original, "planning writes nothing")

        let outcomes = try await DoctorRun.apply(plan, request: request())
        #expect(outcomes.count == 3 && outcomes.allSatisfy { $0.refusal == nil }, "\(outcomes.map { $0.refusal?.message ?? "ok" })")
        let backup = try EnvFileEditor.apply([change])
        let after = try await DoctorRun.run(request())
        await world.stop()
        #expect(after.exitCode == 0, "\(after.checks.filter { $0.status != .pass && $0.status != .skip }.map { "\($0.id): \($0.message)" })")
        let rewritten = try String(contentsOfFile: envFile, encoding: .utf8)
        let expected = original.replacingOccurrences(
            of: "WEBHOOK_BASE_URL=https://abcd1234.ngrok-free.app\n", with: "WEBHOOK_BASE_URL=\(base)\n")
        #expect(rewritten == expected, "only that line changed")
        #expect(backup == envFile + ".meta-doctor-backup")
        #expect(try String(contentsOfFile: backup, encoding: .utf8) == original)
        #expect(try FileManager.default.attributesOfItem(atPath: envFile)[.posixPermissions] as? Int == 0o600)
    }

    /// The ids a token shows to be in the wrong place (MisplacedIDTests names them in the checks'
    /// messages) are planned as .env line changes; where the token leaves a choice, none is.
    @Test(
        "An id in the wrong place: the plan changes its .env line to the right id, and no Graph write",
        arguments: [
            ("whatsapp-display-number-as-id", [("whatsapp.phone-number", "WHATSAPP_PHONE_NUMBER_ID", "15550104242", "1205000000000001")]),
            ("whatsapp-waba-as-phone-number", [("whatsapp.phone-number", "WHATSAPP_PHONE_NUMBER_ID", "1204000000000001", "1205000000000001")]),
            ("whatsapp-business-as-waba", [("whatsapp.token", "WHATSAPP_BUSINESS_ACCOUNT_ID", "1203000000000001", "1204000000000001")]),
            ("page-and-instagram-swapped", [
                ("messenger.page-token", "META_PAGE_ID", "17841400000000001", "1202000000000001"),
                ("messenger.page-token", "INSTAGRAM_ACCOUNT_ID", "1202000000000001", "17841400000000001"),
            ]),
            ("whatsapp-business-as-waba-unscoped", []),
            ("whatsapp-business-as-waba-admin-two-wabas", []),
            ("whatsapp-business-as-waba-admin", [("whatsapp.phone-number", "WHATSAPP_BUSINESS_ACCOUNT_ID", "1203000000000001", "1204000000000001")]),
        ])
    func misplacedIDChanges(scenario: String, expected: [(String, String, String, String)]) async throws {
        let plan = try await Self.plan(for: try #require(SandboxScenarios.named(scenario)))
        let changes = plan.configChanges.map { ($0.check?.rawValue ?? "", $0.name, $0.from, $0.to) }
        #expect(changes.map { "\($0)" } == expected.map { "\($0)" })
        #expect(plan.steps.isEmpty)
        for check in Set(expected.map(\.0)) {
            #expect(!plan.manual.contains { $0.check.rawValue == check }, "\(check) is repaired by its changes, not a manual step")
        }
        if expected.isEmpty { #expect(plan.manual.contains { $0.check == "whatsapp.phone-number" }) }
    }

    @Test("The Page and Instagram ids swapped: both .env lines rewritten at once, one backup holding the file as it was, then the check passes")
    func swappedIDsRewritten() async throws {
        let world = try await SandboxWorld.start(scenario: try #require(SandboxScenarios.named("page-and-instagram-swapped")))
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let setup = try await EnvFileSetup(world, in: directory)
        let (envFile, original, request) = (setup.envFile, setup.original, setup.request)
        let (_, plan) = try await setup.plan()
        #expect(plan.configChanges.map(\.name) == ["META_PAGE_ID", "INSTAGRAM_ACCOUNT_ID"])
        let backup = try EnvFileEditor.apply(plan.configChanges)
        let after = try await DoctorRun.run(request())
        await world.stop()
        #expect(after.check("messenger.page-token")?.status == .pass, "\(after.check("messenger.page-token")?.message ?? "")")
        #expect(try String(contentsOfFile: envFile, encoding: .utf8) == original
            .replacingOccurrences(of: "META_PAGE_ID=17841400000000001\n", with: "META_PAGE_ID=1202000000000001\n")
            .replacingOccurrences(of: "INSTAGRAM_ACCOUNT_ID=1202000000000001\n", with: "INSTAGRAM_ACCOUNT_ID=17841400000000001\n"))
        #expect(try String(contentsOfFile: backup, encoding: .utf8) == original, "the backup is the file before either change")
    }

    @Test("--write-env goes with --apply; fix prints human or json only")
    func usage() throws {
        #expect(throws: (any Error).self) { _ = try MetaDoctorCommand.parseAsRoot(["fix", "--write-env"]) }
        #expect(throws: (any Error).self) { _ = try MetaDoctorCommand.parseAsRoot(["fix", "--format", "junit"]) }
        #expect(throws: Never.self) { _ = try MetaDoctorCommand.parseAsRoot(["fix", "--apply", "--write-env", "--format", "json"]) }
    }

    /// `demo --fix` has no .env file: a configuration change is set in the run's own configuration,
    /// and the checks it repairs pass afterwards (exit 0).
    @Test(
        "The plan, in both formats and after --apply, holds no secret; its JSON follows the schema",
        arguments: ["missing-whatsapp-subscription", "waba-stale-override", "ngrok-new-url", "whatsapp-display-number-as-id"])
    func noSecrets(scenario name: String) async throws {
        for format in ["human", "json"] {
            let result = try await MetaDoctorBinary.run(["demo", "--fix", "--scenario", name, "--format", format])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains(format == "json" ? "\"steps\"" : "After the changes"))
            if format == "json" {
                let schema = try SchemaValidator(
                    schemaData: Data(contentsOf: RepositoryPaths.root.appendingPathComponent("reports/fix-plan.schema.json")))
                #expect(schema.validate(Data(result.stdout.utf8)) == [], "the plan follows reports/fix-plan.schema.json")
            }
            let secrets = try #require(SandboxScenarios.named(name)).model().configured
                .filter { ConfigKey(rawValue: $0.key)?.isSecret == true }.map(\.value)
            #expect(!secrets.isEmpty)
            for secret in secrets {
                #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "\(name) \(format)")
            }
        }
    }
}
}

/// A `.env` file (mode 0600) holding a sandbox world's configuration after `header` lines, the run
/// request that reads it, and the plan `fix` makes from it.
struct EnvFileSetup {
    let envFile: String
    let lines: [String]
    let original: String
    let request: () -> DoctorRunRequest

    init(_ world: SandboxWorld, in directory: URL, header: [String] = []) async throws {
        let envFile = directory.appendingPathComponent(".env").path
        lines = header + world.environment().sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        original = lines.joined(separator: "\n") + "\n"
        try Data(original.utf8).write(to: URL(fileURLWithPath: envFile))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: envFile)
        self.envFile = envFile
        request = {
            var request = DoctorRunRequest(configuration: ConfigurationLoader(envFile: envFile, environment: [:]).load())
            request.pointAt(world)
            return request
        }
    }

    func plan() async throws -> (report: Report, plan: RepairPlan) {
        let (report, repairs, changes) = try await DoctorRun.runWithRepairs(request())
        return (report, RepairPlan.make(report: report, repairs: repairs, configChanges: changes, credentials: GraphCredentials(request().configuration)))
    }
}
