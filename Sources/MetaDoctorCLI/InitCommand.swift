import ArgumentParser
import DoctorKit
import Foundation
import MetaChecks
import MetaConfig
import MetaGraph
import Reports
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Suggests values for settings not given yet, from the tokens that are (`meta-doctor discover`):
/// the Page id behind a Page token, the WABA a system user token was granted. It gets a run
/// request (the configuration so far, the transport, the deadlines) and answers what it found;
/// an empty answer is always acceptable.
public typealias ValueDiscovery = @Sendable (DoctorRunRequest) async -> [ConfigKey: String]

/// Asks the user one question.
protocol InitPrompter: Sendable {
    /// The answer without surrounding whitespace; nil at the end of input (Ctrl-D).
    func ask(_ question: String, secret: Bool) async -> String?
}

extension MetaDoctorCommand {
    /// `meta-doctor init`: write a commented `.env` for the chosen platforms, then check it.
    public struct Init: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Write a commented .env for your platforms (asking on a terminal), then run check.",
            discussion: """
                Each variable the chosen platforms need gets a line, under a comment that says where in Meta's \
                dashboards its value is and which step of the setup guide explains it. On a terminal, init asks for \
                what the environment and the flags do not give (secrets without echo; Enter leaves a value empty) and \
                fills in what it can find from the tokens. Without a terminal, or with --non-interactive, it takes the \
                values from the environment (canonical names and aliases) and flags only. A value not known is \
                written empty: `check` reports it as empty until you fill it in.

                The file is written with mode 0600 and never replaces an existing file without --force. Then init \
                runs `check --env-file` on it (skip with --no-check) and exits with check's status.

                Exit status: check's (0 nothing failed, 1 a check failed, 2 the configuration is unusable, ...); 0 \
                with --no-check; 64 usage error (the file exists and --force is not given); 74 the file could not be \
                written; 130 interrupted (Ctrl-C).

                Examples:
                  meta-doctor init
                  meta-doctor init --platform whatsapp --output backend/.env
                  META_APP_SECRET=... meta-doctor init --non-interactive --app-id 123 --no-check
                """)

        /// Where `init` gets suggested values from the tokens given: `discover`'s reads (Graph GETs only),
        /// through the request's transport, within its `--timeout`. Nothing found (or a failure) is no
        /// suggestion.
        static let discovery: ValueDiscovery = { request in
            var settings = request.transport
            settings.proxy = request.graphProxy
            let deadline = ContinuousClock.now.advanced(by: request.runTimeout)
            let result = try? await DiscoverExecution.discover(configuration: request.configuration, userToken: nil, settings: settings, deadline: deadline)
            return result?.suggestedValues ?? [:]
        }

        @Option(
            name: .customLong("platform"), help: ArgumentHelp("Set up this platform (repeatable): messenger, whatsapp, instagram."),
            completion: .list(Platform.allCases.map(\.rawValue)))
        var platforms: [String] = []

        @Option(name: .shortAndLong, help: ArgumentHelp("The file to write.", valueName: "path"), completion: .file())
        var output: String = ConfigurationLoader.defaultEnvFile

        @Flag(help: "Replace the file if it exists.") var force = false
        @Flag(help: "Ask nothing, even on a terminal: take the values from the environment and flags only.") var nonInteractive = false
        @Flag(help: "Do not run check on the file written.") var noCheck = false

        @OptionGroup(title: "Values") var settings: ConfigValueFlags
        @OptionGroup(title: "The check at the end") var connection: InitCheckOptions

        public init() {}

        public func validate() throws {
            for name in platforms.flatMap(RunOptions.splitList) where Platform(rawValue: name.lowercased()) == nil {
                throw ValidationError("Unknown platform '\(name)'; use messenger, whatsapp or instagram.")
            }
            if output.isEmpty { throw ValidationError("--output names no file.") }
            // Before any question: no one types a secret for a file that cannot be written.
            if let problem = EnvFileWriter.problem(output, force: force) { throw ValidationError(problem.prefix(1).uppercased() + problem.dropFirst() + ".") }
            _ = try connection.runOptions()
        }

        public func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let runOptions = try connection.runOptions()
            let given = ConfigurationLoader(envFile: nil, environment: environment, flags: settings.values).load(readingDefaultFile: false)
            let interactive = !nonInteractive && Terminal.isTTY(STDIN_FILENO) && Terminal.isTTY(STDERR_FILENO)
            let prompter = interactive ? TerminalPrompter() : nil
            // Ctrl-C or SIGTERM at a question (echo may be off) restores the terminal before exiting.
            let interrupt = prompter.map { prompter in
                InterruptHandler(signals: [SIGINT, SIGTERM]) { signal in
                    prompter.restoreAndExit(signal == SIGTERM ? Int32(ExitStatus.terminated) : Int32(ExitStatus.interrupted))
                }
            }
            // The deadline of discovery counts from when it starts, after the questions.
            var base = runOptions.request(for: given, startedAt: .now)
            base.deadline = nil
            base.graphProxy = given.proxy.map(ProxySettings.init)
            let flow = InitFlow(
                platforms: RunOptions.platformSet(platforms), given: given, prompter: prompter, discovery: Self.discovery,
                request: { [base] configuration in
                    var request = base
                    request.configuration = configuration
                    return request
                })
            let template = await flow.template()
            interrupt?.cancel()
            do { try EnvFileWriter.write(template.render(docsURL: runOptions.docsURL), to: output, force: force) } catch {
                Terminal.writeErr("meta-doctor: \(error.description)\n")
                throw ExitCode(Int32(ExitStatus.outputFailed))
            }
            let secrets = Redactor(secrets: given.secretValues + template.values.filter { $0.key.isSecret }.map(\.value))
            Terminal.writeOut(secrets.redact(InitFlow.summary(template, path: output, checking: !noCheck)))
            guard !noCheck else { return }
            let written = ConfigurationLoader(envFile: output, environment: environment, flags: settings.values).load()
            var request = runOptions.request(for: written, startedAt: .now)
            request.graphProxy = written.proxy.map(ProxySettings.init)
            try await CheckExecution.execute(
                request, targets: [OutputTarget(format: .human, path: nil)], options: runOptions, environment: environment,
                announce: "meta-doctor: check --env-file \(output)\n")
        }
    }
}

/// The options of the `check` that ends `init`: how it connects (the rest are check's defaults).
public struct InitCheckOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Extra trust roots (PEM) for every HTTPS connection, added to the system's.", valueName: "pem"), completion: .file(extensions: ["pem", "crt"]))
    var caFile: String?
    @Option(help: ArgumentHelp("Send connections for HOST:PORT to HOST2:PORT2, keeping SNI and Host (repeatable, as curl's).", valueName: "host:port:host2:port2"))
    var connectTo: [String] = []
    @Option(help: ArgumentHelp("The local ngrok agent API.", valueName: "url")) var ngrokAPI: String?
    @Option(help: ArgumentHelp("Time limit of the check, in seconds (0.5 to 3600).", valueName: "seconds")) var timeout: Double?
    @Flag(name: .customLong("no-color"), help: "No colour.") var noColor = false

    public init() {}

    /// The same as `check`'s options, parsed and validated by `RunOptions` itself.
    func runOptions() throws -> RunOptions {
        var arguments = (caFile.map { ["--ca-file", $0] } ?? []) + connectTo.flatMap { ["--connect-to", $0] }
        if let ngrokAPI { arguments += ["--ngrok-api", ngrokAPI] }
        if let timeout { arguments += ["--timeout", String(timeout)] }
        if noColor { arguments.append("--no-color") }
        do { return try RunOptions.parse(arguments) } catch { throw ValidationError(RunOptions.message(for: error)) }
    }
}

extension RunOptions {
    static func platformSet(_ arguments: [String]) -> Set<Platform>? {
        let names = arguments.flatMap(splitList)
        return names.isEmpty ? nil : Set(names.compactMap { Platform(rawValue: $0.lowercased()) })
    }
}

/// What `init` does between the flags and the file: which platforms, which values (given, asked,
/// discovered), in that precedence. The terminal and the discovery are injected, so tests drive both.
struct InitFlow: Sendable {
    /// `--platform`; nil: ask, or (without a terminal) the platforms something was given for.
    var platforms: Set<Platform>?
    /// The environment and flags, as `check` would load them (aliases included).
    var given: MetaConfiguration
    /// nil: ask nothing.
    var prompter: (any InitPrompter)?
    var discovery: ValueDiscovery
    /// The request discovery gets for a configuration.
    var request: @Sendable (MetaConfiguration) -> DoctorRunRequest

    /// What discovery reads ids from.
    static let tokens: Set<ConfigKey> = [.pageAccessToken, .whatsappAccessToken, .instagramAccessToken]
    /// Asked before discovery: the app and the tokens.
    static let credentials: Set<ConfigKey> = tokens.union([.appID, .appSecret])

    func template() async -> EnvTemplate {
        var template = EnvTemplate(platforms: await choosePlatforms())
        for key in ConfigKey.allCases { if let value = given.string(key) { template.values[key] = value } }
        if template.platforms.contains(.instagram) {
            template.instagramAPI = await chooseInstagramAPI()
            template.values[.instagramAPI] = template.instagramAPI.rawValue
        } else {
            template.values[.instagramAPI] = nil
        }
        var inputEnded = false
        for key in template.keys where Self.credentials.contains(key) && template.values[key] == nil && !inputEnded {
            if let answer = await ask(key, suggestion: nil, ended: &inputEnded) { template.values[key] = answer }
        }
        var suggestions: [ConfigKey: String] = [:]
        if template.keys.contains(where: { Self.tokens.contains($0) && template.values[$0] != nil }) {
            let environment = Dictionary(uniqueKeysWithValues: template.values.map { ($0.key.name, $0.value) })
            let configuration = ConfigurationLoader(envFile: nil, environment: environment).load(readingDefaultFile: false)
            let keys = Set(template.keys)
            suggestions = await discovery(request(configuration)).filter { keys.contains($0.key) && !$0.value.isEmpty }
        }
        for key in template.keys where template.values[key] == nil {
            if prompter == nil || inputEnded {
                template.values[key] = suggestions[key]
            } else if let answer = await ask(key, suggestion: suggestions[key], ended: &inputEnded) {
                template.values[key] = answer
            } else {
                template.values[key] = suggestions[key]
            }
        }
        return template
    }

    /// The answer, the suggestion for an empty answer, or nil (left empty).
    private func ask(_ key: ConfigKey, suggestion: String?, ended: inout Bool) async -> String? {
        guard let prompter, !ended else { return nil }
        let hint = suggestion.map { key.isSecret ? " [Enter: the value found from the token]" : " [\($0), found from the token]" }
            ?? " [Enter: leave empty]"
        let question = "\(key.name), \(MetaDoctorCommand.Check.variableMeaning(key))\(key.isSecret ? " (hidden)" : "")\(hint): "
        guard let answer = await prompter.ask(question, secret: key.isSecret) else {
            ended = true
            return nil
        }
        return answer.isEmpty ? suggestion : answer
    }

    private func choosePlatforms() async -> Set<Platform> {
        if let platforms { return platforms }
        if let prompter {
            var note = ""
            while true {
                let all = Platform.allCases.map(\.rawValue).joined(separator: ", ")
                guard let answer = await prompter.ask("\(note)Platforms to set up (\(all)) [all]: ", secret: false) else { break }
                if answer.isEmpty { return Set(Platform.allCases) }
                let names = RunOptions.splitList(answer.replacingOccurrences(of: " ", with: ","))
                let chosen = names.compactMap { Platform(rawValue: $0.lowercased()) }
                if chosen.count == names.count, !chosen.isEmpty { return Set(chosen) }
                note = "Unknown platform in '\(Redactor.neutralizeControls(answer))'. "
            }
            return Set(Platform.allCases)
        }
        let named: [Platform: [ConfigKey]] = [
            .messenger: [.pageID, .pageAccessToken], .whatsapp: [.whatsappAccessToken, .whatsappBusinessAccountID, .whatsappPhoneNumberID],
            .instagram: [.instagramAccountID, .instagramAccessToken],
        ]
        let configured = Set(named.filter { $0.value.contains { given.string($0) != nil } }.keys)
        return configured.isEmpty ? Set(Platform.allCases) : configured
    }

    private func chooseInstagramAPI() async -> InstagramAPI {
        if given.string(.instagramAPI) != nil { return given.instagramAPI ?? .page }
        guard let prompter else { return .page }
        while true {
            guard let answer = await prompter.ask("Instagram API: page (a Page token) or instagram-login (an IGAA token) [page]: ", secret: false)
            else { return .page }
            if answer.isEmpty { return .page }
            if let api = InstagramAPI(rawValue: answer.lowercased()) { return api }
        }
    }

    /// What `init` prints once the file is written (names only, never a value).
    static func summary(_ template: EnvTemplate, path: String, checking: Bool) -> String {
        let names = Platform.allCases.filter(template.platforms.contains).map(\.displayName).joined(separator: ", ")
        let empty = template.placeholders
        var text = "Wrote \(path) (mode 0600) for \(names): \(template.keys.count - empty.count) of \(template.keys.count) values set.\n"
        if !empty.isEmpty {
            text += "Still empty: \(empty.map(\.name).joined(separator: ", ")). Each has a comment in \(path) saying where to find it.\n"
        }
        if !checking { text += "Run `meta-doctor check\(path == ConfigurationLoader.defaultEnvFile ? "" : " --env-file \(path)")` when it is filled in.\n" }
        return text
    }
}

/// Questions on standard error, answers from standard input (a terminal): a secret's answer is
/// read with echo off, and the terminal's mode is restored after it, and on Ctrl-C (`restore`).
struct TerminalPrompter: InitPrompter {
    private let original: termios?
    /// The interrupt handler runs on another thread while a question may be changing the mode: a
    /// question turning echo off just after the handler restored it left the terminal without
    /// echo after the exit. Every change, and the exit, happen under this lock.
    private let modeChanges = ModeChanges()

    init() {
        var mode = termios()
        original = tcgetattr(STDIN_FILENO, &mode) == 0 ? mode : nil
    }

    /// The longest answer read: a token is a few hundred characters.
    static let maxAnswerBytes = 16 * 1024

    func ask(_ question: String, secret: Bool) async -> String? {
        if secret, var quiet = original {
            quiet.c_lflag &= ~tcflag_t(ECHO)
            // TCSANOW: input already typed stays (TCSAFLUSH would drop it).
            modeChanges.perform { _ = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) }
        }
        Terminal.writeErr(question)
        let line = Self.readLine()
        if secret {
            restore()
            Terminal.writeErr("\n")
        }
        return line.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Puts the terminal back in the mode it had before the first question.
    func restore() {
        modeChanges.perform(restoreMode)
    }

    /// Restores the mode and ends the process (Ctrl-C, SIGTERM) with no question changing it after.
    func restoreAndExit(_ status: Int32) -> Never {
        modeChanges.performAndExit {
            restoreMode()
            Terminal.writeErr("\n")
            _exit(status)
        }
    }

    private func restoreMode() {
        guard var mode = original else { return }
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &mode)
    }

    /// One line of standard input, bounded; nil at the end of input before any character.
    static func readLine() -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = Foundation.read(STDIN_FILENO, &byte, 1)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            if bytes.count < maxAnswerBytes { bytes.append(byte) }
        }
    }
}

/// One terminal mode change at a time; the last one ends the process while holding the lock.
private final class ModeChanges: Sendable {
    private let lock = Mutex(())

    func perform(_ change: () -> Void) { lock.withLock { _ in change() } }

    func performAndExit(_ exit: () -> Never) -> Never { lock.withLock { _ in exit() } }
}
