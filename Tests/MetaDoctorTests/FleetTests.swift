import DoctorKit
import DoctorTestSupport
import Foundation
import MetaConfig
@testable import MetaDoctorCLI
import MetaGraph
import MetaSandbox
import Reports
import Synchronization
import Testing

/// A fleet world's Graph sandbox and what a run against it delivered.
struct FleetOutcome {
    let lines: [FleetLine]
    let summary: FleetSummary
    let requests: [RecordedRequest]
    let pacer: UsagePacer
}

/// Runs `fleet` against its own Graph sandbox, in process, and collects the NDJSON lines.
func runFleet(
    _ fleet: SandboxFleet, throttle: SandboxThrottle? = nil, concurrency: Int = 8, pacer: UsagePacer = UsagePacer(),
    select: (SandboxFleet.Integration) -> Bool = { _ in true }, timeout: Duration = .seconds(20),
    adjust: @escaping @Sendable (inout DoctorRunRequest) -> Void = { _ in }
) async throws -> FleetOutcome {
    let sandbox = try await GraphSandbox.start(model: fleet.model, throttle: throttle)
    let entries = fleet.integrations.filter(select).map { integration in
        FleetEntry(id: integration.id, origin: integration.id, values: integration.configured)
    }
    var request = FleetRunRequest(entries: entries) { configuration, _ in
        var request = DoctorRunRequest(configuration: configuration)
        request.runTimeout = timeout
        request.checkTimeout = timeout
        adjust(&request)
        return request
    }
    request.concurrency = concurrency
    request.flags = [.graphURL: sandbox.baseURL]
    let shared = SharedRunResources(
        graphTransport: try AHCTransport(settings: .init()), webTransport: try AHCTransport(settings: .init()), pacer: pacer)
    let collected = Mutex<[FleetLine]>([])
    let summary = await FleetRun.run(request, shared: shared) { line in collected.withLock { $0.append(line) } }
    await shared.graphTransport.shutdown()
    await shared.webTransport.shutdown()
    let requests = await sandbox.requests()
    await sandbox.stop()
    return FleetOutcome(lines: collected.withLock { $0 }, summary: summary, requests: requests, pacer: pacer)
}

/// What the doctor must conclude for each way the generator broke an integration: the root
/// check and its status, as the single-integration scenarios' rows say (ScenarioExpectations).
let expectedFleetRootCause: [SandboxFleet.Breakage: (check: String, status: CheckStatus)] = [
    .wabaNotSubscribed: ("whatsapp.waba-subscribed", .fail),
    .pageTokenExpired: ("messenger.page-token", .fail),
    .phoneNumberNotInWABA: ("whatsapp.phone-number", .fail),
    .badAppSecret: ("app.secret", .fail),
]

/// Every secret of a fleet: the integrations' configured ones and the apps' own.
func fleetSecrets(_ fleet: SandboxFleet) -> [String] {
    let names = ConfigKey.allCases.filter(\.isSecret).map(\.name)
    return fleet.integrations.flatMap { integration in names.compactMap { integration.configured[$0] } }
        + fleet.model.apps.values.map(\.secret)
}

extension SandboxRuns {
@Suite("Fleet: many integrations in one run", .timeLimit(.minutes(3)))
struct FleetTests {
    static let tenPercentEach: [SandboxFleet.Breakage: Double] = [
        .wabaNotSubscribed: 0.1, .pageTokenExpired: 0.1, .phoneNumberNotInWABA: 0.1, .badAppSecret: 0.1,
    ]

    @Test("One integration after another: the app-level reads of the first answer every later one from their kept outcome, a wrong secret's refusal included")
    func sharedReadsAfterTheyFinished() async throws {
        let fleet = SandboxFleet(size: 10, apps: 1, shares: [.badAppSecret: 0.2], seed: 3)
        let outcome = try await runFleet(fleet, concurrency: 1)
        #expect(outcome.lines.count == 10)
        for line in outcome.lines {
            let integration = try #require(fleet.integrations.first { $0.id == line.id })
            let broken = line.report.rootCauses.map { "\($0.id.rawValue) \($0.status.rawValue)" }
            #expect(broken == (integration.breakage == nil ? [] : ["app.secret fail"]), "\(line.id)")
        }
        // One app: its secret and each of the 2 wrong ones asked once, however many integrations.
        #expect(outcome.requests.filter { $0.path.hasSuffix("/oauth/access_token") }.count == 3)
        #expect(outcome.requests.filter { $0.path.hasSuffix("/subscriptions") }.count == 3)
    }

    @Test("A fleet of 50 with known broken setups: each integration's root cause, the grouped summary, app-level reads made once per app")
    func fiftyIntegrations() async throws {
        let fleet = SandboxFleet(size: 50, apps: 3, shares: Self.tenPercentEach, seed: 7)
        #expect(fleet.integrations.filter { $0.breakage != nil }.count == 20)
        let outcome = try await runFleet(fleet)
        #expect(outcome.lines.count == 50)
        #expect(Set(outcome.lines.map(\.id)) == Set(fleet.integrations.map(\.id)))
        for line in outcome.lines {
            let integration = try #require(fleet.integrations.first { $0.id == line.id })
            let broken = line.report.rootCauses.map { "\($0.id.rawValue) \($0.status.rawValue)" }
            if let breakage = integration.breakage {
                let expected = try #require(expectedFleetRootCause[breakage])
                #expect(broken.first == "\(expected.check) \(expected.status.rawValue)", "\(line.id) (\(breakage.rawValue)): \(broken)")
                #expect(line.report.exitCode == 1, "\(line.id)")
            } else {
                #expect(broken.isEmpty, "\(line.id) is healthy: \(broken)")
                #expect(line.report.exitCode == 0, "\(line.id)")
            }
        }
        let summary = outcome.summary
        #expect(summary.exitCode == 1)
        #expect(summary.integrations == 50)
        #expect(summary.outcomes.passed.count == 30)
        #expect(summary.outcomes.failed.count == 20)
        #expect(summary.outcomes.couldNotVerify.count == 0)
        let groups = Dictionary(uniqueKeysWithValues: summary.rootCauses.map { ("\($0.check) \($0.status)", $0) })
        #expect(groups.keys.sorted() == ["app.secret fail", "messenger.page-token fail", "whatsapp.phone-number fail", "whatsapp.waba-subscribed fail"])
        for (breakage, expected) in expectedFleetRootCause {
            let group = try #require(groups["\(expected.check) \(expected.status.rawValue)"])
            let ids = fleet.integrations.filter { $0.breakage == breakage }.map(\.id)
            #expect(group.integrations.count == 5)
            #expect(Set(group.integrations.ids) == Set(ids), "\(breakage.rawValue)")
        }
        #expect(groups["whatsapp.waba-subscribed fail"]?.fix.step == "whatsapp-waba-subscription")
        #expect(FleetSummaryRenderer.text(summary).contains("\n  5 × app.secret failed (it checks: The app secret is valid)\n"))
        #expect(groups["messenger.page-token fail"]?.fix.step == "messenger-page-token")

        // Shared reads: /{app-id}/subscriptions and the token exchange once per app and secret (3
        // apps, and the 5 integrations with a wrong secret each their own), not once per integration.
        let subscriptions = outcome.requests.filter { $0.path.hasSuffix("/subscriptions") }
        let exchanges = outcome.requests.filter { $0.path.hasSuffix("/oauth/access_token") }
        #expect(subscriptions.count == 8)
        #expect(exchanges.count == 8)
        #expect(Set(subscriptions.map(\.path)).count == 3)

        // The NDJSON lines hold check's JSON report; the summary its own schema.
        let reportSchema = try SchemaValidator.reportSchema()
        for line in outcome.lines.prefix(5) {
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.encoded.utf8)) as? [String: Any])
            #expect(object["id"] as? String == line.id)
            let report = try JSONSerialization.data(withJSONObject: try #require(object["report"]))
            #expect(reportSchema.validate(report) == [])
            #expect(line.encoded.filter { $0 == "\n" }.count == 1, "one line per integration")
        }
        let summarySchema = try SchemaValidator(
            schemaData: Data(contentsOf: RepositoryPaths.root.appendingPathComponent("reports/fleet-summary.schema.json")))
        #expect(summarySchema.validate(Data(FleetSummaryRenderer.json(summary).utf8)) == [])

        // No secret in any output: the lines, the summary in every form, the URLs Meta received.
        let outputs = outcome.lines.map(\.encoded) + [
            FleetSummaryRenderer.text(summary), FleetSummaryRenderer.markdown(summary), FleetSummaryRenderer.json(summary),
        ]
        let secrets = fleetSecrets(fleet)
        // Three configured secrets an integration, and the world's five apps' own.
        #expect(secrets.count == 50 * 3 + 5)
        for secret in secrets {
            #expect(!outputs.contains { $0.contains(secret) }, "a secret in the fleet's output")
            #expect(!outcome.requests.contains { urlWithoutInspectedToken($0).contains(secret) }, "a secret in a Graph URL")
        }
    }

    @Test("A WABA past its budget (80008, minutes to regain access): its WhatsApp checks could not verify, its Messenger checks still pass")
    func wabaThrottled() async throws {
        let fleet = SandboxFleet(size: 3, apps: 1, shares: [:], seed: 11)
        let throttle = SandboxThrottle(window: .seconds(3600), appCalls: 10_000, wabaCalls: 1, pageCalls: 10_000)
        let outcome = try await runFleet(fleet, throttle: throttle, concurrency: 1, timeout: .seconds(10))
        #expect(outcome.lines.count == 3)
        for line in outcome.lines {
            #expect(line.report.exitCode == 3, "\(line.id)")
            #expect(line.report.check("messenger.page-token")?.status == .pass, "\(line.id)")
            #expect(line.report.check("messenger.page-subscribed")?.status == .pass, "\(line.id)")
            let whatsapp = line.report.checks.filter { $0.platform == "whatsapp" && $0.status == .error }
            #expect(!whatsapp.isEmpty, "\(line.id)")
            #expect(
                whatsapp.contains { $0.message.contains("(#80008) There have been too many calls to this WhatsApp Business account") },
                "\(line.id): \(whatsapp.map(\.message))")
            #expect(line.report.checks.allSatisfy { $0.status != .fail }, "\(line.id)")
        }
        // An hour to regain access is past every deadline: no throttled call was tried again.
        for integration in fleet.integrations {
            let waba = try #require(integration.configured["WHATSAPP_BUSINESS_ACCOUNT_ID"])
            let calls = outcome.requests.filter { $0.path.contains(waba) }.map { "\($0.method) \($0.path)?\($0.query ?? "")" }
            #expect(!calls.isEmpty)
            #expect(Set(calls).count == calls.count, "\(integration.id): \(calls)")
        }
    }

    @Test("Cancelling (Ctrl-C) starts no further integration, keeps the lines written and delivers none cut short")
    func interrupted() async throws {
        let fleet = SandboxFleet(size: 16, apps: 1, shares: [:], seed: 9)
        let sandbox = try await GraphSandbox.start(model: fleet.model, faults: [SandboxFault(.latency(.milliseconds(150)))])
        var request = FleetRunRequest(
            entries: fleet.integrations.map { FleetEntry(id: $0.id, origin: $0.id, values: $0.configured) }
        ) { configuration, _ in DoctorRunRequest(configuration: configuration) }
        request.concurrency = 2
        request.flags = [.graphURL: sandbox.baseURL]
        let shared = SharedRunResources(
            graphTransport: try AHCTransport(settings: .init()), webTransport: try AHCTransport(settings: .init()), pacer: UsagePacer())
        let delivered = Mutex<[FleetLine]>([])
        let run = Task {
            await FleetRun.run(request, shared: shared) { line in delivered.withLock { $0.append(line) } }
        }
        for _ in 0..<3000 where delivered.withLock({ $0.count }) < 2 { try await Task.sleep(for: .milliseconds(20)) }
        try #require(delivered.withLock { $0.count } >= 2, "two lines within a minute")
        run.cancel()
        let summary = await run.value
        await shared.graphTransport.shutdown()
        await shared.webTransport.shutdown()
        await sandbox.stop()
        let lines = delivered.withLock { $0 }
        #expect(summary.interrupted)
        #expect(summary.exitCode == 130)
        #expect(lines.count >= 2 && lines.count < 16)
        #expect(summary.integrations == lines.count)
        #expect(lines.allSatisfy { !$0.report.interrupted && $0.report.exitCode == 0 })
    }

    @Test("An integration whose run cannot start (its trust roots gone) ends as could-not-verify with a valid report and a redacted note; the others go on")
    func runThatThrows() async throws {
        let fleet = SandboxFleet(size: 3, apps: 1, shares: [:], seed: 5)
        let victim = fleet.integrations[1]
        let token = try #require(victim.configured["META_PAGE_ACCESS_TOKEN"])
        // TLSInspector reads the CA file at the start of every run: a file gone since `fleet`
        // validated it makes that one run throw. Its path carries the token, to see it redacted.
        let missing = "/nonexistent/\(token).pem"
        let outcome = try await runFleet(
            fleet, concurrency: 1,
            adjust: { request in if request.configuration.string(.pageAccessToken) == token { request.transport.caFile = missing } })
        #expect(outcome.lines.count == 3)
        let line = try #require(outcome.lines.first { $0.id == victim.id })
        #expect(line.report.exitCode == 3)
        #expect(line.report.checks.isEmpty)
        let note = try #require(line.report.notes?.first)
        #expect(note.text.hasPrefix("No check ran: the run could not start: "))
        #expect(note.text.contains("[REDACTED]"))
        #expect(!line.encoded.contains(token))
        #expect(note.guideURL.hasSuffix("#could-not-verify"), "\(note.guideURL)")
        #expect(try SchemaValidator.reportSchema().validate(Data(JSONRenderer.encode(line.report).utf8)) == [])
        for other in outcome.lines where other.id != victim.id { #expect(other.report.exitCode == 0, "\(other.id)") }
        #expect(outcome.summary.integrations == 3)
        #expect(outcome.summary.outcomes.couldNotVerify.ids == [victim.id])
        #expect(outcome.summary.outcomes.passed.count == 2)
        #expect(outcome.summary.exitCode == 3)
    }

    @Test("The markdown summary escapes a hostile id: no HTML, link, image, code span, emphasis or extra cell gets into $GITHUB_STEP_SUMMARY")
    func markdownEscapesIDs() {
        let hostile = "<img src=x onerror=alert(1)>|[click](https://evil.example)![i](x)`code`*b*_i_~s~&amp;\n# h"
        var group = FleetSummary.IDGroup()
        group.add(hostile)
        var outcomes = FleetSummary.Outcomes()
        outcomes.failed = group
        let fix = CheckReport.Fix(step: "app-id-and-secret", title: "2. Find the App ID and App Secret", url: "https://example.org/guide#app-id-and-secret", action: nil)
        let summary = FleetSummary(
            tool: .init(name: "meta-doctor", version: "0.2.0"), startedAt: "2026-12-01T00:00:00Z", durationMs: 1000, exitCode: 1,
            interrupted: false, integrations: 1, skipped: .init(), outcomes: outcomes,
            rootCauses: [
                .init(check: "app.secret", status: "fail", title: "The app secret is valid", example: "x", fix: fix, integrations: group)
            ])
        let row = FleetSummaryRenderer.markdown(summary).split(separator: "\n").last.map(String.init)
        #expect(
            row
                == ##"| 1 | `app.secret` The app secret is valid | fail | [2. Find the App ID and App Secret](https://example.org/guide#app-id-and-secret) | \<img src=x onerror=alert\(1\)\>\|\[click\]\(https://evil.example\)\!\[i\]\(x\)\`code\`\*b\*\_i\_\~s\~\&amp; \# h |"##)
    }

    @Test("The summary lists at most 20 ids a group and counts the rest")
    func cappedIDs() async throws {
        let fleet = SandboxFleet(size: 30, apps: 1, shares: [.wabaNotSubscribed: 0.8], seed: 3)
        let outcome = try await runFleet(fleet)
        let group = try #require(outcome.summary.rootCauses.first { $0.check == "whatsapp.waba-subscribed" })
        #expect(group.integrations.count == 24)
        #expect(group.integrations.ids == fleet.integrations.filter { $0.breakage == .wabaNotSubscribed }.map(\.id).sorted().prefix(20).map { $0 })
        #expect(group.integrations.more == 4)
        #expect(FleetSummaryRenderer.text(outcome.summary).contains(" and 4 more"))
    }

    @Test("Past the app's budget the run slows, stops sending, and ends the throttled integrations as could-not-verify, never failed")
    func throttled() async throws {
        let fleet = SandboxFleet(size: 12, apps: 1, shares: [:], seed: 5)
        let waits = Mutex<[Duration]>([])
        let pacer = UsagePacer(
            policy: .init(slowAbove: 80, slowdown: .milliseconds(40), throttleBackoff: .seconds(60)),
            sleep: { duration in waits.withLock { $0.append(duration) } })
        let throttle = SandboxThrottle(window: .seconds(3600), appCalls: 12, wabaCalls: 10_000, pageCalls: 10_000)
        let outcome = try await runFleet(fleet, throttle: throttle, concurrency: 2, pacer: pacer, timeout: .seconds(10))
        #expect(outcome.lines.count == 12)
        let statuses = outcome.lines.map(\.report.exitCode)
        #expect(!statuses.contains(1) && !statuses.contains(2), "a throttle is never a failure: \(statuses)")
        #expect(statuses.contains(0), "the first integrations fit the budget")
        #expect(statuses.contains(3), "the later ones could not be verified")
        for line in outcome.lines where line.report.exitCode == 3 {
            let errors = line.report.checks.filter { $0.status == .error }
            #expect(!errors.isEmpty)
            for check in errors {
                #expect(
                    check.message.contains("Meta throttled the app") || check.message.contains("(#4) Application request limit reached"),
                    "\(line.id) \(check.id): \(check.message)")
            }
        }
        #expect(outcome.summary.exitCode == 3)
        #expect(outcome.summary.outcomes.failed.count == 0)
        let statistics = pacer.statistics
        #expect(statistics.waits > 0, "above 80 % the requests were slowed")
        #expect(waits.withLock { $0 }.allSatisfy { $0 > .zero && $0 <= .milliseconds(40) })
        #expect(statistics.refused > 0, "once throttled, requests were not sent")
        // The summary says so, so a slow or unverified run explains itself.
        let pacing = outcome.summary.pacing
        #expect(pacing.waits == statistics.waits && pacing.notSent == statistics.refused)
        #expect(FleetSummaryRenderer.text(outcome.summary).contains(
            "\n  paced by Meta's usage headers: \(statistics.waits) requests slowed, "))
        #expect(FleetSummaryRenderer.text(outcome.summary).contains("; \(statistics.refused) not sent (the wait would pass the deadline)\n"))
    }

    @Test("The summary's pacing line, in text, markdown and JSON, from literal counts")
    func pacingLine() throws {
        var summary = FleetSummaryBuilder().summary(startedAt: Date(timeIntervalSince1970: 0), duration: .seconds(2), interrupted: false, skipped: .init())
        #expect(!FleetSummaryRenderer.text(summary).contains("paced"), "no line when nothing was held back")
        summary.pacing = FleetSummary.Pacing(waits: 12, waitedMs: 3400, notSent: 5)
        #expect(FleetSummaryRenderer.text(summary).contains(
            "\n  paced by Meta's usage headers: 12 requests slowed, 3.4 s in all; 5 not sent (the wait would pass the deadline)\n"))
        #expect(FleetSummaryRenderer.markdown(summary).contains(
            "\nPaced by Meta's usage headers: 12 requests slowed, 3.4 s in all; 5 not sent (the wait would pass the deadline).\n"))
        summary.pacing = FleetSummary.Pacing(waits: 1, waitedMs: 40, notSent: 0)
        #expect(FleetSummaryRenderer.text(summary).contains("\n  paced by Meta's usage headers: 1 request slowed, 0.0 s in all\n"))
        let schema = try SchemaValidator(
            schemaData: Data(contentsOf: RepositoryPaths.root.appendingPathComponent("reports/fleet-summary.schema.json")))
        #expect(schema.validate(Data(FleetSummaryRenderer.json(summary).utf8)) == [])
        #expect(FleetSummaryRenderer.json(summary).contains(#""waitedMs" : 40"#) || FleetSummaryRenderer.json(summary).contains(#""waitedMs":40"#))
    }
}
}

@Suite("Fleet manifests, shards and resume")
struct FleetManifestTests {
    @Test("A manifest with good and bad lines: every bad line named with what is wrong, no secret value echoed, nothing returned")
    func badLines() throws {
        let text = """
            {"id": "good-1", "META_APP_ID": "1", "META_APP_SECRET": {"env": "GOOD_SECRET"}, "WHATSAPP_BUSINESS_ACCOUNT_ID": "2"}
            {"id": "inline", "META_APP_ID": "1", "META_APP_SECRET": "s3cr3t-inline-value"}

            {"META_APP_ID": "1"}
            {"id": "good-1", "META_APP_ID": "1"}
            {"id": "typo", "META_APP_IDD": "1"}
            {"id": "number", "META_APP_ID": 123}
            {"id": "unset", "META_PAGE_ACCESS_TOKEN": {"env": "NOT_SET_ANYWHERE"}}
            {"id": "missing-file", "WHATSAPP_ACCESS_TOKEN": {"file": "secrets/none.token"}}
            not json
            {"id": "both", "META_APP_SECRET": {"env": "GOOD_SECRET", "file": "x"}}
            {"id": "", "META_APP_ID": "1"}
            """
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = directory.appendingPathComponent("fleet.jsonl")
        // The last line has no newline: a manifest a person wrote is read to its end.
        try Data(text.utf8).write(to: manifest)
        let error = try #require(throws: FleetManifestError.self) {
            try FleetManifest.load(manifest.path, environment: ["GOOD_SECRET": "good-secret-value"])
        }
        #expect(error.problems == [
            "line 2: META_APP_SECRET is a secret given inline; give it by reference, {\"env\": \"NAME\"} or {\"file\": \"path\"}.",
            "line 4: no \"id\" (a stable name for the integration).",
            "line 5: id \"good-1\" is also on line 1; ids must be unique.",
            "line 6: unknown name \"META_APP_IDD\"; `meta-doctor check --help` lists the variables.",
            "line 7: META_APP_ID must be a string (ids too: \"123\", not 123).",
            "line 8: META_PAGE_ACCESS_TOKEN is read from $NOT_SET_ANYWHERE, which is not set.",
            "line 9: WHATSAPP_ACCESS_TOKEN is read from secrets/none.token, which cannot be read: no such file.",
            "line 10: not a JSON object (one flat object a line).",
            "line 11: META_APP_SECRET must be {\"env\": \"NAME\"} or {\"file\": \"path\"}, with one of the two.",
            "line 12: \"id\" is empty.",
        ])
        #expect(!error.description.contains("s3cr3t-inline-value"))
        #expect(!error.description.contains("good-secret-value"))
    }

    @Test("Good lines: secrets from the environment and from files relative to the manifest's directory")
    func goodLines() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("secrets"), withIntermediateDirectories: true)
        try Data("EAAfiletoken\n".utf8).write(to: directory.appendingPathComponent("secrets/b.token"))
        let manifest = directory.appendingPathComponent("fleet.jsonl")
        try Data("""
            {"id": "a", "META_APP_ID": "1", "META_APP_SECRET": {"env": "A_SECRET"}}
            {"id": "b", "WHATSAPP_BUSINESS_ACCOUNT_ID": "2", "WHATSAPP_ACCESS_TOKEN": {"file": "secrets/b.token"}}

            """.utf8).write(to: manifest)
        let environment = ["A_SECRET": "from-env"]
        let index = try FleetManifest.load(manifest.path, environment: environment)
        let entries = index.entries
        #expect(entries.map(\.id) == ["a", "b"])
        #expect(entries[1].origin == "line 2")
        #expect(index.appSecrets == ["from-env"])
        // Only the lines' places are kept; each is read again, its secrets resolved, as it starts.
        func values(_ entry: FleetEntry) throws -> [String: String] {
            guard case .manifestLine(let line) = entry.source else { throw FleetManifestError(problems: ["\(entry.id): \(entry.source)"]) }
            return try FleetManifest.values(of: line, id: entry.id, environment: environment)
        }
        #expect(try values(entries[0]) == ["META_APP_ID": "1", "META_APP_SECRET": "from-env"])
        #expect(try values(entries[1]) == ["WHATSAPP_BUSINESS_ACCOUNT_ID": "2", "WHATSAPP_ACCESS_TOKEN": "EAAfiletoken"])

        // A line changed since the check, or a secret gone, is that integration's problem when it starts.
        try Data("EAAfiletoken-rotated\n".utf8).write(to: directory.appendingPathComponent("secrets/b.token"))
        #expect(try values(entries[1])["WHATSAPP_ACCESS_TOKEN"] == "EAAfiletoken-rotated", "read as it starts, not when checked")
        try FileManager.default.removeItem(at: directory.appendingPathComponent("secrets/b.token"))
        #expect(throws: FleetManifestError.self) { try values(entries[1]) }
        try Data(#"{"id": "z", "META_APP_ID": "1"}"#.utf8 + Data("\n".utf8)).write(to: manifest)
        let changed = #expect(throws: FleetManifestError.self) { try values(entries[0]) }
        #expect(changed?.problems == ["line 1 changed since the manifest was checked; run the fleet again."])
    }

    @Test("A manifest over its size bound, or with a line over the line bound, is refused naming which, before any line is used")
    func bounds() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = directory.appendingPathComponent("fleet.jsonl")
        let line = #"{"id": "a", "META_APP_ID": "1"}"# + "\n"
        try Data(String(repeating: line, count: 200).utf8).write(to: manifest)
        let large = #expect(throws: FleetManifestError.self) { try FleetManifest.load(manifest.path, environment: [:], maxBytes: 4096) }
        #expect(large?.problems == ["\(manifest.path) cannot be read: it is larger than 4 KiB."])
        // Exactly at the bound is within it.
        func numbered(_ index: Int) -> String { #"{"id": "a"# + String(format: "%04d", index) + #"", "META_APP_ID": "1"}"# + "\n" }
        let count = 4096 / numbered(0).utf8.count
        let exact = Data(((0..<count).map(numbered).joined() + String(repeating: " ", count: 4096 % numbered(0).utf8.count)).utf8)
        #expect(exact.count == 4096)
        try exact.write(to: manifest)
        #expect(try FleetManifest.load(manifest.path, environment: [:], maxBytes: 4096).entries.count == count)
        try Data((line + #"{"id": "b", "META_APP_ID": ""# + String(repeating: "9", count: 2000) + "\"}\n").utf8).write(to: manifest)
        let long = #expect(throws: FleetManifestError.self) { try FleetManifest.load(manifest.path, environment: [:], maxLineBytes: 1024) }
        #expect(long?.problems == ["\(manifest.path) cannot be read: line 2 is longer than 1 KiB."])
    }

    @Test("A line changed after the check ends its integration as could-not-verify, with a note and no platform claimed; the others run")
    func lineChangedBeforeItStarts() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = directory.appendingPathComponent("fleet.jsonl")
        let first = #"{"id": "a", "META_APP_ID": "1"}"# + "\n"
        try Data((first + #"{"id": "b", "META_APP_ID": "1"}"# + "\n").utf8).write(to: manifest)
        let index = try FleetManifest.load(manifest.path, environment: [:])
        try Data((first + #"{"id": "c", "META_APP_ID": "1"}"# + "\n").utf8).write(to: manifest)
        var request = FleetRunRequest(entries: index.entries) { configuration, _ in DoctorRunRequest(configuration: configuration) }
        request.flags = [.graphURL: "http://127.0.0.1:9"]
        let shared = SharedRunResources(graphTransport: try AHCTransport(), webTransport: try AHCTransport(), pacer: UsagePacer())
        let delivered = Mutex<[FleetLine]>([])
        let summary = await FleetRun.run(request, shared: shared) { line in delivered.withLock { $0.append(line) } }
        await shared.graphTransport.shutdown()
        await shared.webTransport.shutdown()
        let lines = delivered.withLock { $0 }
        #expect(summary.integrations == 2)
        let changed = try #require(lines.first { $0.id == "b" })
        #expect(changed.report.exitCode == 3)
        #expect(changed.report.checks.isEmpty && changed.report.platforms.isEmpty)
        #expect(changed.report.notes?.first?.text == "No check ran: the run could not start: line 2 changed since the manifest was checked; run the fleet again.")
        #expect(lines.first { $0.id == "a" }?.report.checks.isEmpty == false, "a ran its checks")
    }

    @Test("A directory of .env files: one integration per file, its name the id")
    func envDirectory() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("META_APP_ID=1\nMETA_APP_SECRET=abc\n".utf8).write(to: directory.appendingPathComponent("shop-b.env"))
        try Data("META_APP_ID=2\n".utf8).write(to: directory.appendingPathComponent("shop-a.env"))
        try Data("ignored".utf8).write(to: directory.appendingPathComponent("README"))
        let entries = try FleetManifest.load(directory.path, environment: [:]).entries
        #expect(entries.map(\.id) == ["shop-a", "shop-b"])
        // Only the path is kept; the file is read again when the integration runs.
        guard case .envFile(let path) = entries[1].source else {
            Issue.record("shop-b's source is \(entries[1].source)")
            return
        }
        #expect(path == directory.appendingPathComponent("shop-b.env").path)
        let configuration = try FleetRun.loader(for: entries[1], flags: [:], environment: [:]).load(readingDefaultFile: false)
        #expect(configuration.string(.appSecret) == "abc")
    }

    @Test("A directory of .env files: an unknown name is named with its file and line, as a manifest line's is, and nothing runs")
    func envDirectoryUnknownNames() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("META_APP_ID=1\n# a comment\nMETA_APP_SECRT=abc\n".utf8).write(to: directory.appendingPathComponent("shop-a.env"))
        try Data("META_APP_ID=2\n".utf8).write(to: directory.appendingPathComponent("shop-b.env"))
        let error = #expect(throws: FleetManifestError.self) { try FleetManifest.load(directory.path, environment: [:]) }
        #expect(
            error?.problems == [
                "shop-a.env line 3: unknown name \"META_APP_SECRT\"; `meta-doctor check --help` lists the variables."
            ])
    }

    @Test("sandbox --fleet's secret files are created mode 0600 and new, replacing an earlier run's file or link, never writing through it")
    func manifestWriterSecretFiles() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fleet = SandboxFleet(size: 2, apps: 1, shares: [:], seed: 4)
        let id = fleet.integrations[0].id
        let token = try #require(fleet.integrations[0].configured["META_PAGE_ACCESS_TOKEN"])
        let secrets = directory.appendingPathComponent("secrets")
        try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true)
        let outside = directory.appendingPathComponent("outside.txt")
        try Data("not a secret\n".utf8).write(to: outside)
        let linked = secrets.appendingPathComponent("\(id).META_PAGE_ACCESS_TOKEN")
        try FileManager.default.createSymbolicLink(at: linked, withDestinationURL: outside)
        try FleetManifestWriter.write(fleet, graphURL: "http://127.0.0.1:9", to: directory.path)
        #expect(try String(contentsOf: outside, encoding: .utf8) == "not a secret\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: linked.path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        #expect(try String(contentsOf: linked, encoding: .utf8) == token + "\n")
        for name in try FileManager.default.contentsOfDirectory(atPath: secrets.path) {
            let mode = try FileManager.default.attributesOfItem(atPath: secrets.appendingPathComponent(name).path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name)")
        }
    }

    @Test("Shards 1/3, 2/3 and 3/3 together hold every id exactly once, by a hash that is the same on every machine")
    func shards() throws {
        // FNV-1a 64's published test vectors.
        #expect(FleetShard.stableHash("") == 0xcbf2_9ce4_8422_2325)
        #expect(FleetShard.stableHash("a") == 0xaf63_dc4c_8601_ec8c)
        let ids = (1...1000).map { "customer-\($0)" }
        let shards = (1...3).map { FleetShard(argument: "\($0)/3")! }
        for id in ids { #expect(shards.filter { $0.contains(id) }.count == 1, "\(id)") }
        for shard in shards { #expect(ids.filter(shard.contains).count > 250, "shards are balanced") }
        #expect(FleetShard(argument: "0/3") == nil)
        #expect(FleetShard(argument: "4/3") == nil)
        #expect(FleetShard(argument: "1/0") == nil)
        #expect(FleetShard(argument: "2") == nil)
        #expect(FleetShard(argument: "1/1")?.contains("anything") == true)
    }

    @Test("Resume reads the ids of complete lines only")
    func resume() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("out.ndjson")
        try Data("""
            {"id":"done-1","report":{"checks":[]}}
            {"id":"done-2","report":{"checks":[]}}
            not a line of ours
            {"id":"no-report"}
            {"id":"cut-short","report":{"chec
            """.utf8).write(to: file)
        #expect(try FleetResume.finishedIDs(in: file.path) == ["done-1", "done-2"])
    }

    @Test("Resume streams the file: lines across read chunks count, a line past the bound is named by number, a missing file holds no id, a directory is refused")
    func resumeStreams() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("out.ndjson")
        // 200 KiB lines: each spans several of the 64 KiB chunks the reader reads.
        let padding = String(repeating: "x", count: 200 * 1024)
        let lines = (1...3).map { "{\"id\":\"big-\($0)\",\"report\":{\"pad\":\"\(padding)\"}}" }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        #expect(try FleetResume.finishedIDs(in: file.path) == ["big-1", "big-2", "big-3"])

        let bounded = directory.appendingPathComponent("bounded.ndjson")
        try Data("{\"id\":\"a\",\"report\":{}}\n{\"id\":\"b\",\"report\":{\"pad\":\"\(padding)\"}}\n".utf8).write(to: bounded)
        let error = #expect(throws: FleetManifestError.self) { try FleetResume.finishedIDs(in: bounded.path, maxLineBytes: 1024) }
        #expect(error?.problems == ["--resume \(bounded.path) cannot be read: line 2 is longer than 1 KiB."])

        #expect(try FleetResume.finishedIDs(in: directory.appendingPathComponent("not-yet.ndjson").path) == [])
        let refused = #expect(throws: FleetManifestError.self) { try FleetResume.finishedIDs(in: directory.path) }
        #expect(refused?.problems == ["--resume \(directory.path) cannot be read: it is a directory."])
    }
}

@Suite("Usage headers pace the fleet")
struct UsagePacerTests {
    @Test("MB-G40, MB-G41: the three headers in Meta's shapes: the highest percentage of each subject, regain minutes of business use-case usage")
    func readings() {
        let readings = UsageReading.readings(
            appUsage: #"{"call_count":28,"total_time":25,"total_cputime":25}"#,
            businessUseCaseUsage: #"{"1304000000000001":[{"type":"whatsapp_business_management","call_count":97,"total_cputime":23,"total_time":23,"estimated_time_to_regain_access":0}],"1302000000000001":[{"type":"pages","call_count":100,"total_cputime":40,"total_time":40,"estimated_time_to_regain_access":7}]}"#,
            pageUsage: #"{"call_count":12,"total_cputime":3,"total_time":81}"#, appID: "1301000000000001", object: "1302000000000009")
        #expect(readings == [
            UsageReading(subject: "app:1301000000000001", percent: 28),
            UsageReading(subject: "object:1302000000000009", percent: 81),
            UsageReading(subject: "object:1302000000000001", percent: 100, minutesToRegainAccess: 7),
            UsageReading(subject: "object:1304000000000001", percent: 97),
        ])
        #expect(UsageReading.readings(appUsage: "not json", businessUseCaseUsage: #"{"x":[1]}"#, pageUsage: nil, appID: "1", object: nil) == [])
    }

    @Test("MB-G42: below 80 % no wait; above, a wait growing to the slowdown at 100 %; throttled, no request until access returns or past the deadline")
    func pacing() async throws {
        let clock = Mutex(ContinuousClock.now)
        let slept = Mutex<[Duration]>([])
        let pacer = UsagePacer(
            policy: .init(slowAbove: 80, slowdown: .seconds(2), throttleBackoff: .seconds(60)), now: { clock.withLock { $0 } },
            sleep: { duration in slept.withLock { $0.append(duration) } })
        let subjects = pacer.subjects(appID: "1", object: "1304000000000001")
        #expect(subjects == ["app:1", "object:1304000000000001"])
        let far = clock.withLock { $0 }.advanced(by: .seconds(3600))

        pacer.observe([UsageReading(subject: "app:1", percent: 80)], requestSubjects: subjects, object: "1304000000000001", throttled: false)
        try await pacer.admit(subjects, endpoint: "/v25.0/x", by: far)
        #expect(slept.withLock { $0 } == [])

        pacer.observe([UsageReading(subject: "app:1", percent: 90)], requestSubjects: subjects, object: "1304000000000001", throttled: false)
        try await pacer.admit(subjects, endpoint: "/v25.0/x", by: far)
        #expect(slept.withLock { $0 } == [.seconds(1)])

        // A phone number's usage comes keyed by its WABA (MB-G41): later requests of it follow the WABA.
        pacer.observe(
            [UsageReading(subject: "object:1304000000000001", percent: 100, minutesToRegainAccess: 5)], requestSubjects: ["object:1305000000000001"],
            object: "1305000000000001", throttled: true)
        #expect(pacer.subjects(appID: nil, object: "1305000000000001") == ["object:1305000000000001", "object:1304000000000001"])
        try await pacer.admit(["object:1304000000000001"], endpoint: "/v25.0/x", by: far)
        #expect(slept.withLock { $0 }.last == .seconds(300))

        let soon = clock.withLock { $0 }.advanced(by: .seconds(20))
        let error = await #expect(throws: GraphError.self) {
            try await pacer.admit(["object:1304000000000001"], endpoint: "/v25.0/1304000000000001", by: soon)
        }
        #expect(error?.kind == .rateLimited)
        #expect(error?.message == "Meta throttled the object 1304000000000001; access returns in about 5 min; the request was not sent, as waiting 300 s would pass the integration's deadline.")
        clock.withLock { $0 = $0.advanced(by: .seconds(301)) }
        // The regain time has passed; the last reading (100 %) still slows, to the full slowdown.
        try await pacer.admit(["object:1304000000000001"], endpoint: "/v25.0/x", by: far)
        #expect(slept.withLock { $0 }.last == .seconds(2))
        #expect(pacer.statistics.refused == 1)

        // A throttle error without any usage header blocks the request's subjects for the backoff.
        pacer.observe([], requestSubjects: ["app:2"], object: nil, throttled: true)
        try await pacer.admit(["app:2"], endpoint: "/v25.0/x", by: far)
        #expect(slept.withLock { $0 }.last == .seconds(60))
    }
}
