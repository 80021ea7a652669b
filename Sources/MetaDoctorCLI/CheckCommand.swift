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
            discussion: Check.discussion)

        /// Examples, every variable `check` reads (secrets marked: they have no flag and never
        /// appear in output), and the exit codes.
        static let discussion: String = {
            let width = ConfigKey.allCases.map(\.name.count).max() ?? 0
            let variables = ConfigKey.allCases.map { key in
                "  " + key.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + (key.isSecret ? "secret: " : "")
                    + variableMeaning(key)
            }
            return """
                Examples:
                  meta-doctor check
                  meta-doctor check --platform whatsapp --format json
                  meta-doctor check --only 'webhook.*' --format human --format json:report.json
                  meta-doctor check --watch --interval 30

                Variables read from ./.env (or --env-file), then the environment, then flags: each value that is not \
                secret has one (--app-id, --waba-id, ... below). Secrets have no flag and appear in no output:
                \(variables.joined(separator: "\n"))
                  HTTPS_PROXY, NO_PROXY  the proxy for Graph API calls (its password is secret)
                Also read: NO_COLOR (set and not empty: no colour), TERM=dumb (no colour, no progress line), CI (no \
                progress line), GITHUB_STEP_SUMMARY (a markdown report to that file is appended).

                Exit status: 0 nothing failed; 1 a check failed (with --strict, or warned); 2 the configuration is \
                unusable; 3 nothing failed but some checks could not verify; 64 usage error; 74 a report could not be \
                written; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM).
                """
        }()

        @OptionGroup(title: "Configuration") var config: ConfigFlags
        @OptionGroup(title: "Run and report") var options: RunOptions
        @OptionGroup(title: "Watch") var watch: WatchOptions

        public init() {}

        public func validate() throws {
            if watch.watch { try WatchExecution.validate(options: options) }
        }

        public func run() async throws {
            let started = ContinuousClock.now
            let environment = ProcessInfo.processInfo.environment
            if watch.watch {
                try MetaCatalogPatterns.validate(options.selection, platforms: options.platformFilter)
                try await WatchExecution.execute(config: config, options: options, watch: watch, environment: environment)
                return
            }
            // Output targets are checked before anything is read or sent.
            let targets = try OutputTarget.validated(options.formats, output: options.output, input: (config.envFile ?? Self.defaultEnvFileIfPresent).map { ($0, "the env file") })
            let configuration = ConfigurationLoader(envFile: config.envFile, environment: environment, flags: config.values).load()
            try MetaCatalogPatterns.validate(options.selection, platforms: options.platformFilter)
            if config.envFile == nil, Self.defaultEnvFileIfPresent == nil, configuration.values.isEmpty,
                targets == [OutputTarget(format: .human, path: nil)]
            {
                Terminal.writeOut(Self.firstRunText)
                throw ExitCode(Int32(ExitStatus.unusableInputs))
            }
            var request = options.request(for: configuration, startedAt: started)
            request.graphProxy = configuration.proxy.map(ProxySettings.init)
            try await CheckExecution.execute(request, targets: targets, options: options, environment: environment)
        }

        /// What a variable is, for `check --help`.
        static func variableMeaning(_ key: ConfigKey) -> String {
            switch key {
            case .appID: "the app's App ID"
            case .appSecret: "the App Secret"
            case .verifyToken: "the verify token your webhook expects"
            case .pageID: "the Facebook Page's id"
            case .pageAccessToken: "the Page access token"
            case .whatsappAccessToken: "the system user's WhatsApp token"
            case .whatsappBusinessAccountID: "the WhatsApp Business Account id"
            case .whatsappPhoneNumberID: "the phone number id (not the number)"
            case .instagramAccountID: "the Instagram account id"
            case .instagramAccessToken: "the Instagram token (else the Page's)"
            case .graphVersion: "the Graph API version"
            case .graphURL: "the Graph API base URL"
            case .webhookBaseURL: "your webhooks' public https origin"
            case .messengerWebhookURL, .whatsappWebhookURL, .instagramWebhookURL: "one platform's own webhook URL"
            case .instagramAPI: "page or instagram-login"
            case .instagramGraphURL: "Instagram Login's Graph API URL"
            }
        }

        /// What a first run with no .env and nothing set prints instead of a report of
        /// not-configured rows.
        public static let firstRunText = """
            Nothing to check yet: there is no .env file here, and no META_, WHATSAPP_ or INSTAGRAM_ variable is set.
            To see what a report looks like, run `meta-doctor demo` (every check against a built-in sandbox).
            To check your own app, run `meta-doctor init`: it writes a commented .env with every variable your
            platforms need (`meta-doctor check --help` lists them; docs/setup-guide.md step 19 has an example),
            then runs `meta-doctor check` on it.

            """

        static var defaultEnvFileIfPresent: String? {
            FileManager.default.fileExists(atPath: ConfigurationLoader.defaultEnvFile) ? ConfigurationLoader.defaultEnvFile : nil
        }
    }
}

/// Runs a request, writes its reports and exits with the report's status. Ctrl-C writes the
/// partial report and exits 130; SIGTERM (a CI cancellation, `timeout`) does the same with 143.
enum CheckExecution {
    /// `announce` goes to stderr before the progress line starts.
    static func execute(
        _ request: DoctorRunRequest, targets: [OutputTarget], options: RunOptions, environment: [String: String],
        announce: String? = nil
    ) async throws {
        try MetaCatalogPatterns.validate(request.selection, platforms: request.platforms)
        Terminal.redactStderr(with: Redactor(secrets: request.configuration.secretValues))
        if let announce { Terminal.writeErr(announce) }
        let progress = Progress(enabled: Progress.wanted(environment: environment))
        let runTask = Task { try await DoctorRun.run(request, observer: progress.observe) }
        let received = Mutex<Int32?>(nil)
        let interrupt = InterruptHandler(signals: [SIGINT, SIGTERM]) { signal in
            received.withLock { $0 = $0 ?? signal }
            runTask.cancel()
        }
        var report: Report
        do {
            report = try await runTask.value
        } catch {
            interrupt.cancel()
            progress.finish()
            Terminal.writeErr("Error: \(error)\n")
            throw ExitCode.failure
        }
        interrupt.cancel()
        progress.finish()
        if received.withLock({ $0 }) == SIGTERM, report.interrupted { report.exitCode = ExitStatus.terminated }
        let color = Terminal.useColor(noColorFlag: options.noColor, environment: environment)
        let renderOptions = RenderOptions(color: color, verbose: options.verbose, width: Terminal.width(of: STDOUT_FILENO))
        let outcome = ReportOutput(targets: targets, options: renderOptions, stepSummary: environment["GITHUB_STEP_SUMMARY"]).write(report)
        for problem in outcome.problems { Terminal.writeErr("meta-doctor: \(problem)\n") }
        if outcome.exitCode != 0 { throw ExitCode(Int32(outcome.exitCode)) }
    }
}

/// Checks on `--only`/`--skip` patterns against the catalog.
enum MetaCatalogPatterns {
    /// Usage errors for a selection that would run nothing meaningful: a pattern that matches no
    /// check, `--skip` of `config` (every check needs it), a `--skip` that removes what `--only`
    /// needs, and an `--only` whose checks all belong to platforms `--platform` leaves out.
    static func validate(_ selection: Selection, platforms: Set<Platform>?) throws {
        let unmatched = selection.only.filter(matchesNothing) + selection.skip.filter(matchesNothing)
        if !unmatched.isEmpty {
            throw ValidationError("No check matches \(unmatched.map { "'\($0)'" }.joined(separator: ", ")); `meta-doctor list` shows the ids.")
        }
        if let pattern = selection.skip.first(where: { Glob($0).matches(ConfigCheck.id.rawValue) }) {
            throw ValidationError("--skip \(pattern) removes config, which every check needs; nothing would run.")
        }
        if let conflict = skippedPrerequisite(selection) {
            throw ValidationError(
                "--skip \(conflict.skipped) removes \(conflict.prerequisite), which --only \(conflict.target) needs; nothing of it would run.")
        }
        let targets = MetaCatalog.descriptions.filter { description in
            selection.only.contains { Glob($0).matches(description.id.rawValue) }
                && !selection.skip.contains { Glob($0).matches(description.id.rawValue) }
        }
        if !selection.only.isEmpty, targets.isEmpty {
            throw ValidationError("--skip removes every check --only names; nothing would run.")
        }
        if let platforms, !targets.isEmpty,
            targets.allSatisfy({ $0.platform.flatMap(Platform.init(rawValue:)).map { !platforms.contains($0) } ?? false })
        {
            let named = Set(targets.compactMap(\.platform)).sorted().joined(separator: ", ")
            throw ValidationError(
                "--only selects \(named) checks only, but --platform \(platforms.map(\.rawValue).sorted().joined(separator: ",")) leaves them out; nothing would run.")
        }
    }

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

/// Calls `onInterrupt` with the signal on SIGINT (Ctrl-C) and, where asked, SIGTERM, instead of
/// dying: the run writes its partial report, the sandbox removes its files.
final class InterruptHandler: Sendable {
    private let sources: Mutex<[any DispatchSourceSignal]>
    private let signals: [Int32]

    init(signals: [Int32] = [SIGINT], onInterrupt: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        var created: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { onInterrupt(number) }
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
