import ArgumentParser
import DoctorKit
import Dispatch
import Foundation
import MetaChecks
import MetaConfig
import MetaGraph
import Reports
import Synchronization

extension MetaDoctorCommand {
    /// `meta-doctor check`: run the checks against your configuration.
    public struct Check: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Run the checks against your configuration (.env, the environment and flags).",
            discussion: """
                Examples:
                  meta-doctor check
                  meta-doctor check --platform whatsapp --format json
                  meta-doctor check --only 'webhook.*' --format human --format json:report.json
                """)

        @OptionGroup(title: "Configuration") var config: ConfigFlags
        @OptionGroup(title: "Run and report") var options: RunOptions

        public init() {}

        public func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let configuration = ConfigurationLoader(envFile: config.envFile, environment: environment, flags: config.values).load()
            var request = options.request(for: configuration)
            request.graphProxy = ProxySettings(environment: environment)
            try await CheckExecution.execute(request, options: options, environment: environment)
        }
    }
}

/// Runs a request, writes its reports and exits with the report's status. Ctrl-C writes the
/// partial report and exits 130.
enum CheckExecution {
    /// `announce` goes to stderr once Ctrl-C is handled.
    static func execute(
        _ request: DoctorRunRequest, options: RunOptions, environment: [String: String], announce: String? = nil
    ) async throws {
        let targets = try OutputTarget.resolve(options.formats, output: options.output)
        let unmatched = request.selection.only.filter { MetaCatalogPatterns.matchesNothing($0) }
            + request.selection.skip.filter { MetaCatalogPatterns.matchesNothing($0) }
        if !unmatched.isEmpty {
            throw ValidationError("No check matches \(unmatched.map { "'\($0)'" }.joined(separator: ", ")); `meta-doctor list` shows the ids.")
        }
        if let conflict = MetaCatalogPatterns.skippedPrerequisite(request.selection) {
            throw ValidationError(
                "--skip \(conflict.skipped) removes \(conflict.prerequisite), which --only \(conflict.target) needs; nothing of it would run.")
        }
        let progress = Progress(enabled: Terminal.isTTY(STDERR_FILENO) && environment["CI"] == nil)
        let runTask = Task { try await DoctorRun.run(request, observer: progress.observe) }
        let interrupt = InterruptHandler { runTask.cancel() }
        if let announce { Terminal.writeErr(announce) }
        let report = try await runTask.value
        interrupt.cancel()
        progress.finish()
        let color = Terminal.useColor(noColorFlag: options.noColor, environment: environment)
        let problems = ReportOutput(targets: targets, options: RenderOptions(color: color, verbose: options.verbose)).write(report)
        for problem in problems { Terminal.writeErr("meta-doctor: \(problem)\n") }
        if report.exitCode != 0 { throw ExitCode(Int32(report.exitCode)) }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}

/// Checks on `--only`/`--skip` patterns against the catalog.
enum MetaCatalogPatterns {
    /// Whether a pattern names no check of the catalog.
    static func matchesNothing(_ pattern: String) -> Bool {
        !MetaChecksIDs.all.contains { Glob(pattern).matches($0.rawValue) }
    }

    /// A `--skip` pattern that removes a prerequisite of an `--only` target, which would leave the
    /// target unrun while the run exits 0.
    static func skippedPrerequisite(_ selection: Selection) -> (skipped: String, prerequisite: CheckID, target: CheckID)? {
        guard !selection.only.isEmpty, !selection.skip.isEmpty else { return nil }
        let descriptions = Dictionary(uniqueKeysWithValues: MetaCatalog.descriptions.map { ($0.id, $0) })
        let targets = MetaChecksIDs.all.filter { id in selection.only.contains { Glob($0).matches(id.rawValue) } }
        for target in targets {
            var stack = descriptions[target]?.prerequisites ?? []
            var seen: Set<CheckID> = []
            while let prerequisite = stack.popLast() {
                guard seen.insert(prerequisite).inserted else { continue }
                if let pattern = selection.skip.first(where: { Glob($0).matches(prerequisite.rawValue) }) {
                    return (pattern, prerequisite, target)
                }
                stack += descriptions[prerequisite]?.prerequisites ?? []
            }
        }
        return nil
    }
}

/// Calls `onInterrupt` on SIGINT (Ctrl-C) and, where asked, SIGTERM, instead of dying: the run
/// writes its partial report, the sandbox removes its files.
final class InterruptHandler: Sendable {
    private let sources: Mutex<[any DispatchSourceSignal]>
    private let signals: [Int32]

    init(signals: [Int32] = [SIGINT], onInterrupt: @escaping @Sendable () -> Void) {
        self.signals = signals
        var created: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: onInterrupt)
            source.resume()
            created.append(source)
        }
        sources = Mutex(created)
    }

    func cancel() {
        sources.withLock { sources in
            for source in sources { source.cancel() }
            sources.removeAll()
        }
        for number in signals { signal(number, SIG_DFL) }
    }
}
