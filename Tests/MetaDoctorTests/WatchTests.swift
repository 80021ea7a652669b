import ArgumentParser
import DoctorKit
import DoctorTestSupport
import Foundation
import MetaConfig
@testable import MetaDoctorCLI
import MetaSandbox
import Reports
import Synchronization
import Testing

/// What a watch loop showed, and how many runs overlapped (never more than one may run).
final class WatchRecorder: Sendable {
    struct Shown: Sendable {
        let run: Int
        let trigger: WatchLoop.Trigger
        let lines: [String]
        let exitCode: Int?
    }

    private let state = Mutex<(shown: [Shown], running: Int, mostAtOnce: Int)>(([], 0, 0))

    func started() { state.withLock { $0.running += 1; $0.mostAtOnce = max($0.mostAtOnce, $0.running) } }
    func ended() { state.withLock { $0.running -= 1 } }

    func show(_ run: Int, _ trigger: WatchLoop.Trigger, _ outcome: WatchLoop.Outcome, _ previous: Report?) {
        let shown: Shown
        switch outcome {
        case .report(let report):
            let lines = previous.map { WatchLoop.changeLines(run: run, trigger: trigger, report: report, previous: $0) } ?? []
            shown = Shown(run: run, trigger: trigger, lines: lines, exitCode: report.exitCode)
        case .failed(let message):
            shown = Shown(run: run, trigger: trigger, lines: [message], exitCode: nil)
        }
        state.withLock { $0.shown.append(shown) }
    }

    var shown: [Shown] { state.withLock { $0.shown } }
    var mostAtOnce: Int { state.withLock { $0.mostAtOnce } }

    /// Waits (a generous minute at most) until `count` runs were shown.
    func waitForRuns(_ count: Int) async throws {
        for _ in 0..<1200 where shown.count < count { try await Task.sleep(for: .milliseconds(50)) }
        try #require(shown.count >= count, "\(count) runs were shown within a minute")
    }
}

extension SandboxRuns {
    @Suite("check --watch runs again when the .env changes", .timeLimit(.minutes(3)))
    struct WatchTests {
        /// A loop over `file` against `world`, reading the file afresh each run, as `check --watch` does.
        static func loop(_ world: SandboxWorld, file: String, interval: Duration, recorder: WatchRecorder) -> WatchLoop {
            WatchLoop(
                clock: ContinuousClock(), interval: interval, pollInterval: .milliseconds(50), file: file,
                runChecks: { _ in
                    recorder.started()
                    defer { recorder.ended() }
                    var request = DoctorRunRequest(configuration: ConfigurationLoader(envFile: file, environment: [:]).load())
                    request.pointAt(world)
                    do { return .report(try await DoctorRun.run(request)) } catch { return .failed("\(error)") }
                },
                show: recorder.show)
        }

        static func dotenv(_ values: [String: String]) -> String {
            values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n") + "\n"
        }

        @Test("A change of the .env file triggers exactly one new run, whose lines say what broke and, after the fix, what was fixed")
        func fileChangeTriggersOneRun() async throws {
            let world = try await SandboxWorld.start(scenario: try #require(SandboxScenarios.named("healthy")))
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent(".env").path
            let healthy = world.environment()
            try Self.dotenv(healthy).write(toFile: file, atomically: true, encoding: .utf8)
            let recorder = WatchRecorder()
            // The interval is far away: only the file can start a run.
            let loop = Self.loop(world, file: file, interval: .seconds(3600), recorder: recorder)
            let watching = Task { await loop.run() }

            try await recorder.waitForRuns(1)
            var broken = healthy
            broken[ConfigKey.whatsappAccessToken.name] = "EAAnot-a-token-the-sandbox-knows"
            try Self.dotenv(broken).write(toFile: file, atomically: true, encoding: .utf8)
            try await recorder.waitForRuns(2)
            try Self.dotenv(healthy).write(toFile: file, atomically: true, encoding: .utf8)
            try await recorder.waitForRuns(3)
            // Rewriting the same content is no change.
            try Self.dotenv(healthy).write(toFile: file, atomically: true, encoding: .utf8)
            try await Task.sleep(for: .milliseconds(500))
            watching.cancel()
            let exitCode = await watching.value
            await world.stop()

            let shown = recorder.shown
            #expect(shown.map(\.run) == [1, 2, 3])
            #expect(shown.map(\.trigger) == [.start, .fileChanged, .fileChanged])
            #expect(shown.map(\.exitCode) == [0, 1, 0])
            #expect(shown[0].lines == [])
            #expect(shown[1].lines == [
                "run 2 (the env file changed): exit 1",
                "broke: whatsapp.token (pass -> fail): The WhatsApp token is not valid (Invalid OAuth access token.).",
                "not checked: whatsapp.phone-number (pass -> skip (blocked))",
                "not checked: whatsapp.waba-subscribed (pass -> skip (blocked))",
                "not checked: whatsapp.health (pass -> skip (blocked))",
            ])
            #expect(Array(shown[2].lines.prefix(2)) == ["run 3 (the env file changed): exit 0", "fixed: whatsapp.token (fail -> pass)"])
            // The checks it blocked run again and pass: each a line with its message.
            #expect(shown[2].lines.dropFirst(2).map { $0.components(separatedBy: "): ").first ?? $0 } == [
                "changed: whatsapp.phone-number (skip (blocked) -> pass", "changed: whatsapp.waba-subscribed (skip (blocked) -> pass",
                "changed: whatsapp.health (skip (blocked) -> pass",
            ])
            #expect(exitCode == 0, "Ctrl-C ends with the last run's status")
            #expect(recorder.mostAtOnce == 1, "a run never overlaps the previous one")
        }

        @Test("The interval starts runs of its own, one after the other; a run that changes nothing prints nothing")
        func intervalRuns() async throws {
            let world = try await SandboxWorld.start(scenario: try #require(SandboxScenarios.named("healthy")))
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent(".env").path
            try Self.dotenv(world.environment()).write(toFile: file, atomically: true, encoding: .utf8)
            let recorder = WatchRecorder()
            let watching = Task { await Self.loop(world, file: file, interval: .milliseconds(100), recorder: recorder).run() }
            try await recorder.waitForRuns(3)
            watching.cancel()
            let exitCode = await watching.value
            await world.stop()
            let shown = recorder.shown
            #expect(shown.prefix(3).map(\.trigger) == [.start, .interval, .interval])
            #expect(shown.allSatisfy { $0.lines.isEmpty })
            #expect(exitCode == 0)
            #expect(recorder.mostAtOnce == 1)
        }
    }
}

extension SandboxRuns.WatchTests {
    @Test("Two runs of the same .env make the same Graph requests, and the second sends none before the first has ended")
    func sameReadsEachRun() async throws {
        let world = try await SandboxWorld.start(scenario: try #require(SandboxScenarios.named("healthy")))
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(".env").path
        try Self.dotenv(world.environment()).write(toFile: file, atomically: true, encoding: .utf8)
        let recorder = WatchRecorder()
        // How long the sandbox's request log was when each run started and when it ended.
        let logLengths = Mutex<[(start: Int, end: Int)]>([])
        let loop = WatchLoop(
            clock: ContinuousClock(), interval: .milliseconds(100), pollInterval: .milliseconds(50), file: file,
            runChecks: { _ in
                let start = await world.graph.requests().count
                var request = DoctorRunRequest(configuration: ConfigurationLoader(envFile: file, environment: [:]).load())
                request.pointAt(world)
                let outcome: WatchLoop.Outcome
                do { outcome = .report(try await DoctorRun.run(request)) } catch { outcome = .failed("\(error)") }
                let end = await world.graph.requests().count
                logLengths.withLock { $0.append((start, end)) }
                return outcome
            },
            show: recorder.show)
        let watching = Task { await loop.run() }
        try await recorder.waitForRuns(2)
        watching.cancel()
        _ = await watching.value
        let requests = await world.graph.requests()
        await world.stop()

        let runs = logLengths.withLock { $0 }
        try #require(runs.count >= 2)
        #expect(recorder.shown.prefix(2).map(\.exitCode) == [0, 0])
        #expect(runs[0].start == 0)
        #expect(runs[1].start == runs[0].end, "no request of the first run came after it ended, none of the second before it started")
        func sent(_ run: (start: Int, end: Int)) -> [String] {
            requests[run.start..<run.end].map { "\($0.host) \($0.method) \($0.path)" }.sorted()
        }
        #expect(sent(runs[0]).count > 5, "\(sent(runs[0]))")
        #expect(sent(runs[1]) == sent(runs[0]))
    }
}

extension SandboxRuns.WatchTests {
    /// `meta-doctor check --watch`, started as from a shell, on a .env file holding a healthy
    /// `meta-doctor sandbox` process's values, and its stdout as it comes.
    struct WatchedBinary {
        let sandbox: SandboxProcess
        let directory: URL
        let file: String
        let process: Process
        let output: PipeReader

        init() async throws {
            try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 starts the commands with signals unblocked")
            sandbox = try await SandboxProcess.start(scenario: "healthy")
            directory = try makeTemporaryDirectory()
            file = directory.appendingPathComponent("watched.env").path
            try SandboxRuns.WatchTests.dotenv(sandbox.environment).write(toFile: file, atomically: true, encoding: .utf8)
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = SandboxRuns.SandboxCommandTests.asFromAShell + [
                MetaDoctorBinary.path, "check", "--watch", "--interval", "2", "--env-file", file, "--no-color",
            ] + sandbox.flags
            process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
            let stdout = Pipe()
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            output = PipeReader(stdout)
        }

        /// Sends `signal` and waits for the binary to end and its output to close.
        func end(with signal: Int32) async {
            kill(process.processIdentifier, signal)
            await process.exited()
            await output.untilEnd()
        }

        /// On every path: a failed expectation that throws must leave no process serving.
        func cleanUp() {
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            if sandbox.process.isRunning { kill(sandbox.process.processIdentifier, SIGTERM) }
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// Waits (a minute at most) until `output` holds `text`.
    static func waitFor(_ text: String, in output: PipeReader) async throws {
        let shown = await output.wait(until: { $0.contains(text) })
        try #require(shown.contains(text), "'\(text)' within a minute: \(shown)")
    }

    @Test(
        "The binary: SIGTERM ends check --watch with 143, whatever the last run's status")
    func binaryWatchTerminated() async throws {
        let watched = try await WatchedBinary()
        defer { watched.cleanUp() }
        let process = watched.process
        try await Self.waitFor("Exit 0: no check failed.\n", in: watched.output)
        await watched.end(with: SIGTERM)
        await watched.sandbox.stop()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 143, "the last run passed, but SIGTERM is 143")
    }

    @Test(
        "The binary: check --watch prints the report, then one change's lines when the .env changes; SIGINT ends it with the last run's status")
    func binaryWatch() async throws {
        let watched = try await WatchedBinary()
        defer { watched.cleanUp() }
        let (sandbox, file, process, output) = (watched.sandbox, watched.file, watched.process, watched.output)
        func waitFor(_ text: String) async throws { try await Self.waitFor(text, in: output) }
        try await waitFor("Exit 0: no check failed.\n")
        var broken = sandbox.environment
        broken[ConfigKey.whatsappAccessToken.name] = "EAAnot-a-token-the-sandbox-knows"
        try Self.dotenv(broken).write(toFile: file, atomically: true, encoding: .utf8)
        try await waitFor("not checked: whatsapp.health (pass -> skip (blocked))\n")
        await watched.end(with: SIGINT)
        await sandbox.stop()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 1, "the last run failed whatsapp.token")
        let printed = output.text
        let report = try #require(printed.range(of: "Exit 0: no check failed.\n"))
        let after = printed[report.upperBound...].split(separator: "\n").map(String.init)
        #expect(after.filter { $0.hasPrefix("run ") }.count == 1, "one change, one header: \(after)")
        #expect(after.contains { $0.range(of: #"^run \d+ \(the env file changed\): exit 1$"#, options: .regularExpression) != nil })
        #expect(after.contains("broke: whatsapp.token (pass -> fail): The WhatsApp token is not valid (Invalid OAuth access token.)."))
        #expect(printed.components(separatedBy: "meta-doctor \(MetaDoctorVersion.current) — ").count == 2, "the full report once")
    }
}

extension SandboxRuns.WatchTests {
    @Test(
        "On a terminal: check --watch redraws the whole report under a status line cut to the width; Ctrl-C ends it with the last run's status",
        .enabled(if: PseudoTerminal.available, "needs util-linux's script for a pseudo-terminal"))
    func terminalWatch() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 starts the commands with signals unblocked")
        let sandbox = try await SandboxProcess.start(scenario: "healthy")
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.dotenv(sandbox.environment).write(to: directory.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        let terminal = try InteractiveTerminal(
            (["check", "--watch", "--interval", "3600", "--no-color"] + sandbox.flags).joined(separator: " "), environment: [:],
            directory: directory, then: "echo \"status=$?\"", columns: 60)
        // 59 columns at most: the line is cut before "Ctrl-C ends".
        let offset = try await terminal.waitFor("Watching .env (and every 3600 s) · run 1 (start): exit 0 ·…", after: 0)
        var broken = sandbox.environment
        broken[ConfigKey.whatsappAccessToken.name] = "EAAnot-a-token-the-sandbox-knows"
        try Self.dotenv(broken).write(to: directory.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        _ = try await terminal.waitFor("Watching .env (and every 3600 s) · run 2 (the env file cha…", after: offset)
        terminal.type("\u{03}")
        let (_, screen) = await terminal.finish()
        await sandbox.stop()
        #expect(screen.components(separatedBy: "\u{1B}[H\u{1B}[2J").count == 3, "the screen is cleared before each of the two reports")
        let lines = PseudoTerminal.screenLines(screen)
        #expect(lines.contains { $0.hasPrefix("  ✗ whatsapp.token") }, "the second report is the whole report")
        #expect(lines.contains("status=1"), "\(lines.suffix(5))")
        #expect(lines.filter { $0.hasPrefix("Watching ") }.map(\.count) == [59, 59], "never wraps")
    }
}

@Suite("What check --watch prints")
struct WatchOutputTests {
    static func check(_ id: CheckID, _ status: CheckStatus, _ message: String = "message", skip: SkipReason? = nil) -> CheckReport {
        CheckReport(
            id: id, title: "t", platform: nil, status: status, skipReason: skip, message: message, durationMs: 1, prerequisites: [],
            blockedBy: [], evidence: [:], fix: .init(step: "s", title: "t", url: "u", action: nil))
    }

    static func report(_ checks: [CheckReport], exitCode: Int) -> Report {
        var report = Report(
            tool: .init(name: "meta-doctor", version: "0"), startedAt: "2026-12-01T00:00:00Z", durationMs: 1, exitCode: exitCode,
            interrupted: false, platforms: [], checks: checks)
        report.exitCode = exitCode
        return report
    }

    @Test("One greppable line per change, still failing last; an interval run without a change prints nothing")
    func changeLines() {
        let before = Self.report(
            [Self.check("app.secret", .fail), Self.check("webhook.verify", .fail), Self.check("whatsapp.token", .pass), Self.check("graph.version", .pass)],
            exitCode: 1)
        let after = Self.report(
            [
                Self.check("app.secret", .pass), Self.check("webhook.verify", .fail), Self.check("whatsapp.token", .fail, "The token expired.\nSecond line."),
                Self.check("graph.version", .error, "Could not verify: rate limited."),
            ], exitCode: 1)
        #expect(WatchLoop.changeLines(run: 4, trigger: .interval, report: after, previous: before) == [
            "run 4 (interval): exit 1",
            "broke: whatsapp.token (pass -> fail): The token expired.",
            "fixed: app.secret (fail -> pass)",
            "could not verify: graph.version (pass -> error): Could not verify: rate limited.",
            "still failing: webhook.verify (fail)",
        ])
        #expect(WatchLoop.changeLines(run: 5, trigger: .interval, report: after, previous: after) == [])
        #expect(WatchLoop.changeLines(run: 5, trigger: .fileChanged, report: after, previous: after) == [
            "run 5 (the env file changed): exit 1, no verdict changed", "still failing: webhook.verify (fail)", "still failing: whatsapp.token (fail)",
            "still failing: graph.version (error)",
        ])
    }

    @Test(
        "--watch refuses what it cannot do, and --interval is at least 2 and only with --watch",
        arguments: [
            ["--watch", "--format", "json"], ["--watch", "--format", "human:report.txt"], ["--watch", "--output", "report.txt"],
            ["--watch", "--interval", "1"], ["--interval", "5"],
        ])
    func watchUsage(arguments: [String]) {
        #expect(throws: (any Error).self) { try MetaDoctorCommand.Check.parse(arguments) }
    }

    @Test("--watch takes the human format and an interval of 2 or more")
    func watchAccepted() throws {
        let check = try MetaDoctorCommand.Check.parse(["--watch", "--format", "human", "--interval", "2"])
        #expect(check.watch.intervalDuration == .seconds(2))
        #expect(try MetaDoctorCommand.Check.parse(["--watch"]).watch.intervalDuration == .seconds(10))
    }

    @Test("The status line under a redrawn report never wraps")
    func statusLine() {
        #expect(WatchLoop.statusLine(file: ".env", interval: .seconds(10), run: 3, trigger: .fileChanged, exitCode: 1, width: 200)
            == "Watching .env (and every 10 s) · run 3 (the env file changed): exit 1 · Ctrl-C ends")
        let cut = WatchLoop.statusLine(file: ".env", interval: .seconds(10), run: 3, trigger: .fileChanged, exitCode: 1, width: 30)
        #expect(cut == "Watching .env (and every 10 …")
        #expect(cut.count == 29)
    }
}
