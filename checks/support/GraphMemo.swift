import MetaConfig
import MetaGraph
import Synchronization

/// The run's Graph API reads, each made at most once however many probes ask for it: the first
/// caller starts the request, later callers await the same task. Keyed by the call and a
/// fingerprint of the token (never the token itself).
public final class GraphMemo: Sendable {
    public let client: GraphClient
    private let calls = Mutex<[String: any Sendable]>([:])

    init(client: GraphClient) { self.client = client }

    /// Runs `operation` once per `key`. The first caller's deadline applies: a later caller that
    /// awaits the same call gets its outcome, or a timeout if its own check ends first.
    ///
    /// The version notices of the call's replies go to every caller's own reply log, so each check
    /// that uses a shared reply learns that Meta upgraded it.
    func once<Value: Sendable>(
        _ key: String, _ operation: @escaping @Sendable () async throws(GraphError) -> Value
    ) async throws(GraphError) -> Value {
        typealias Outcome = (result: Result<Value, GraphError>, notices: [GraphVersionNotice])
        let task: Task<Outcome, Never> = calls.withLock { calls in
            if let existing = calls[key] as? Task<Outcome, Never> { return existing }
            let created = Task<Outcome, Never> {
                let log = GraphReplyLog()
                let result = await GraphReplyLog.$current.withValue(log) { () async -> Result<Value, GraphError> in
                    do throws(GraphError) { return .success(try await operation()) } catch { return .failure(error) }
                }
                return (result, log.all)
            }
            calls[key] = created
            return created
        }
        let outcome = await task.value
        for notice in outcome.notices { GraphReplyLog.current?.record(notice) }
        return try outcome.result.get()
    }

    public func appAccessToken(appID: String, appSecret: Secret, by deadline: ContinuousClock.Instant) async throws(GraphError) -> Secret {
        let client = client.until(deadline)
        return try await once("app-token:\(appID):\(appSecret.fingerprint)") { () async throws(GraphError) in
            try await client.appAccessToken(appID: appID, appSecret: appSecret)
        }
    }

    public func debugToken(_ token: Secret, appToken: Secret, by deadline: ContinuousClock.Instant) async throws(GraphError) -> DebugTokenInfo {
        let client = client.until(deadline)
        return try await once("debug:\(token.fingerprint)") { () async throws(GraphError) in
            try await client.debugToken(token, appToken: appToken)
        }
    }

    public func me(token: Secret, by deadline: ContinuousClock.Instant) async throws(GraphError) -> NamedNode {
        let client = client.until(deadline)
        return try await once("me:\(token.fingerprint)") { () async throws(GraphError) in try await client.me(token: token) }
    }

    public func app(_ appID: String, appToken: Secret, by deadline: ContinuousClock.Instant) async throws(GraphError) -> NamedNode {
        let client = client.until(deadline)
        return try await once("app:\(appID)") { () async throws(GraphError) in try await client.app(appID, appToken: appToken) }
    }

    public func appSubscriptions(_ appID: String, appToken: Secret, by deadline: ContinuousClock.Instant) async throws(GraphError) -> [AppSubscription] {
        let client = client.until(deadline)
        return try await once("subscriptions:\(appID)") { () async throws(GraphError) in
            try await client.appSubscriptions(appID, appToken: appToken)
        }
    }

    public func page(_ pageID: String, token: Secret, by deadline: ContinuousClock.Instant) async throws(GraphError) -> PageNode {
        let client = client.until(deadline)
        return try await once("page:\(pageID):\(token.fingerprint)") { () async throws(GraphError) in
            try await client.page(pageID, token: token)
        }
    }

    public func pageSubscribedApps(_ pageID: String, token: Secret, by deadline: ContinuousClock.Instant) async throws(GraphError) -> [PageSubscribedApp] {
        let client = client.until(deadline)
        return try await once("page-apps:\(pageID):\(token.fingerprint)") { () async throws(GraphError) in
            try await client.pageSubscribedApps(pageID, token: token)
        }
    }

    public func waba(_ wabaID: String, token: Secret, by deadline: ContinuousClock.Instant) async throws(GraphError) -> WABANode {
        let client = client.until(deadline)
        return try await once("waba:\(wabaID):\(token.fingerprint)") { () async throws(GraphError) in
            try await client.waba(wabaID, token: token)
        }
    }

    public func wabaPhoneNumbers(_ wabaID: String, token: Secret, by deadline: ContinuousClock.Instant) async throws(GraphError) -> [PhoneNumberNode] {
        let client = client.until(deadline)
        return try await once("waba-numbers:\(wabaID):\(token.fingerprint)") { () async throws(GraphError) in
            try await client.wabaPhoneNumbers(wabaID, token: token)
        }
    }

    public func phoneNumber(_ phoneNumberID: String, token: Secret, by deadline: ContinuousClock.Instant) async throws(GraphError) -> PhoneNumberNode {
        let client = client.until(deadline)
        return try await once("phone:\(phoneNumberID):\(token.fingerprint)") { () async throws(GraphError) in
            try await client.phoneNumber(phoneNumberID, token: token)
        }
    }

    public func wabaSubscribedApps(_ wabaID: String, token: Secret, by deadline: ContinuousClock.Instant) async throws(GraphError) -> [WABASubscribedApp] {
        let client = client.until(deadline)
        return try await once("waba-apps:\(wabaID):\(token.fingerprint)") { () async throws(GraphError) in
            try await client.wabaSubscribedApps(wabaID, token: token)
        }
    }

    public func instagramLoginMe(token: Secret, by deadline: ContinuousClock.Instant) async throws(GraphError) -> InstagramLoginUser {
        let client = client.until(deadline)
        return try await once("ig-login-me:\(token.fingerprint)") { () async throws(GraphError) in
            try await client.instagramLoginMe(token: token)
        }
    }

    public func instagramUser(_ igUserID: String, token: Secret, by deadline: ContinuousClock.Instant) async throws(GraphError) -> InstagramUser {
        let client = client.until(deadline)
        return try await once("ig:\(igUserID):\(token.fingerprint)") { () async throws(GraphError) in
            try await client.instagramUser(igUserID, token: token)
        }
    }
}
