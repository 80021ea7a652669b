import DoctorKit
import Foundation
import MetaChecks
import MetaConfig
import MetaGraph
import MetaSandbox
import Reports

/// The tool's name and version, as reports show them.
public enum MetaDoctorVersion {
    public static let current = "0.2.0"
    public static let tool = Report.Tool(name: "meta-doctor", version: current)
}

/// Everything one `check` run needs, already parsed.
public struct DoctorRunRequest: Sendable {
    public var configuration: MetaConfiguration
    public var selection: Selection = .all
    /// `--platform`; nil checks every configured platform.
    public var platforms: Set<Platform>?
    public var strict = false
    public var runTimeout: Duration = .seconds(30)
    /// When the whole process must end (`--timeout` from the command's start): the checks, closing
    /// the connections and the report all fit before it. nil: `runTimeout` from the run's start.
    public var deadline: ContinuousClock.Instant?
    public var checkTimeout: Duration = .seconds(20)
    public var maxConcurrency = 8
    public var docsURL = DoctorRunRequest.defaultDocsURL
    public var transport = AHCTransport.Settings()
    /// `HTTPS_PROXY`/`NO_PROXY`, for Graph calls.
    public var graphProxy: ProxySettings?
    /// The local ngrok agent API.
    public var ngrokAPI = ProbeEnvironment.defaultNgrokAPI
    /// The deadline of one Graph API request (retries come on top, within the check's deadline).
    public var graphRequestTimeout: Duration = .seconds(10)
    public var now: @Sendable () -> Date = { Date() }
    /// What the runs of one fleet share (its connections, app-level reads and pacer); nil: the run
    /// makes its own connections and closes them.
    public var shared: SharedRunResources?

    /// The guide in the project's repository.
    public static let defaultDocsURL = "https://github.com/meta-doctor/meta-doctor/blob/main/docs/setup-guide.md"

    public init(configuration: MetaConfiguration) {
        self.configuration = configuration
    }
}

/// What the runs of one fleet share: one connection pool for the Graph API and one for webhooks
/// (closed by the fleet when it ends), the app-level reads its integrations make alike, and the
/// pacer that reads Meta's usage headers for all of them.
public struct SharedRunResources: Sendable {
    public let graphTransport: AHCTransport
    public let webTransport: AHCTransport
    public let reads: SharedGraphReads
    public let pacer: UsagePacer

    public init(graphTransport: AHCTransport, webTransport: AHCTransport, reads: SharedGraphReads = SharedGraphReads(), pacer: UsagePacer) {
        self.graphTransport = graphTransport
        self.webTransport = webTransport
        self.reads = reads
        self.pacer = pacer
    }
}

/// Builds the check graph for a configuration, runs it and makes the report.
public enum DoctorRun {
    /// The catalog as a validated graph. A broken catalog is a programming error caught by tests.
    public static func graph(for environment: ProbeEnvironment) throws(CheckGraphError) -> CheckGraph {
        try CheckGraph(MetaCatalog.checks(environment: environment))
    }

    public static func run(_ request: DoctorRunRequest, observer: (@Sendable (RunEvent) -> Void)? = nil) async throws -> Report {
        try await runWithRepairs(request, observer: observer).report
    }

    /// A run's report, and the repairs and configuration changes its checks attached to their
    /// findings (for `fix`).
    public static func runWithRepairs(
        _ request: DoctorRunRequest, observer: (@Sendable (RunEvent) -> Void)? = nil
    ) async throws -> (report: Report, repairs: [CheckID: [Repair]], configChanges: [CheckID: [ConfigChange]]) {
        let startedAt = request.now()
        let states = request.configuration.platformStates(restrictedTo: request.platforms)
        var graphSettings = request.transport
        graphSettings.proxy = request.graphProxy
        let inspector = try TLSInspector(caFile: request.transport.caFile, connectTo: request.transport.connectTo, now: request.now)
        let graphTransport = try request.shared?.graphTransport ?? AHCTransport(settings: graphSettings)
        let webTransport: AHCTransport
        do { webTransport = try request.shared?.webTransport ?? AHCTransport(settings: request.transport) } catch {
            await graphTransport.shutdown()
            throw error
        }
        let ownsTransports = request.shared == nil
        var client = GraphClient(
            transport: graphTransport, baseURL: request.configuration.graphURL, version: request.configuration.graphVersion,
            appSecret: request.configuration.appSecret, requestTimeout: request.graphRequestTimeout,
            userAgent: "meta-doctor/\(MetaDoctorVersion.current)")
        client.pacer = request.shared?.pacer
        let enabledPlatforms = Set(states.filter(\.enabled).map(\.platform))
        var environment = ProbeEnvironment(
            configuration: request.configuration, graph: client, webTransport: webTransport, tlsInspector: inspector,
            ngrokAPI: request.ngrokAPI, enabledPlatforms: enabledPlatforms, now: request.now, sharedReads: request.shared?.reads)
        let notApplicable = MetaCatalog.notApplicable(platformStates: states)
        let graph: CheckGraph
        do {
            let selected = try self.graph(for: environment).selectedIDs(by: request.selection)
            environment.plannedReads = MetaCatalog.plannedReads(
                configuration: request.configuration, enabledPlatforms: enabledPlatforms,
                willRun: { selected.contains($0.id) && notApplicable($0) == nil })
            graph = try self.graph(for: environment)
        } catch {
            if ownsTransports {
                await graphTransport.shutdown()
                await webTransport.shutdown()
            }
            throw error
        }
        let deadline = request.deadline ?? ContinuousClock.now.advanced(by: request.runTimeout)
        // Time kept for closing connections and writing the report.
        let reserve = min(.milliseconds(300), request.runTimeout / 5)
        let runTimeout = max(.milliseconds(50), ContinuousClock.now.duration(to: deadline) - reserve)
        let runner = Runner(
            graph: graph,
            options: .init(
                maxConcurrency: request.maxConcurrency, checkTimeout: min(request.checkTimeout, runTimeout), runTimeout: runTimeout,
                selection: request.selection, notApplicable: notApplicable),
            clock: ContinuousClock(), observer: observer)
        let result = await runner.run()
        if ownsTransports {
            // A connection to a silent endpoint may still be open: closing it must not outlast the deadline.
            let closing = max(.milliseconds(50), ContinuousClock.now.duration(to: deadline) - reserve / 2)
            _ = await withTimeLimit(closing, clock: ContinuousClock()) {
                await graphTransport.shutdown()
                await webTransport.shutdown()
            }
        }
        let builder = ReportBuilder(
            tool: MetaDoctorVersion.tool, guideBaseURL: request.docsURL, inputChecks: MetaCatalog.inputChecks,
            strict: request.strict, couldNotVerifyStep: GuideSteps.couldNotVerify)
        var report = builder.report(
            for: result, graph: graph, startedAt: startedAt,
            platforms: states.map { PlatformStatus(name: $0.platform.rawValue, enabled: $0.enabled, reason: $0.reason) })
        report.notes = Self.notes(for: report, docsURL: request.docsURL)
        report.settings = RunSettings(
            graphURL: request.configuration.graphURL, graphVersion: request.configuration.graphVersion, strict: request.strict,
            only: request.selection.only, skip: request.selection.skip, platforms: request.platforms.map { $0.map(\.rawValue).sorted() })
        // Besides the configured secrets, any token a probe obtained: the app access token, whose
        // "APP-ID|" prefix is public (pieces of it would blank the app id everywhere).
        let obtained = result.results.compactMap { $0.facts[AppAccessTokenFact.self]?.exposedValue }.map { token in
            token.firstIndex(of: "|").map { String(token[token.index(after: $0)...]) } ?? token
        }
        let repairs = Dictionary(
            result.results.compactMap { result in result.facts[RepairFact.self].map { (result.id, $0) } }, uniquingKeysWith: { first, _ in first })
        let changes = Dictionary(
            result.results.compactMap { result in result.facts[ConfigChangeFact.self].map { (result.id, $0) } },
            uniquingKeysWith: { first, _ in first })
        return (Redactor(secrets: request.configuration.secretValues + obtained).redact(report), repairs, changes)
    }

    /// What one write of a plan came to.
    public struct WriteOutcome: Sendable {
        public let step: RepairPlan.Step
        /// Nil when Meta accepted the write.
        public let refusal: GraphError?
    }

    /// Executes the plan's writes in order through the same client as the reads (deadlines, bounded
    /// bodies), and stops at the first one Meta refuses. A write is never retried: a timeout may
    /// mean it happened.
    public static func apply(_ plan: RepairPlan, request: DoctorRunRequest) async throws -> [WriteOutcome] {
        var graphSettings = request.transport
        graphSettings.proxy = request.graphProxy
        let transport = try AHCTransport(settings: graphSettings)
        let client = GraphClient(
            transport: transport, baseURL: request.configuration.graphURL, version: request.configuration.graphVersion,
            appSecret: request.configuration.appSecret, requestTimeout: request.graphRequestTimeout,
            retry: RetryPolicy(maxAttempts: 1), userAgent: "meta-doctor/\(MetaDoctorVersion.current)")
        let credentials = GraphCredentials(request.configuration)
        var outcomes: [WriteOutcome] = []
        for step in plan.steps {
            do throws(GraphError) {
                _ = try await step.perform(with: client, credentials: credentials)
                outcomes.append(WriteOutcome(step: step, refusal: nil))
            } catch {
                outcomes.append(WriteOutcome(step: step, refusal: error))
                break
            }
        }
        await transport.shutdown()
        return outcomes
    }
}

extension DoctorRun {
    /// The checks whose pass means people can message the Page, if the app's mode allows it.
    static let pageMessagingChecks: Set<CheckID> = ["messenger.page-subscribed", "instagram.linked"]

    /// Remarks the verdicts cannot make. When Messenger or Instagram checks pass, development mode
    /// may still keep everyone without a role on the app from messaging the Page, and no Graph read
    /// shows the app's mode reliably, so the report says so instead of judging it.
    static func notes(for report: Report, docsURL: String) -> [ReportNote] {
        guard report.checks.contains(where: { pageMessagingChecks.contains($0.id) && $0.status == .pass }) else { return [] }
        let step = GuideSteps.developmentMode
        return [
            ReportNote(
                text: """
                    While the app is in development mode, only people with a role on the app (App roles > Roles) can \
                    message the Page, and Meta sends no webhook for anyone else; meta-doctor cannot read the app's mode \
                    reliably, so check it at the top of the app dashboard.
                    """,
                guideTitle: step.heading, guideURL: "\(docsURL)#\(step.anchor)")
        ]
    }
}

extension DoctorRunRequest {
    /// A request against a sandbox world: its configuration only (the user's .env and environment
    /// are ignored), its CA trusted and its webhook host reached through `--connect-to`.
    static func forSandbox(_ world: SandboxWorld, options: RunOptions, startedAt: ContinuousClock.Instant) -> DoctorRunRequest {
        var request = options.request(for: Self.sandboxConfiguration(world), startedAt: startedAt)
        request.pointAt(world)
        return request
    }

    /// The same with default options: what tests run.
    public static func forSandbox(_ world: SandboxWorld) -> DoctorRunRequest {
        var request = DoctorRunRequest(configuration: Self.sandboxConfiguration(world))
        request.pointAt(world)
        return request
    }

    private static func sandboxConfiguration(_ world: SandboxWorld) -> MetaConfiguration {
        ConfigurationLoader(envFile: nil, environment: world.environment()).load(readingDefaultFile: false)
    }

    /// Trusts the world's CA and reaches its webhook host and ngrok agent.
    public mutating func pointAt(_ world: SandboxWorld) {
        transport.caFile = world.caFile
        transport.connectTo += world.connectTo.compactMap(ConnectTo.init(argument:))
        ngrokAPI = world.ngrokAPI
    }
}
