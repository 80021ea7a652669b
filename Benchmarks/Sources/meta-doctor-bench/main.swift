import DoctorKit
import Foundation
import MetaChecks
import MetaConfig
import MetaDoctorCLI
import MetaSandbox

#if canImport(Glibc)
import Glibc
#endif

/// The bench command: prints a table of
/// - a full `check` of all platforms against the sandbox with 100 ms added to every Graph and
///   webhook request, against the critical-path bound and against one check at a time;
/// - startup time and peak RSS of the release binary (`--version`, `list`, `demo`);
/// - peak RSS of the binary against hostile webhook endpoints.
/// Usage: meta-doctor-bench PATH-TO-RELEASE-meta-doctor

let latency: Duration = .milliseconds(100)

/// Sequential request rounds each probe makes when nothing is cached (its calls that wait on each
/// other; concurrent calls count once). Read from the probes' code: app.secret exchanges then reads
/// the app; app.subscriptions reads the subscriptions then the WhatsApp overrides; every other probe
/// makes its calls at once.
let rounds: [String: Int] = [
    "app.secret": 2, "app.subscriptions": 2, "messenger.page-token": 1, "messenger.page-subscribed": 1,
    // whatsapp.health reads the phone number node that app.subscriptions already read (same fields,
    // the run's memo), so it adds no round trip of its own in a full check.
    "whatsapp.token": 1, "whatsapp.phone-number": 1, "whatsapp.waba-subscribed": 1, "whatsapp.health": 0,
    "instagram.token": 1, "instagram.linked": 1,
    "webhook.messenger.https": 1, "webhook.whatsapp.https": 1, "webhook.instagram.https": 1,
    "webhook.messenger.verify": 1, "webhook.whatsapp.verify": 1, "webhook.instagram.verify": 1,
    "webhook.messenger.signature": 1, "webhook.whatsapp.signature": 1, "webhook.instagram.signature": 1,
]

/// The longest chain of dependent rounds through the catalog.
func criticalPathRounds() -> Int {
    var memo: [CheckID: Int] = [:]
    let descriptions = Dictionary(uniqueKeysWithValues: MetaCatalog.descriptions.map { ($0.id, $0) })
    func finish(_ id: CheckID) -> Int {
        if let known = memo[id] { return known }
        let before = descriptions[id]!.prerequisites.map(finish).max() ?? 0
        let total = before + (rounds[id.rawValue] ?? 0)
        memo[id] = total
        return total
    }
    return MetaCatalog.descriptions.map { finish($0.id) }.max() ?? 0
}

func fullCheck(maxConcurrency: Int) async throws -> (seconds: Double, report: Report) {
    let scenario = SandboxScenario(
        name: "bench", summary: "Healthy, 100 ms per request.", faults: [SandboxFault(.latency(latency))],
        webhook: WebhookSetup(latency: latency))
    let world = try await SandboxWorld.start(scenario: scenario)
    var request = DoctorRunRequest.forSandbox(world)
    request.maxConcurrency = maxConcurrency
    request.runTimeout = .seconds(120)
    request.checkTimeout = .seconds(60)
    let started = ContinuousClock.now
    let report = try await DoctorRun.run(request)
    let elapsed = started.duration(to: .now)
    await world.stop()
    return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, report)
}

/// Runs the binary under GNU time (Debian's `time` package) and returns its wall time, peak RSS
/// and exit status. A child spawned straight from this process would report this process's peak RSS
/// (Linux carries the pre-exec high-water mark over); GNU time forks it from a small process.
func spawn(_ binary: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (seconds: Double, peakRSSMiB: Double, status: Int32) {
    let report = FileManager.default.temporaryDirectory.appendingPathComponent("meta-doctor-bench-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: report) }
    let argv = (["/usr/bin/time", "-o", report, "-f", "%M", binary] + arguments).map { strdup($0) } + [nil]
    let effective = environment.isEmpty ? ProcessInfo.processInfo.environment : environment
    let envp = effective.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var pid: pid_t = 0
    let start = Date()
    guard posix_spawn(&pid, "/usr/bin/time", &actions, nil, argv, envp) == 0 else {
        throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "cannot spawn /usr/bin/time (apt-get install time)"])
    }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    let seconds = Date().timeIntervalSince(start)
    let fields = ((try? String(contentsOfFile: report, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace)
    let kilobytes = fields.last.flatMap { Double($0) } ?? 0
    return (seconds, kilobytes / 1024, (status >> 8) & 0xFF)
}

func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }

guard CommandLine.arguments.count == 2 else {
    print("usage: meta-doctor-bench PATH-TO-RELEASE-meta-doctor")
    exit(64)
}
let binary = CommandLine.arguments[1]

print("## Full check, 100 ms added to every Graph and webhook request\n")
let bound = Double(criticalPathRounds()) * 0.1
let parallel = try await fullCheck(maxConcurrency: 8)
let sequential = try await fullCheck(maxConcurrency: 1)
print(row(["run", "wall time", "ratio to the critical-path bound"]))
print(row(["---", "---:", "---:"]))
print(row(["critical-path bound (\(criticalPathRounds()) rounds x 100 ms)", String(format: "%.2f s", bound), "1.00"]))
print(row(["graph, 8 at once", String(format: "%.2f s", parallel.seconds), String(format: "%.2f", parallel.seconds / bound)]))
print(row(["one check at a time", String(format: "%.2f s", sequential.seconds), String(format: "%.2f", sequential.seconds / bound)]))
print("\nExit codes: \(parallel.report.exitCode) and \(sequential.report.exitCode) (0 expected).")
if CommandLine.arguments.contains("--detail") || ProcessInfo.processInfo.environment["BENCH_DETAIL"] != nil {
    print("  runner: \(parallel.report.durationMs) ms")
    for check in parallel.report.checks { print("  \(check.id): \(check.durationMs) ms") }
}

print("\n## Startup and memory of the release binary\n")
print(row(["command", "wall time", "peak RSS"]))
print(row(["---", "---:", "---:"]))
for arguments in [["--version"], ["list"], ["demo"]] {
    var samples: [(Double, Double)] = []
    for _ in 0..<5 {
        let result = try spawn(binary, arguments)
        samples.append((result.seconds, result.peakRSSMiB))
    }
    let meanTime = samples.map(\.0).reduce(0, +) / Double(samples.count)
    let maxRSS = samples.map(\.1).max() ?? 0
    print(row(["meta-doctor \(arguments.joined(separator: " "))", String(format: "%.0f ms (mean of 5)", meanTime * 1000), String(format: "%.1f MiB", maxRSS)]))
}

print("\n## Peak RSS against hostile webhook endpoints (target under 100 MB)\n")
print(row(["endpoint", "wall time", "peak RSS", "exit"]))
print(row(["---", "---:", "---:", "---:"]))
let pki = try SandboxPKI()
let caFile = try pki.writeCAFile()
for behavior in HostileEndpoint.Behavior.allCases {
    let endpoint = try await HostileEndpoint.start(behavior, tls: try pki.serverTLS(host: "hostile.example.com", variant: .valid))
    let result = try spawn(
        binary,
        [
            "check", "--env-file", "/dev/null", "--only", "webhook.messenger.verify", "--ca-file", caFile,
            "--connect-to", "hostile.example.com:443:127.0.0.1:\(endpoint.port)",
        ],
        environment: [
            "META_APP_ID": "1", "META_APP_SECRET": "bench-secret-value", "META_VERIFY_TOKEN": "bench-verify-token",
            "META_PAGE_ID": "2", "META_PAGE_ACCESS_TOKEN": "EAAbenchpagetoken", "WEBHOOK_BASE_URL": "https://hostile.example.com",
        ])
    await endpoint.stop()
    print(row([behavior.rawValue, String(format: "%.1f s", result.seconds), String(format: "%.1f MiB", result.peakRSSMiB), "\(result.status)"]))
}
try? FileManager.default.removeItem(atPath: caFile)
