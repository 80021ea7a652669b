import DoctorKit
import DoctorTestSupport
import Foundation
import MetaConfig
import MetaDoctorCLI
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
    select: (SandboxFleet.Integration) -> Bool = { _ in true }, timeout: Duration = .seconds(20)
) async throws -> FleetOutcome {
    let sandbox = try await GraphSandbox.start(model: fleet.model, throttle: throttle)
    let entries = fleet.integrations.filter(select).map { integration in
        FleetEntry(id: integration.id, origin: integration.id, values: integration.configured)
    }
    var request = FleetRunRequest(entries: entries) { configuration, _ in
        var request = DoctorRunRequest(configuration: configuration)
        request.runTimeout = timeout
        request.checkTimeout = timeout
        return request
    }
    request.concurrency = concurrency
    request.flags = [.graphURL: sandbox.baseURL]
    let shared = SharedRunResources(
        graphTransport: try AHCTransport(settings: .init()), webTransport: try AHCTransport(settings: .init()), pacer: pacer)
    let collected = Mutex<[FleetLine]>([])
    let summary: FleetSummary
    do {
        summary = try await FleetRun.run(request, shared: shared) { line in collected.withLock { $0.append(line) } }
    } catch {
        await shared.graphTransport.shutdown()
        await shared.webTransport.shutdown()
        await sandbox.stop()
        throw error
    }
    await shared.graphTransport.shutdown()
    await shared.webTransport.shutdown()
    let requests = await sandbox.requests()
    await sandbox.stop()
    return FleetOutcome(lines: collected.withLock { $0 }, summary: summary, requests: requests, pacer: pacer)
}

extension SandboxRuns {
@Suite("Fleet: many integrations in one run", .timeLimit(.minutes(3)))
struct FleetTests {
    @Test("explore")
    func explore() async throws {
        let fleet = SandboxFleet(size: 10, apps: 2, shares: [.wabaNotSubscribed: 0.1, .pageTokenExpired: 0.1, .phoneNumberNotInWABA: 0.1, .badAppSecret: 0.1])
        let outcome = try await runFleet(fleet)
        for line in outcome.lines {
            let breakage = fleet.integrations.first { $0.id == line.id }?.breakage
            print(line.id, breakage?.rawValue ?? "healthy", line.report.exitCode, line.report.checks.filter { $0.status != .pass && $0.status != .skip }.map { "\($0.id.rawValue)=\($0.status.rawValue): \($0.message.prefix(120))" })
        }
        print(FleetSummaryRenderer.text(outcome.summary))
        print(outcome.requests.count, outcome.requests.filter { $0.path.hasSuffix("/subscriptions") }.count, outcome.requests.filter { $0.path.hasSuffix("/access_token") }.count)
    }
}
}
