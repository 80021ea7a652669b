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

    /// At most this many Graph requests in flight at once.
    public static let maxInFlight = 16

    struct Key: Hashable {
        /// The request with its secrets as fingerprints (`GraphCredentials.identity(of:)`).
        let request: String
        let reply: ObjectIdentifier
    }

    init(clients: [GraphAPI: GraphClient], credentials: GraphCredentials, maxInFlight: Int = GraphMemo.maxInFlight) {
        self.clients = clients
        self.credentials = credentials
        self.limiter = RequestLimiter(permits: maxInFlight)
    }

    /// The outcome of `call`, made once per run. The first caller's deadline applies: a later caller
    /// that awaits the same call gets its outcome, or a timeout if its own check ends first.
    ///
    /// The version notices of the call's replies go to every caller's own reply log, so each check
    /// that uses a shared reply learns that Meta upgraded it.
    public func read<Call: GraphRead>(_ call: Call, by deadline: ContinuousClock.Instant) async throws(GraphError) -> Call.Reply {
        let outcome = await task(for: call, by: deadline).value
        for notice in outcome.notices { GraphReplyLog.current?.record(notice) }
        return try outcome.result.get()
    }

    /// Starts `reads` now, bounded by the in-flight limit, for checks that will ask for them later.
    public func start(_ reads: [any GraphRead], by deadline: ContinuousClock.Instant) {
        func start<Call: GraphRead>(_ call: Call) { _ = task(for: call, by: deadline) }
        for read in reads { start(read) }
    }

    private typealias Outcome<Reply: Sendable> = (result: Result<Reply, GraphError>, notices: [GraphVersionNotice])

    private func task<Call: GraphRead>(for call: Call, by deadline: ContinuousClock.Instant) -> Task<Outcome<Call.Reply>, Never> {
        let key = Key(request: credentials.identity(of: call.request), reply: ObjectIdentifier(Call.Reply.self))
        let client = (clients[call.request.api] ?? clients[.facebook]!).until(deadline)
        let credentials = credentials
        let limiter = limiter
        return calls.withLock { calls in
            if let existing = calls[key] as? Task<Outcome<Call.Reply>, Never> { return existing }
            let created = Task<Outcome<Call.Reply>, Never> {
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
            calls[key] = created
            return created
        }
    }
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
