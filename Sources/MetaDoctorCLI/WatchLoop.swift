import ArgumentParser
import DoctorKit
import Foundation
import MetaConfig
import MetaGraph
import Reports
import Synchronization

/// `check --watch`: run the checks, then again whenever the `.env` file changes or `--interval`
/// passes, one run after the other (a run never starts before the previous one ended). The file is
/// polled on the injected clock, and so is the interval, so tests drive both.
struct WatchLoop: Sendable {
    /// Why a run started.
    enum Trigger: Sendable, Equatable {
        case start
        case fileChanged
        case interval

        var label: String {
            switch self {
            case .start: "start"
            case .fileChanged: "the env file changed"
            case .interval: "interval"
            }
        }
    }

    /// One run: its report, or why it could not run (said once, the loop goes on).
    enum Outcome: Sendable {
        case report(Report)
        case failed(String)
    }

    var clock: any Clock<Duration>
    /// `--interval`: how long after a run ends the next one starts when the file did not change.
    var interval: Duration
    /// How often the file is looked at.
    var pollInterval: Duration = .milliseconds(250)
    /// The file watched (the `.env` read, or the one that would be).
    var file: String
    /// Runs the checks once, reading the file afresh.
    var runChecks: @Sendable (Trigger) async -> Outcome
    /// Shows a run: `previous` is the last report shown before it, nil for the first.
    var show: @Sendable (_ run: Int, _ trigger: Trigger, _ outcome: Outcome, _ previous: Report?) -> Void

    /// Runs until the task is cancelled (Ctrl-C); returns the exit status of the last run that
    /// ended, or 130 when none did.
    func run() async -> Int {
        var previous: Report?
        var exitCode = ExitStatus.interrupted
        var trigger = Trigger.start
        var number = 0
        while !Task.isCancelled {
            let before = Self.fingerprint(file)
            let outcome = await runChecks(trigger)
            // A run cut short by Ctrl-C is not shown: the last whole run's status stands.
            if Task.isCancelled { break }
            number += 1
            show(number, trigger, outcome, previous)
            switch outcome {
            case .report(let report):
                previous = report
                exitCode = report.exitCode
            case .failed:
                exitCode = ExitStatus.failed
            }
            guard let next = await waitForTrigger(since: before) else { break }
            trigger = next
        }
        return exitCode
    }

    /// Sleeps in steps of `pollInterval` until the file differs from `before` or `interval` passed;
    /// nil when cancelled.
    private func waitForTrigger(since before: Data?) async -> Trigger? {
        var waited = Duration.zero
        while true {
            do { try await clock.sleep(for: min(pollInterval, interval)) } catch { return nil }
            if Self.fingerprint(file) != before { return .fileChanged }
            waited += min(pollInterval, interval)
            if waited >= interval { return .interval }
        }
    }

    /// The file's content (bounded, as `check` reads it), or nil when it cannot be read: a change
    /// of content is a change, touching it without changing it is not.
    static func fingerprint(_ path: String) -> Data? {
        try? RegularFile.read(path, maxBytes: ConfigurationLoader.maxEnvFileBytes)
    }

    /// The lines printed for a run after the first when the output is not a terminal: a header
    /// when the file changed or a verdict did, then one line per check whose verdict changed, and
    /// the ones still failing. Each starts with a fixed word, for grep:
    ///
    ///     run 2 (the env file changed): exit 1
    ///     broke: whatsapp.token (pass -> fail): The token is invalid …
    ///     fixed: app.secret (fail -> pass)
    ///     still failing: webhook.verify (fail)
    static func changeLines(run: Int, trigger: Trigger, report: Report, previous: Report) -> [String] {
        let diff = ReportDiff(old: previous, new: report)
        let sections: [(String, [ReportDiff.Change], Bool)] = [
            ("broke", diff.broke, true), ("fixed", diff.fixed, false),
            ("could not verify", diff.couldNotVerify.filter { $0.before != $0.after }, true),
            ("not checked", diff.notChecked, false), ("changed", diff.otherChanges, true),
        ]
        var lines: [String] = []
        for (word, changes, withMessage) in sections {
            for change in changes {
                lines.append("\(word): \(change.id) (\(change.before) -> \(change.after))" + (withMessage ? ": \(firstLine(change.message))" : ""))
            }
        }
        let changed = !lines.isEmpty || diff.stillFailing.contains { $0.previousMessage != nil }
        // Still failing, or still unverifiable: said again under every header, never a change by itself.
        for change in diff.stillFailing + diff.couldNotVerify.filter({ $0.before == $0.after }) {
            lines.append("still failing: \(change.id) (\(change.after))" + (change.previousMessage != nil ? ": \(firstLine(change.message))" : ""))
        }
        guard changed || trigger == .fileChanged else { return [] }
        return ["run \(run) (\(trigger.label)): exit \(report.exitCode)" + (changed ? "" : ", no verdict changed")] + lines
    }

    /// A message on one line, short enough for a log.
    static func firstLine(_ message: String) -> String {
        let line = Redactor.neutralizeControls(String(message.split(separator: "\n", omittingEmptySubsequences: true).first ?? ""))
        return line.count <= 200 ? line : String(line.prefix(199)) + "…"
    }

    /// The last line of a redrawn screen: what is watched and how the last run went, cut to the
    /// terminal's width so it never wraps.
    static func statusLine(file: String, interval: Duration, run: Int, trigger: Trigger, exitCode: Int, width: Int) -> String {
        let seconds = interval.components.seconds
        let text = Redactor.neutralizeControls(
            "Watching \(file) (and every \(seconds) s) · run \(run) (\(trigger.label)): exit \(exitCode) · Ctrl-C ends")
        let room = max(1, width - 1)
        return text.count <= room ? text : String(text.prefix(max(0, room - 1))) + "…"
    }
}

/// `--watch` and `--interval` of `check`.
public struct WatchOptions: ParsableArguments {
    @Flag(
        help: ArgumentHelp(
            "Run again whenever the .env file changes, and every --interval seconds; Ctrl-C ends with the last run's exit status, SIGTERM with 143. On a terminal the report is redrawn; otherwise the first report is printed, then one line per change (broke:, fixed:, still failing: ...). Human format only; --timeout is per run."))
    var watch = false

    @Option(help: ArgumentHelp("With --watch: seconds between runs when nothing changed (default 10, at least 2).", valueName: "seconds"))
    var interval: Double?

    public init() {}

    static let defaultInterval = 10.0
    static let minimumInterval = 2.0

    public func validate() throws {
        if let interval {
            guard watch else { throw ValidationError("--interval needs --watch.") }
            guard interval >= Self.minimumInterval, interval <= 86_400 else {
                throw ValidationError("--interval must be between \(Int(Self.minimumInterval)) and 86400 seconds.")
            }
        }
    }

    var intervalDuration: Duration { .milliseconds(Int((interval ?? Self.defaultInterval) * 1000)) }
}

/// `check --watch` on the real terminal and signals.
enum WatchExecution {
    /// A usage error for what `--watch` cannot do: it prints for a person, one human report at a time.
    static func validate(options: RunOptions) throws {
        if options.formats.contains(where: { $0.lowercased() != ReportFormat.human.rawValue }) || options.output != nil {
            throw ValidationError("--watch prints the human report to the terminal; --format FORMAT:PATH, other formats and --output are for single runs.")
        }
    }

    static func execute(config: ConfigFlags, options: RunOptions, watch: WatchOptions, environment: [String: String]) async throws {
        let file = config.envFile ?? ConfigurationLoader.defaultEnvFile
        let onTerminal = Terminal.isTTY(STDOUT_FILENO)
        let color = Terminal.useColor(noColorFlag: options.noColor, environment: environment)
        let interval = watch.intervalDuration
        let verbose = options.verbose
        // Every run gets these options, with the configuration read afresh and its own deadline.
        let template = options.request(for: MetaConfiguration(values: [:]), startedAt: .now)
        let envFile = config.envFile
        let flags = config.values
        let loop = WatchLoop(
            clock: ContinuousClock(), interval: interval, file: file,
            runChecks: { _ in
                let configuration = ConfigurationLoader(envFile: envFile, environment: environment, flags: flags).load()
                return await runOnce(template, configuration: configuration, environment: environment)
            },
            show: { run, trigger, outcome, previous in
                let width = Terminal.width(of: STDOUT_FILENO)
                switch outcome {
                case .failed(let message):
                    Terminal.writeErr("meta-doctor: run \(run): \(message)\n")
                case .report(let report):
                    if onTerminal {
                        let text = HumanRenderer.render(report, options: RenderOptions(color: color, verbose: verbose, width: width))
                        let status = WatchLoop.statusLine(
                            file: file, interval: interval, run: run, trigger: trigger, exitCode: report.exitCode, width: width ?? 80)
                        Terminal.writeOut("\u{1B}[H\u{1B}[2J" + text + "\n" + status + "\n")
                    } else if let previous {
                        let lines = WatchLoop.changeLines(run: run, trigger: trigger, report: report, previous: previous)
                        if !lines.isEmpty { Terminal.writeOut(lines.joined(separator: "\n") + "\n") }
                    } else {
                        Terminal.writeOut(HumanRenderer.render(report, options: RenderOptions(color: color, verbose: verbose, width: width)))
                    }
                }
            })
        let task = Task { await loop.run() }
        let received = Mutex<Int32?>(nil)
        let interrupt = InterruptHandler(signals: [SIGINT, SIGTERM]) { signal in
            received.withLock { $0 = $0 ?? signal }
            task.cancel()
        }
        let lastRun = await task.value
        interrupt.cancel()
        // Ctrl-C keeps the last run's status; SIGTERM (a CI cancellation, `timeout`) is 143 as for `check`.
        let exitCode = received.withLock { $0 } == SIGTERM ? ExitStatus.terminated : lastRun
        if exitCode != 0 { throw ExitCode(Int32(exitCode)) }
    }

    /// One run of `configuration` with `template`'s options, its own `--timeout`, and a progress
    /// line on a terminal.
    static func runOnce(_ template: DoctorRunRequest, configuration: MetaConfiguration, environment: [String: String]) async -> WatchLoop.Outcome {
        var request = template
        request.configuration = configuration
        request.deadline = ContinuousClock.now.advanced(by: request.runTimeout)
        request.graphProxy = configuration.proxy.map(ProxySettings.init)
        Terminal.redactStderr(with: Redactor(secrets: configuration.secretValues))
        let progress = Progress(enabled: Progress.wanted(environment: environment))
        defer { progress.finish() }
        do { return .report(try await DoctorRun.run(request, observer: progress.observe)) } catch {
            return .failed("\(error)")
        }
    }
}
