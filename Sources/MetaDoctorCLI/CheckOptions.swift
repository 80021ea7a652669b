import ArgumentParser
import DoctorKit
import Foundation
import MetaConfig
import MetaChecks
import MetaGraph
import Reports

/// Options every command that runs checks shares (`check`, `demo`).
public struct RunOptions: ParsableArguments {
    @Option(
        name: .customLong("platform"), help: ArgumentHelp("Check only this platform (repeatable): messenger, whatsapp, instagram."),
        completion: .list(Platform.allCases.map(\.rawValue)))
    var platforms: [String] = []

    @Option(
        help: ArgumentHelp("Run only these checks and their prerequisites (ids or globs such as 'webhook.*'; repeatable, comma lists).", valueName: "ids"),
        completion: .list(MetaChecksIDs.all.map(\.rawValue)))
    var only: [String] = []

    @Option(help: ArgumentHelp("Skip these checks (ids or globs; repeatable, comma lists).", valueName: "ids"), completion: .list(MetaChecksIDs.all.map(\.rawValue)))
    var skip: [String] = []

    @Option(
        name: .customLong("format"),
        help: ArgumentHelp("Report format, optionally to a file: FORMAT[:PATH] (repeatable). Formats: human, json, junit, markdown, github.", valueName: "format[:path]"),
        completion: .list(ReportFormat.allCases.map(\.rawValue)))
    var formats: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the report that has no path to this file instead of standard output.", valueName: "file"), completion: .file())
    var output: String?

    @Flag(help: "Exit 1 on warnings too.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Show timings and evidence.")
    var verbose = false

    @Flag(name: .customLong("no-color"), help: "No colour (also when NO_COLOR is set and not empty, or standard output is not a terminal).")
    var noColor = false

    @Option(help: ArgumentHelp("Time limit for the whole process, in seconds (0.5 to 3600).", valueName: "seconds"))
    var timeout: Double = 30

    /// The shortest `--timeout`: less leaves no time for a single request.
    static let minimumTimeout = 0.5

    @Option(help: ArgumentHelp("How many checks may run at once.", valueName: "n"))
    var maxConcurrency: Int = 8

    @Option(help: ArgumentHelp("Base URL of the setup guide that fixes link to (your team's copy).", valueName: "url"))
    var docsURL: String = DoctorRunRequest.defaultDocsURL

    @Option(help: ArgumentHelp("Extra trust roots (PEM) for every HTTPS connection, added to the system's.", valueName: "pem"), completion: .file(extensions: ["pem", "crt"]))
    var caFile: String?

    @Option(help: ArgumentHelp("Send connections for HOST:PORT to HOST2:PORT2, keeping SNI and Host (repeatable, as curl's).", valueName: "host:port:host2:port2"))
    var connectTo: [String] = []

    @Option(help: ArgumentHelp("The local ngrok agent API.", valueName: "url"))
    var ngrokAPI: String = ProbeEnvironment.defaultNgrokAPI

    public init() {}

    public func validate() throws {
        guard URLParts(ngrokAPI) != nil else { throw ValidationError("--ngrok-api \(ngrokAPI) is not an http(s) URL.") }
        guard timeout >= Self.minimumTimeout, timeout <= 3600 else {
            throw ValidationError("--timeout must be between \(Self.minimumTimeout) and 3600 seconds.")
        }
        if let ngrok = URLParts(ngrokAPI), !ngrok.hasValidPort { throw ValidationError("--ngrok-api \(ngrokAPI) has a port outside 1-65535.") }
        guard maxConcurrency >= 1 else { throw ValidationError("--max-concurrency must be at least 1.") }
        for name in platforms.flatMap(Self.splitList) where Platform(rawValue: name.lowercased()) == nil {
            throw ValidationError("Unknown platform '\(name)'; use messenger, whatsapp or instagram.")
        }
        for rule in connectTo where ConnectTo(argument: rule) == nil {
            throw ValidationError("--connect-to '\(rule)' is not HOST:PORT:HOST2:PORT2.")
        }
        do { _ = try OutputTarget.resolve(formats, output: output) } catch { throw ValidationError(error.message) }
        if let caFile {
            // Checked before anything opens it: a FIFO or a device would block the read.
            if let problem = RegularFile.problem(caFile) { throw ValidationError("--ca-file \(caFile) cannot be read: \(problem).") }
            guard let inspector = try? TLSInspector(caFile: caFile), !inspector.extraRoots.isEmpty else {
                throw ValidationError("--ca-file \(caFile) holds no PEM certificate (-----BEGIN CERTIFICATE-----).")
            }
        }
    }

    static func splitList(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    var selection: Selection { Selection(only: only.flatMap(Self.splitList), skip: skip.flatMap(Self.splitList)) }
    var platformFilter: Set<Platform>? {
        let names = platforms.flatMap(Self.splitList)
        return names.isEmpty ? nil : Set(names.compactMap { Platform(rawValue: $0.lowercased()) })
    }

    /// A run request for `configuration` with these options applied; `--timeout` counts from
    /// `startedAt`, the start of the command.
    func request(for configuration: MetaConfiguration, startedAt: ContinuousClock.Instant) -> DoctorRunRequest {
        var request = DoctorRunRequest(configuration: configuration)
        request.selection = selection
        request.platforms = platformFilter
        request.strict = strict
        request.runTimeout = .milliseconds(Int(timeout * 1000))
        request.deadline = startedAt.advanced(by: request.runTimeout)
        request.checkTimeout = min(.seconds(20), request.runTimeout)
        request.maxConcurrency = maxConcurrency
        request.docsURL = docsURL
        request.transport = AHCTransport.Settings(caFile: caFile, connectTo: connectTo.compactMap(ConnectTo.init(argument:)))
        request.ngrokAPI = ngrokAPI
        return request
    }
}

/// Flags that set configuration values (non-secret ones only: a secret on a command line is visible
/// to every user of the machine), and the `.env` file to read.
public struct ConfigFlags: ParsableArguments {
    @Option(help: ArgumentHelp("Read this file instead of ./.env.", valueName: "path"), completion: .file())
    var envFile: String?
    @OptionGroup var settings: ConfigValueFlags

    public init() {}

    var values: [ConfigKey: (name: String, value: String)] { settings.values }
}

/// The flags that set one non-secret value each (`check`, `init`).
public struct ConfigValueFlags: ParsableArguments {
    @Option(help: "META_APP_ID.") var appID: String?
    @Option(help: "META_PAGE_ID.") var pageID: String?
    @Option(help: "WHATSAPP_BUSINESS_ACCOUNT_ID.") var wabaID: String?
    @Option(help: "WHATSAPP_PHONE_NUMBER_ID.") var phoneNumberID: String?
    @Option(help: "INSTAGRAM_ACCOUNT_ID.") var instagramAccountID: String?
    @Option(help: ArgumentHelp("META_GRAPH_VERSION (default \(GraphVersions.defaultVersion)).", valueName: "version")) var graphVersion: String?
    @Option(help: ArgumentHelp("META_GRAPH_URL: the Graph API base URL, http or https.", valueName: "url")) var graphURL: String?
    @Option(help: ArgumentHelp("WEBHOOK_BASE_URL: the public https origin of your webhooks.", valueName: "url")) var webhookBaseURL: String?
    @Option(help: ArgumentHelp("INSTAGRAM_API: the Instagram API your backend uses, page or instagram-login.", valueName: "api"))
    var instagramAPI: String?
    @Option(help: ArgumentHelp("INSTAGRAM_GRAPH_URL: the Graph API of Instagram Login (default graph.instagram.com).", valueName: "url"))
    var instagramGraphURL: String?

    public init() {}

    var values: [ConfigKey: (name: String, value: String)] {
        let pairs: [(ConfigKey, String, String?)] = [
            (.appID, "--app-id", appID), (.pageID, "--page-id", pageID), (.whatsappBusinessAccountID, "--waba-id", wabaID),
            (.whatsappPhoneNumberID, "--phone-number-id", phoneNumberID),
            (.instagramAccountID, "--instagram-account-id", instagramAccountID), (.graphVersion, "--graph-version", graphVersion),
            (.graphURL, "--graph-url", graphURL), (.webhookBaseURL, "--webhook-base-url", webhookBaseURL),
            (.instagramAPI, "--instagram-api", instagramAPI), (.instagramGraphURL, "--instagram-graph-url", instagramGraphURL),
        ]
        var values: [ConfigKey: (name: String, value: String)] = [:]
        for (key, name, value) in pairs { if let value { values[key] = (name, value) } }
        return values
    }
}
