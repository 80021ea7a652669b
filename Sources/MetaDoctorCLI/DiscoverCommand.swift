import ArgumentParser
import DoctorKit
import Foundation
import MetaChecks
import MetaConfig
import MetaGraph
import MetaSandbox

extension MetaDoctorCommand {
    /// `meta-doctor discover`: what the configured tokens reach, and which values go where.
    public struct Discover: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "List what the configured tokens reach (Graph API reads only): the app, WABAs and numbers, the Page and its Instagram account.",
            discussion: """
                Reads, never writes: the app the secret belongs to; for the WhatsApp token, its user and the WABAs its \
                granular scopes name, each with its phone numbers (id, display number, verified name, status); for the \
                Page token, the Page and its linked Instagram account; with --user-token-env NAME, the Pages that user \
                token manages (ids and names; never their tokens). Each value is marked ✓ when the configuration holds \
                it, ≠ when it holds another; the values the reads single out that differ are listed to paste.

                Examples:
                  meta-doctor discover
                  meta-doctor discover --user-token-env FB_USER_TOKEN --format json
                  meta-doctor discover --sandbox-scenario whatsapp-two-wabas

                With --sandbox-scenario your configuration is ignored, and --user-token-env \
                \(Discover.sandboxUserTokenVariable) names the sandbox's user token.

                Exit status: 0 everything readable was read (Meta's refusals are listed); 2 the configuration is unusable \
                (unreadable, or nothing to read with); 3 some reads could not be verified (network failure, rate limit, \
                Meta's own error); 64 usage error.
                """)

        @OptionGroup(title: "Configuration") var config: ConfigFlags

        @Option(
            name: .customLong("user-token-env"),
            help: ArgumentHelp("Also list the Pages the user token in this environment variable manages.", valueName: "name"))
        var userTokenEnv: String?

        @Option(help: ArgumentHelp("Output format: human or json.", valueName: "format"), completion: .list(["human", "json"]))
        var format: String = "human"

        @Option(help: ArgumentHelp("Time limit for the whole process, in seconds (0.5 to 3600).", valueName: "seconds"))
        var timeout: Double = 30

        @Option(help: ArgumentHelp("Extra trust roots (PEM) for the Graph API's TLS, added to the system's.", valueName: "pem"), completion: .file(extensions: ["pem", "crt"]))
        var caFile: String?

        @Option(
            help: ArgumentHelp("Read the embedded sandbox's scenario instead of your configuration.", valueName: "name"),
            completion: .list(SandboxScenarios.all.map(\.name)))
        var sandboxScenario: String?

        /// With `--sandbox-scenario`, the variable that holds the sandbox's user token.
        public static let sandboxUserTokenVariable = "META_DOCTOR_SANDBOX_USER_TOKEN"

        public init() {}

        public func validate() throws {
            guard ["human", "json"].contains(format) else { throw ValidationError("--format for discover is human or json.") }
            guard timeout >= RunOptions.minimumTimeout, timeout <= 3600 else {
                throw ValidationError("--timeout must be between \(RunOptions.minimumTimeout) and 3600 seconds.")
            }
            if let name = sandboxScenario, SandboxScenarios.named(name) == nil {
                throw ValidationError("Unknown scenario '\(name)'; `meta-doctor demo --list-scenarios` lists them.")
            }
            if let caFile, let problem = RegularFile.problem(caFile) {
                throw ValidationError("--ca-file \(caFile) cannot be read: \(problem).")
            }
        }

        public func run() async throws {
            let started = ContinuousClock.now
            let deadline = started.advanced(by: .milliseconds(Int(timeout * 1000) - 200))
            var world: SandboxWorld?
            let configuration: MetaConfiguration
            var variables = ProcessInfo.processInfo.environment
            var settings = AHCTransport.Settings(caFile: caFile)
            if let name = sandboxScenario, let scenario = SandboxScenarios.named(name) {
                let started = try await SandboxWorld.start(scenario: scenario)
                world = started
                configuration = DoctorRunRequest.forSandbox(started).configuration
                variables = [Self.sandboxUserTokenVariable: SandboxIDs.userToken]
                Terminal.writeErr("meta-doctor: discover against the sandbox (Graph API at \(started.graph.baseURL)), scenario '\(name)'\n")
            } else {
                configuration = ConfigurationLoader(envFile: config.envFile, environment: variables, flags: config.values).load()
                settings.proxy = configuration.proxy.map(ProxySettings.init)
            }
            let status = await DiscoverExecution.execute(
                configuration: configuration, userTokenVariable: userTokenEnv, variables: variables, settings: settings,
                json: format == "json", deadline: deadline)
            await world?.stop()
            if status != 0 { throw ExitCode(status) }
        }
    }
}

/// Runs a discovery and writes it; the exit status as `discover --help` documents it.
public enum DiscoverExecution {
    static func execute(
        configuration: MetaConfiguration, userTokenVariable: String?, variables: [String: String], settings: AHCTransport.Settings,
        json: Bool, deadline: ContinuousClock.Instant
    ) async -> Int32 {
        let userToken = userTokenVariable.flatMap { variables[$0] }.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty ? nil : Secret($0) }
        let redactor = Redactor(secrets: configuration.secretValues + (userToken.map { [$0.exposedValue] } ?? []))
        Terminal.redactStderr(with: redactor)
        if let name = userTokenVariable, userToken == nil {
            Terminal.writeErr("meta-doctor discover: --user-token-env \(name): the environment variable \(name) is not set.\n")
            return Int32(ExitStatus.unusableInputs)
        }
        if let problem = Discovery.unusable(configuration, hasUserToken: userToken != nil) {
            Terminal.writeErr("meta-doctor discover: \(problem)\n")
            return Int32(ExitStatus.unusableInputs)
        }
        let result: DiscoveryResult
        do {
            result = try await discover(configuration: configuration, userToken: userToken, settings: settings, deadline: deadline)
        } catch {
            Terminal.writeErr("meta-doctor discover: \(error)\n")
            return Int32(ExitStatus.couldNotVerify)
        }
        let sources = DiscoveryOutput.Sources(configuration, userTokenVariable: userTokenVariable)
        let text = json ? DiscoveryOutput.json(result, sources: sources) : DiscoveryOutput.human(result, sources: sources)
        if let problem = Terminal.writeOut(redactor.redact(text)) {
            Terminal.writeErr("meta-doctor discover: standard output: \(problem)\n")
            return Int32(ExitStatus.outputFailed)
        }
        return DiscoveryOutput.exitStatus(result)
    }

    /// The discovery itself, through a transport of its own that is shut down before it returns.
    public static func discover(
        configuration: MetaConfiguration, userToken: Secret?, settings: AHCTransport.Settings = AHCTransport.Settings(),
        deadline: ContinuousClock.Instant
    ) async throws -> DiscoveryResult {
        let transport = try AHCTransport(settings: settings)
        let client = GraphClient(
            transport: transport, baseURL: configuration.graphURL, version: configuration.graphVersion, appSecret: configuration.appSecret,
            userAgent: "meta-doctor/\(MetaDoctorVersion.current)")
        let result = await Discovery.run(configuration: configuration, client: client, userToken: userToken, by: deadline)
        await transport.shutdown()
        return result
    }
}
