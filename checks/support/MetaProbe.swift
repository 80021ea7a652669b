import DoctorKit
import Foundation
import MetaConfig
import MetaGraph

/// What every probe may use: the configuration, the Graph API (through the run's memo, so no
/// request is made twice), the webhook transport and the clock.
public struct ProbeEnvironment: Sendable {
    public let configuration: MetaConfiguration
    public let graph: GraphMemo
    /// Transport for the user's own endpoints (webhooks, the ngrok agent).
    public let webTransport: any HTTPTransport
    /// Inspects the webhooks' TLS (with `--ca-file` and `--connect-to`).
    public let tlsInspector: TLSInspector
    /// The local ngrok agent API (`--ngrok-api`).
    public let ngrokAPI: String
    /// The platforms this run checks.
    public let enabledPlatforms: Set<Platform>
    public let now: @Sendable () -> Date
    /// The Graph reads the run's checks will make, started together as soon as the configuration and
    /// the version have passed (see `MetaCatalog.checks`), so the checks find them in flight.
    public var plannedReads: [any GraphRead] = []

    public static let defaultNgrokAPI = "http://127.0.0.1:4040"

    public init(
        configuration: MetaConfiguration, graph: GraphClient, webTransport: any HTTPTransport,
        tlsInspector: TLSInspector = TLSInspector.systemRootsOnly, ngrokAPI: String = ProbeEnvironment.defaultNgrokAPI,
        enabledPlatforms: Set<Platform>, now: @escaping @Sendable () -> Date = { Date() }, sharedReads: SharedGraphReads? = nil
    ) {
        self.configuration = configuration
        // graph.instagram.com's calls carry no appsecret_proof: that API's proof is keyed by the
        // Instagram app secret, which the configuration does not hold.
        var instagram = GraphClient(
            transport: graph.transport, baseURL: configuration.instagramGraphURL, version: graph.version, appSecret: nil,
            requestTimeout: graph.requestTimeout, maxBodyBytes: graph.maxBodyBytes, retry: graph.retry,
            userAgent: graph.userAgent, sleep: graph.sleep)
        instagram.pacer = graph.pacer
        self.graph = GraphMemo(
            clients: [.facebook: graph, .instagram: instagram], credentials: GraphCredentials(configuration), shared: sharedReads)
        self.webTransport = webTransport
        self.tlsInspector = tlsInspector
        self.ngrokAPI = ngrokAPI
        self.enabledPlatforms = enabledPlatforms
        self.now = now
    }
}

/// A probe: its declaration next to its logic, as SwiftLint declares a rule with its description.
public protocol MetaProbe: Sendable {
    var description: CheckDescription { get }
    /// The Graph reads the probe makes with these ids: what the run starts ahead, and, with
    /// placeholder ids, what `explain` prints. Empty for probes that make none.
    static func graphReads(_ ids: GraphIDs) -> [any GraphRead]
    func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult
}

extension MetaProbe {
    public static func graphReads(_ ids: GraphIDs) -> [any GraphRead] { [] }
}

/// The ids a probe's Graph calls name: the run's configuration, or placeholders for `explain`.
public struct GraphIDs: Sendable {
    public var appID: String?
    public var pageID: String?
    public var wabaID: String?
    public var phoneNumberID: String?
    public var instagramAccountID: String?
    /// The Instagram path whose calls to name; nil names both (for `explain`).
    public var instagramAPI: InstagramAPI?
    /// The platforms the run checks.
    public var platforms: Set<Platform> = Set(Platform.allCases)

    public init(_ configuration: MetaConfiguration, platforms: Set<Platform>) {
        self.platforms = platforms
        appID = configuration.appID
        pageID = configuration.pageID
        wabaID = configuration.wabaID
        phoneNumberID = configuration.phoneNumberID
        instagramAccountID = configuration.instagramAccountID
        instagramAPI = configuration.instagramAPI
    }

    private init() {}

    public static let placeholders: GraphIDs = {
        var ids = GraphIDs()
        ids.appID = "{app-id}"
        ids.pageID = "{page-id}"
        ids.wabaID = "{waba-id}"
        ids.phoneNumberID = "{phone-number-id}"
        ids.instagramAccountID = "{ig-user-id}"
        return ids
    }()
}

extension Array where Element == any GraphRead {
    /// What `explain` prints for these calls.
    var descriptions: [String] { map(\.request.description) }
}

extension ProbeResult {
    /// The result for a Graph error that says nothing about the configuration (network, rate
    /// limit, Meta's own failure, an unexpected reply): the check could not verify.
    static func couldNotVerify(_ error: GraphError, while doing: String) -> ProbeResult {
        var message = "Could not verify: \(doing) failed: \(error)"
        if let minutes = error.minutesToRegainAccess, minutes > 0, error.kind == .rateLimited {
            message += " Meta says access returns in about \(minutes) min."
        }
        return .error(message, evidence: error.evidence, action: couldNotVerifyAction(error))
    }

    static func couldNotVerifyAction(_ error: GraphError) -> String {
        switch error.kind {
        case .rateLimited: "Wait until the rate limit resets, then run meta-doctor again."
        case .network: "Check the network path to the Graph API (proxy, DNS, firewall), then run meta-doctor again."
        default: "Meta's API did not answer as documented; run meta-doctor again later. If it persists, give Meta support the fbtrace_id."
        }
    }
}

extension ProbeResult {
    /// A reply Meta auto-upgraded (MB-G6) shows that Meta already treats the configured version as
    /// deprecated for that endpoint, WhatsApp's often long before the published end date. The
    /// check whose calls got it says so: in its evidence, and as a warning when it otherwise passed.
    func reportingVersionUpgrades(_ notices: [GraphVersionNotice]) -> ProbeResult {
        let upgrades = notices.filter(\.isUpgrade)
        guard let first = upgrades.first else { return self }
        var result = self
        result.evidence["graphVersionUpgrades"] = .strings(upgrades.map { notice in
            "\(notice.endpoint) served by \(notice.served ?? "another version")" + (notice.warning.map { ": \($0)" } ?? "")
        })
        guard verdict == .pass else { return result }
        let served = first.served ?? "a newer version"
        result.verdict = .warn
        result.message += " Meta auto-upgraded its \(first.requested) calls to \(served)"
            + (first.warning.map { ": \"\($0)\"" } ?? ".")
        result.action = "Meta already answers these calls with \(served): set META_GRAPH_VERSION to \(served) (or newer) and test your integration on it."
        return result
    }
}

extension Date {
    /// "2026-11-25" (UTC).
    var day: String {
        var style = Date.ISO8601FormatStyle().year().month().day()
        style.timeZone = TimeZone(identifier: "UTC")!
        return formatted(style)
    }
}

