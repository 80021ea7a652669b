import Hummingbird
import MetaConfig

/// `GraphSandbox.start(_:)` was given a name no scenario has.
public struct UnknownScenarioError: Error, CustomStringConvertible {
    public let name: String

    public var description: String {
        "Unknown sandbox scenario '\(name)'. Known: \(SandboxScenarios.all.map(\.name).joined(separator: ", "))."
    }
}

/// The Graph API emulator on loopback: one scenario's world, served by Hummingbird until `stop()`.
/// Any number can run at once in one process (tests run in parallel), each on its own port.
public final class GraphSandbox: Sendable {
    /// "http://127.0.0.1:PORT": graph.facebook.com.
    public let baseURL: String
    /// The same for graph.instagram.com, the Instagram API with Instagram Login (INSTAGRAM_GRAPH_URL).
    public let instagramBaseURL: String
    private let store: SandboxStore
    private let server: LoopbackServer
    private let instagramServer: LoopbackServer

    private init(store: SandboxStore, server: LoopbackServer, instagramServer: LoopbackServer, host: String) {
        self.baseURL = "http://\(host):\(server.port)"
        self.instagramBaseURL = "http://\(host):\(instagramServer.port)"
        self.store = store
        self.server = server
        self.instagramServer = instagramServer
    }

    public var port: Int { server.port }

    /// The world after the scenario was applied.
    public var model: IntegrationModel { store.model }

    /// Starts the scenario's sandbox and returns once it is listening.
    public static func start(scenario: SandboxScenario, host: String = "127.0.0.1", port: Int = 0) async throws -> GraphSandbox {
        try await start(scenario: scenario, faults: [], host: host, port: port)
    }

    /// Starts a scenario with `faults` added to its own.
    /// `callbacks` answers for the callback URLs Meta verifies during subscription writes (MB-G28).
    public static func start(
        scenario: SandboxScenario, faults: [SandboxFault], host: String = "127.0.0.1", port: Int = 0,
        callbacks: any CallbackVerifier = UnreachableCallbacks()
    ) async throws -> GraphSandbox {
        try await start(model: scenario.model(), faults: scenario.faults + faults, host: host, port: port, callbacks: callbacks)
    }

    /// Starts a world given as a model (a generated fleet's), with its rate limits.
    public static func start(
        model: IntegrationModel, faults: [SandboxFault] = [], throttle: SandboxThrottle? = nil, host: String = "127.0.0.1", port: Int = 0,
        callbacks: any CallbackVerifier = UnreachableCallbacks()
    ) async throws -> GraphSandbox {
        let store = SandboxStore(model: model, faults: faults, verifier: callbacks, throttle: throttle)
        let server = try await LoopbackServer.start(router: GraphAPI.router(store: store, host: .facebook), host: host, port: port)
        let instagramServer: LoopbackServer
        do {
            instagramServer = try await LoopbackServer.start(
                router: GraphAPI.router(store: store, host: .instagram), host: host, port: 0)
        } catch {
            await server.stop()
            throw error
        }
        return GraphSandbox(store: store, server: server, instagramServer: instagramServer, host: host)
    }

    /// A scenario's Graph API (graph.facebook.com, or graph.instagram.com for `.instagram`) as a
    /// Hummingbird application that is not started: the routes and middleware `start` serves, for
    /// tests through HummingbirdTesting's router framework, without a socket.
    public static func application(
        scenario: SandboxScenario, faults: [SandboxFault] = [], host: GraphHost = .facebook
    ) -> some ApplicationProtocol {
        let store = SandboxStore(model: scenario.model(), faults: scenario.faults + faults)
        return Application(router: GraphAPI.router(store: store, host: host), logger: quietLogger)
    }

    /// Starts the scenario of that name.
    public static func start(_ name: String) async throws -> GraphSandbox {
        guard let scenario = SandboxScenarios.named(name) else { throw UnknownScenarioError(name: name) }
        return try await start(scenario: scenario)
    }

    /// Every request received so far, in order.
    public func requests() async -> [RecordedRequest] { store.requests }

    /// The scenario's .env, pointed at this sandbox (META_GRAPH_URL, INSTAGRAM_GRAPH_URL).
    public func environment() -> [String: String] {
        store.model.configured.merging(
            [ConfigKey.graphURL.name: baseURL, ConfigKey.instagramGraphURL.name: instagramBaseURL]) { _, sandbox in sandbox }
    }

    /// Stops the servers (requests still waiting on a fault end with them) and waits until they closed.
    public func stop() async {
        await server.stop()
        await instagramServer.stop()
    }
}
