import MetaConfig
import MetaGraph
import Synchronization

/// The run's Graph API reads, each made at most once however many probes ask for it: the first
/// caller (or the run's start, for the reads planned ahead) starts the request, later callers await
/// the same task. Keyed by the call value and a fingerprint of its token (never the token).
public final class GraphMemo: Sendable {
    /// graph.facebook.com, and graph.instagram.com for the Instagram API with Instagram Login.
    let clients: [GraphAPI: GraphClient]
    let credentials: GraphCredentials
    private let calls = Mutex<[Key: any Sendable]>([:])
    private let limiter: RequestLimiter
    /// The fleet run's reads that integrations share (nil for `check`).
    let shared: SharedGraphReads?

    /// At most this many Graph requests in flight at once.
    public static let maxInFlight = 16

    struct Key: Hashable {
        /// The request with its secrets as fingerprints (`GraphCredentials.identity(of:)`).
        let request: String
        let reply: ObjectIdentifier
    }

    init(
        clients: [GraphAPI: GraphClient], credentials: GraphCredentials, maxInFlight: Int = GraphMemo.maxInFlight,
        shared: SharedGraphReads? = nil
    ) {
        self.clients = clients
        self.credentials = credentials
        self.limiter = RequestLimiter(permits: maxInFlight)
        self.shared = shared
    }

    /// The outcome of `call`, made once per run. The first caller's deadline applies: a later caller
    /// that awaits the same call gets its outcome, or a timeout if its own check ends first.
    ///
    /// The version notices of the call's replies go to every caller's own reply log, so each check
    /// that uses a shared reply learns that Meta upgraded it.
    public func read<Call: GraphRead>(_ call: Call, by deadline: ContinuousClock.Instant) async throws(GraphError) -> Call.Reply {
        let task = task(for: call, by: deadline)
        let outcome = await task.value
        for notice in outcome.notices { GraphReplyLog.current?.record(notice) }
        if let key = sharedKey(for: call) {
            if case .failure(let error) = outcome.result, error.kind.isCouldNotVerify {
                // A network failure or a throttle is no answer: the next integration asks again.
                shared?.forget(key)
            } else {
                shared?.settle(key, task: task, outcome: outcome)
            }
        }
        return try outcome.result.get()
    }

    /// Starts `reads` now, bounded by the in-flight limit, for checks that will ask for them later.
    public func start(_ reads: [any GraphRead], by deadline: ContinuousClock.Instant) {
        func start<Call: GraphRead>(_ call: Call) { _ = task(for: call, by: deadline) }
        for read in reads { start(read) }
    }

    typealias Outcome<Reply: Sendable> = (result: Result<Reply, GraphError>, notices: [GraphVersionNotice])

    /// The fleet-wide key of a read every integration of one app makes alike: app-level reads whose
    /// only secret is the app's (the token exchange, `/{app-id}/subscriptions`), keyed by the API's
    /// URL, the version, the request with the secret's fingerprint and the reply type. Reads with an
    /// integration's own token are never shared, so the fleet's cache stays as small as its apps.
    func sharedKey<Call: GraphRead>(for call: Call) -> String? {
        guard shared != nil else { return nil }
        let request = call.request
        switch request.authorization {
        case .none, .appToken: break
        case .token: return nil
        }
        for value in request.parameters.values {
            if case .secret(let secret) = value, secret != .appSecret { return nil }
        }
        let client = clients[request.api] ?? clients[.facebook]!
        return [client.baseURL, client.version, credentials.identity(of: request), String(reflecting: Call.Reply.self)]
            .joined(separator: " ")
    }

    private func task<Call: GraphRead>(for call: Call, by deadline: ContinuousClock.Instant) -> Task<Outcome<Call.Reply>, Never> {
        let key = Key(request: credentials.identity(of: call.request), reply: ObjectIdentifier(Call.Reply.self))
        let client = (clients[call.request.api] ?? clients[.facebook]!).until(deadline)
        let credentials = credentials
        let limiter = limiter
        let sharedKey = sharedKey(for: call)
        let shared = shared
        return calls.withLock { calls in
            if let existing = calls[key] as? Task<Outcome<Call.Reply>, Never> { return existing }
            if let sharedKey, let shared {
                let task = shared.task(for: sharedKey) { Self.perform(call, client: client, credentials: credentials, limiter: limiter) }
                calls[key] = task
                return task
            }
            let created = Self.perform(call, client: client, credentials: credentials, limiter: limiter)
            calls[key] = created
            return created
        }
    }

    private static func perform<Call: GraphRead>(
        _ call: Call, client: GraphClient, credentials: GraphCredentials, limiter: RequestLimiter
    ) -> Task<Outcome<Call.Reply>, Never> {
            Task<Outcome<Call.Reply>, Never> {
                let log = GraphReplyLog()
                let result = await limiter.withPermit {
                    await GraphReplyLog.$current.withValue(log) { () async -> Result<Call.Reply, GraphError> in
                        do throws(GraphError) { return .success(try await call.perform(with: client, credentials: credentials)) } catch {
                            return .failure(error)
                        }
                    }
                }
                return (result, log.all)
            }
    }
}

/// The reads a fleet run's integrations share (`GraphMemo.sharedKey`): each made once per run
/// however many integrations of the app ask, while it answers; a read that could not verify is
/// forgotten, so a later integration asks again.
public final class SharedGraphReads: Sendable {
    /// A read's task while it runs; its outcome (a `Finished`) once a caller has it.
    private let tasks = Mutex<[String: any Sendable]>([:])

    /// A finished read's outcome, kept instead of its task: a finished task that is still referenced
    /// keeps the memory its frames took (about 6 KiB for a Graph call), and the fleet keeps these reads
    /// for the whole run, one set per app secret seen (a wrong secret is one more).
    private struct Finished<Reply: Sendable>: Sendable {
        let outcome: GraphMemo.Outcome<Reply>
    }

    public init() {}

    func task<Reply: Sendable>(
        for key: String, make: () -> Task<GraphMemo.Outcome<Reply>, Never>
    ) -> Task<GraphMemo.Outcome<Reply>, Never> {
        tasks.withLock { tasks in
            if let existing = tasks[key] as? Task<GraphMemo.Outcome<Reply>, Never> { return existing }
            if let finished = tasks[key] as? Finished<Reply> { return Task { finished.outcome } }
            let created = make()
            tasks[key] = created
            return created
        }
    }

    /// Keeps `outcome` in place of `task` once the read finished (unless the key was forgotten or
    /// started again since).
    func settle<Reply: Sendable>(_ key: String, task: Task<GraphMemo.Outcome<Reply>, Never>, outcome: GraphMemo.Outcome<Reply>) {
        tasks.withLock { tasks in
            guard let current = tasks[key] as? Task<GraphMemo.Outcome<Reply>, Never>, current == task else { return }
            tasks[key] = Finished(outcome: outcome)
        }
    }

    func forget(_ key: String) { _ = tasks.withLock { $0.removeValue(forKey: key) } }

    /// How many distinct shared reads the run made.
    public var count: Int { tasks.withLock { $0.count } }
}

/// A counting semaphore for the run's Graph requests: at most `permits` at once, the rest in order.
actor RequestLimiter {
    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(permits: Int) { available = max(1, permits) }

    func withPermit<Value: Sendable>(_ work: @Sendable () async -> Value) async -> Value {
        if available > 0 {
            available -= 1
        } else {
            await withCheckedContinuation { waiting.append($0) }
        }
        let value = await work()
        if waiting.isEmpty { available += 1 } else { waiting.removeFirst().resume() }
        return value
    }
}
