import DoctorKit
import Foundation
import MetaChecks
import MetaConfig
import MetaDoctorCLI
import MetaGraph
import MetaSandbox

#if canImport(Glibc)
import Glibc
#endif

/// The bench command: prints tables of
/// - a full `check` of all platforms by the release binary, from process start to exit, against the
///   sandbox with the same latency added to every Graph and every webhook reply (100 ms, then 200 ms),
///   with its ratio to one round trip and the Graph requests it made;
/// - startup time and peak RSS of the release binary (`--version`, `list`, `demo`);
/// - peak RSS of the binary against hostile webhook endpoints;
/// - `meta-doctor fleet` over 100 and 1,000 generated integrations with 100 ms on every reply: wall
///   time against what the concurrency allows, peak RSS, and integrations misdiagnosed; and over a
///   100,000-line manifest (the 1,000 lines a hundred times, ids suffixed) with `--shard 1/100`,
///   about as many run: its peak RSS shows what the manifest's size alone costs.
/// Usage: meta-doctor-bench PATH-TO-RELEASE-meta-doctor [--fleet-only]

/// The round trips a healthy full check needs, from the checks' declarations: the Graph reads are
/// planned ahead and start together once graph.version passes (one round trip for all of them);
/// the webhook side posts the signed event, then the forgeries and the verification requests.
let plannedGraphReads = MetaCatalog.plannedReads(
    configuration: ConfigurationLoader(envFile: nil, environment: IntegrationModel.healthy().configured).load(readingDefaultFile: false),
    enabledPlatforms: Set(Platform.allCases), willRun: { _ in true })
let graphRoundTrips = plannedGraphReads.isEmpty ? 0 : 1
let webhookRoundTrips = 2
let roundTrips = max(graphRoundTrips, webhookRoundTrips)

/// One full `check` by the binary against a healthy sandbox world with `latency` on every reply.
func fullCheck(_ binary: String, latency: Duration) async throws -> (seconds: Double, status: Int32, graphRequests: Int) {
    let scenario = SandboxScenario(
        name: "bench", summary: "Healthy, latency on every reply.", faults: [SandboxFault(.latency(latency))],
        webhook: WebhookSetup(latency: latency))
    let world = try await SandboxWorld.start(scenario: scenario)
    var environment = world.environment()
    environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    let arguments = ["check", "--env-file", "/dev/null", "--ca-file", world.caFile, "--ngrok-api", world.ngrokAPI]
        + world.connectTo.flatMap { ["--connect-to", $0] }
    let result = try spawn(binary, arguments, environment: environment)
    let requests = await world.graph.requests().count
    await world.stop()
    return (result.seconds, result.status, requests)
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

/// What the doctor must conclude for each way the fleet generator broke an integration: the
/// first root cause, as the single-integration scenarios' expectations say.
let expectedRootCause: [SandboxFleet.Breakage: String] = [
    .wabaNotSubscribed: "whatsapp.waba-subscribed fail", .pageTokenExpired: "messenger.page-token fail",
    .phoneNumberNotInWABA: "whatsapp.phone-number fail", .badAppSecret: "app.secret fail",
]

/// One `meta-doctor fleet` run by the binary over `size` generated integrations (3 apps, a
/// twentieth broken each way, Meta's budgets) with `latency` on every Graph reply. With
/// `replicas` above 1 the manifest holds each line that many times (ids suffixed `~rN`, the same
/// integration behind each) and the run takes `--shard 1/replicas` of it.
func fleetRun(_ binary: String, size: Int, latency: Duration, concurrency: Int = 8, replicas: Int = 1) async throws
    -> (seconds: Double, peakRSSMiB: Double, status: Int32, misdiagnosed: Int, lines: Int, requests: Int)
{
    let fleet = SandboxFleet(size: size)
    let sandbox = try await GraphSandbox.start(
        model: fleet.model, faults: [SandboxFault(.latency(latency))], throttle: fleet.realisticThrottle)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("meta-doctor-bench-fleet-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var manifest = try FleetManifestWriter.write(fleet, graphURL: sandbox.baseURL, to: directory)
    var arguments: [String] = []
    var ids = fleet.integrations.map(\.id)
    if replicas > 1 {
        guard let shard = FleetShard(argument: "1/\(replicas)") else { throw NSError(domain: "bench", code: 2) }
        let lines = try String(contentsOfFile: manifest, encoding: .utf8).split(separator: "\n")
        var replicated = ""
        ids = []
        for replica in 0..<replicas {
            for (line, original) in zip(lines, fleet.integrations) {
                let id = "\(original.id)~r\(replica)"
                replicated += line.replacingOccurrences(of: "\"id\":\"\(original.id)\"", with: "\"id\":\"\(id)\"") + "\n"
                if shard.contains(id) { ids.append(id) }
            }
        }
        manifest = directory + "/replicated.jsonl"
        try replicated.write(toFile: manifest, atomically: true, encoding: .utf8)
        arguments = ["--shard", "1/\(replicas)"]
    }
    let output = directory + "/out.ndjson"
    let result = try spawn(binary, ["fleet", manifest, "--concurrency", "\(concurrency)", "--format", "ndjson:\(output)"] + arguments)
    let requests = await sandbox.requests().count
    await sandbox.stop()
    let expected = Dictionary(uniqueKeysWithValues: fleet.integrations.map { ($0.id, $0.breakage.flatMap { expectedRootCause[$0] }) })
    var misdiagnosed = 0
    var lines = 0
    let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    for line in text.split(separator: "\n") {
        guard let data = line.data(using: .utf8), let decoded = try? JSONDecoder().decode(FleetLine.self, from: data) else { continue }
        lines += 1
        let original = decoded.id.split(separator: "~").first.map(String.init) ?? decoded.id
        let found = decoded.report.rootCauses.first.map { "\($0.id.rawValue) \($0.status.rawValue)" }
        if found != (expected[original] ?? nil) || (found == nil && decoded.report.exitCode != 0) { misdiagnosed += 1 }
    }
    misdiagnosed += ids.count - lines
    return (result.seconds, result.peakRSSMiB, result.status, misdiagnosed, lines, requests)
}

/// The fleet table: 100 then 1,000 integrations, then a 100,000-line manifest with --shard 1/100.
///
/// The time one integration takes is measured apart, by a run of `baselineSize` integrations one at
/// a time (`--concurrency 1`) against the same sandbox and latency: taken from the run being judged,
/// it would grow with any contention that run suffers and the ratio could never fail.
func fleetTable(_ binary: String) async throws {
    let baselineSize = 40
    let baseline = try await fleetRun(binary, size: baselineSize, latency: .milliseconds(100), concurrency: 1)
    let perIntegration = baseline.seconds / Double(baselineSize)
    print("\n## meta-doctor fleet: generated integrations, 100 ms on every Graph reply, --concurrency 8\n")
    print("""
        Per integration: \(String(format: "%.3f s", perIntegration)), the wall time of \(baselineSize) integrations run one at a time \
        (--concurrency 1, \(baseline.misdiagnosed) misdiagnosed) divided by \(baselineSize). Allowed: integrations × that / 8; target at \
        most 1.3 × allowed, peak RSS under 100 MiB and within 20 % of the 100-integration run's, none misdiagnosed.

        """)
    print(row(["integrations", "wall time", "allowed", "ratio", "peak RSS", "Graph requests", "misdiagnosed", "exit"]))
    print(row(["---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]))
    for size in [100, 1000] {
        let run = try await fleetRun(binary, size: size, latency: .milliseconds(100))
        let allowed = Double(size) * perIntegration / 8
        print(row([
            "\(size)", String(format: "%.1f s", run.seconds), String(format: "%.1f s", allowed),
            String(format: "%.2f", run.seconds / allowed), String(format: "%.1f MiB", run.peakRSSMiB), "\(run.requests)",
            "\(run.misdiagnosed)", "\(run.status)",
        ]))
    }
    let large = try await fleetRun(binary, size: 1000, latency: .milliseconds(100), replicas: 100)
    let allowed = Double(large.lines) * perIntegration / 8
    print(row([
        "100,000 lines, --shard 1/100: \(large.lines) run", String(format: "%.1f s", large.seconds), String(format: "%.1f s", allowed),
        String(format: "%.2f", large.seconds / allowed), String(format: "%.1f MiB", large.peakRSSMiB), "\(large.requests)",
        "\(large.misdiagnosed)", "\(large.status)",
    ]))
}

guard (2...3).contains(CommandLine.arguments.count) else {
    print("usage: meta-doctor-bench PATH-TO-RELEASE-meta-doctor [--fleet-only]")
    exit(64)
}
let binary = CommandLine.arguments[1]
if CommandLine.arguments.contains("--fleet-only") {
    try await fleetTable(binary)
    exit(0)
}

let startup = try (0..<5).map { _ in try spawn(binary, ["--version"]).seconds }.sorted()[2]
print("## Full check by the release binary, process start to exit, the same latency on every Graph and webhook reply\n")
print("Declared round trips: \(graphRoundTrips) for the \(plannedGraphReads.count) planned Graph reads (all at once), \(webhookRoundTrips) on the webhook side; start-up (`--version`) \(String(format: "%.0f ms", startup * 1000)).\n")
print(row(["latency per reply", "full check (median of 5)", "ratio to one round trip", "target", "Graph requests", "exit"]))
print(row(["---", "---:", "---:", "---:", "---:", "---:"]))
for (milliseconds, target) in [(100, 0.25), (200, 0.45)] {
    var runs: [(seconds: Double, status: Int32, graphRequests: Int)] = []
    for _ in 0..<5 { runs.append(try await fullCheck(binary, latency: .milliseconds(milliseconds))) }
    let median = runs.map(\.seconds).sorted()[runs.count / 2]
    let latency = Double(milliseconds) / 1000
    print(row([
        "\(milliseconds) ms", String(format: "%.3f s", median), String(format: "%.2f", median / latency),
        String(format: "at most %.2f s", target), "\(runs[0].graphRequests)", "\(Set(runs.map(\.status)).sorted())",
    ]))
}
if CommandLine.arguments.contains("--detail") || ProcessInfo.processInfo.environment["BENCH_DETAIL"] != nil {
    for read in plannedGraphReads { print("  \(read.request)") }
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

try await fleetTable(binary)
