import Crypto
import DoctorKit
import Foundation
import MetaConfig

/// The token a Graph call carries.
public enum GraphToken: Sendable {
    /// An app access token: no appsecret_proof.
    case app(Secret)
    /// A user, Page or system-user token: appsecret_proof is added when the app secret is known.
    case user(Secret)
}

/// Retries for transient and rate-limit errors.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    /// The wait before the 2nd, 3rd … attempt, before jitter.
    public var backoff: [Duration]
    /// ± this fraction of each wait.
    public var jitter: Double

    public init(maxAttempts: Int = 3, backoff: [Duration] = [.milliseconds(200), .milliseconds(600)], jitter: Double = 0.2) {
        self.maxAttempts = max(1, maxAttempts)
        self.backoff = backoff.isEmpty ? [.zero] : backoff
        self.jitter = min(max(jitter, 0), 0.9)
    }
}

/// The Graph API client: read-only calls, tokens in the Authorization header, secrets never in a
/// URL, appsecret_proof with user/Page/system-user tokens, typed errors, bounded retries inside
/// the caller's deadline.
public struct GraphClient: Sendable {
    public let transport: any HTTPTransport
    public let baseURL: String
    public let version: String
    public let appSecret: Secret?
    public var requestTimeout: Duration
    public var maxBodyBytes: Int
    public var retry: RetryPolicy
    public var userAgent: String
    /// Sleeps between retries; injectable so tests need not wait.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// The instant by which every call (with its retries) must end.
    public var deadline: ContinuousClock.Instant?
    /// Paces requests by Meta's usage headers across a fleet run (nil: `check` does not pace).
    public var pacer: UsagePacer?

    public init(
        transport: any HTTPTransport, baseURL: String, version: String, appSecret: Secret?,
        requestTimeout: Duration = .seconds(10), maxBodyBytes: Int = 1 << 20, retry: RetryPolicy = RetryPolicy(),
        userAgent: String = "meta-doctor",
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.transport = transport
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.version = version
        self.appSecret = appSecret
        self.requestTimeout = requestTimeout
        self.maxBodyBytes = maxBodyBytes
        self.retry = retry
        self.userAgent = userAgent
        self.sleep = sleep
    }

    /// A copy whose calls, retries included, end by `deadline` (a check's, less a margin for the
    /// report to be written).
    public func until(_ deadline: ContinuousClock.Instant) -> GraphClient {
        var copy = self
        copy.deadline = deadline.advanced(by: .milliseconds(-100))
        return copy
    }

    /// appsecret_proof: lowercase hex HMAC-SHA256 of the token keyed by the app secret.
    public static func appSecretProof(token: Secret, appSecret: Secret) -> String {
        let key = SymmetricKey(data: Data(appSecret.exposedValue.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(token.exposedValue.utf8), using: key)
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Calls as values

    /// Sends a call value: its secrets resolved from `credentials`, its parameters in the query of a
    /// GET or the form body of a POST.
    func send<Reply: Decodable>(_ spec: GraphRequestSpec, credentials: GraphCredentials) async throws(GraphError) -> Reply {
        let endpoint = "/\(version)\(spec.path)"
        func missing(_ what: String) -> GraphError {
            GraphError(kind: .other, message: "The configuration has no \(what) for this call.", endpoint: endpoint, attempts: 0)
        }
        let token: GraphToken?
        switch spec.authorization {
        case .none: token = nil
        case .appToken:
            guard let appID = credentials.appID, let secret = credentials[.appSecret] else { throw missing("app id and secret") }
            token = .app(Secret("\(appID)|\(secret.exposedValue)"))
        case .token(let name):
            guard let secret = credentials[name] else { throw missing(name.label) }
            token = .user(secret)
        }
        var pairs: [(String, String)] = spec.fields.isEmpty ? [] : [("fields", spec.fields.joined(separator: ","))]
        for name in spec.parameters.keys.sorted() {
            switch spec.parameters[name]! {
            case .text(let value): pairs.append((name, value))
            case .secret(let secret):
                guard let value = credentials[secret] else { throw missing(secret.label) }
                pairs.append((name, value.exposedValue))
            }
        }
        return spec.method == .get
            ? try await call("GET", spec.path, query: pairs, token: token, appID: credentials.appID)
            : try await call(spec.method.rawValue, spec.path, token: token, form: pairs, appID: credentials.appID)
    }

    // MARK: Transport

    /// Sends one call with retries and decodes its reply.
    func call<Reply: Decodable>(
        _ method: String, _ path: String, query: [(String, String)] = [], token: GraphToken?, form: [(String, String)]? = nil,
        appID: String? = nil
    ) async throws(GraphError) -> Reply {
        let endpoint = "/\(version)\(path)"
        guard Self.isSafePath(path) else {
            throw GraphError(
                kind: .invalidParameter, message: "An id in the request path is not numeric; the request was not sent.",
                endpoint: "/\(version)/…", attempts: 0)
        }
        var query = query
        var form = form
        var headers: [(name: String, value: String)] = [("User-Agent", userAgent), ("Accept", "application/json")]
        switch token {
        case .app(let secret):
            headers.append(("Authorization", "Bearer \(secret.exposedValue)"))
        case .user(let secret):
            headers.append(("Authorization", "Bearer \(secret.exposedValue)"))
            if let appSecret {
                let proof = ("appsecret_proof", Self.appSecretProof(token: secret, appSecret: appSecret))
                if form != nil { form?.append(proof) } else { query.append(proof) }
            }
        case nil:
            break
        }
        var url = baseURL + endpoint
        if !query.isEmpty { url += "?" + Self.formEncode(query) }
        var body: [UInt8]?
        if let form {
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            body = Array(Self.formEncode(form).utf8)
        }

        let object = path.split(separator: "/").first.map(String.init).flatMap { $0.allSatisfy(\.isNumber) ? $0 : nil }
        var attempt = 0
        while true {
            attempt += 1
            let subjects = pacer?.subjects(appID: appID, object: object) ?? []
            if let pacer { try await pacer.admit(subjects, endpoint: endpoint, by: deadline) }
            let remaining = deadline.map { ContinuousClock.now.duration(to: $0) } ?? requestTimeout
            guard remaining > .zero else {
                throw GraphError(kind: .network, message: "No time left within the check's deadline.", endpoint: endpoint, attempts: attempt - 1)
            }
            let request = HTTPRequest(
                method: method, url: url, headers: headers, body: body, timeout: min(requestTimeout, remaining),
                maxBodyBytes: maxBodyBytes)
            var failure: GraphError
            do {
                let response = try await transport.send(request)
                GraphReplyLog.current?.record(.from(response, endpoint: endpoint, requested: version))
                let interpreted = Self.interpret(response, endpoint: endpoint, as: Reply.self)
                if let pacer {
                    let readings = UsageReading.readings(
                        appUsage: response.header("X-App-Usage"), businessUseCaseUsage: response.header("X-Business-Use-Case-Usage"),
                        pageUsage: response.header("X-Page-Usage"), appID: appID, object: object)
                    var throttled = false
                    if case .failure(let error) = interpreted, error.kind == .rateLimited { throttled = true }
                    pacer.observe(readings, requestSubjects: subjects, object: object, throttled: throttled)
                }
                switch interpreted {
                case .success(let reply): return reply
                case .failure(let error): failure = error
                }
            } catch {
                failure = GraphError(kind: .network, message: "No usable answer from the Graph API: \(error)", endpoint: endpoint)
                if case .timedOut = error { failure.attempts = attempt; throw failure }
                if case .invalidURL = error { throw failure }
            }
            failure.attempts = attempt
            guard failure.kind.isRetryable || failure.kind == .network, attempt < retry.maxAttempts else { throw failure }
            var wait = retry.backoff[min(attempt - 1, retry.backoff.count - 1)] * Double.random(in: (1 - retry.jitter)...(1 + retry.jitter))
            if let minutes = failure.minutesToRegainAccess, minutes > 0 { wait = .seconds(minutes * 60) }
            if let seconds = failure.retryAfterSeconds, seconds > 0 { wait = max(wait, .seconds(seconds)) }
            if let deadline, ContinuousClock.now.advanced(by: wait) >= deadline {
                failure.message += " Retrying would mean waiting \(wait.secondsText), past the check's deadline."
                throw failure
            }
            do { try await sleep(wait) } catch { throw failure }
        }
    }

    static func interpret<Reply: Decodable>(_ response: HTTPResponse, endpoint: String, as: Reply.Type) -> Result<Reply, GraphError> {
        let usage = usageHeaders(response)
        let decoder = JSONDecoder()
        if (200..<300).contains(response.status) {
            do {
                return .success(try decoder.decode(Reply.self, from: Data(response.body)))
            } catch {
                return .failure(
                    GraphError(
                        kind: .unexpectedReply, message: "The Graph API answered \(describe(response)), not the documented reply.",
                        httpStatus: response.status, endpoint: endpoint, usage: usage))
            }
        }
        guard let envelope = try? decoder.decode(ErrorEnvelope.self, from: Data(response.body)) else {
            let kind: GraphErrorKind = response.status >= 500 || response.status == 429 ? .transient : .unexpectedReply
            return .failure(
                GraphError(
                    kind: kind, message: "The Graph API answered HTTP \(response.status) with \(describe(response)).",
                    httpStatus: response.status, endpoint: endpoint, usage: usage))
        }
        let body = envelope.error
        return .failure(
            GraphError(
                kind: GraphError.classify(endpoint: endpoint, body: body, httpStatus: response.status),
                message: body.message ?? "Graph error without a message", body: body, httpStatus: response.status,
                endpoint: endpoint, minutesToRegainAccess: minutesToRegainAccess(response), usage: usage,
                retryAfterSeconds: GraphNumbers.retryAfterSeconds(response.header("Retry-After"))))
    }

    /// "an HTML page", "invalid JSON", "an empty body".
    static func describe(_ response: HTTPResponse) -> String {
        let text = response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return "an empty body" }
        let lower = text.prefix(64).lowercased()
        if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") { return "an HTML page" }
        if (try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])) == nil {
            return "a body that is not JSON"
        }
        return "JSON of another shape"
    }

    private struct ErrorEnvelope: Decodable { let error: GraphErrorBody }

    static let usageHeaderNames = ["X-App-Usage", "X-Business-Use-Case-Usage", "X-Page-Usage"]

    static func usageHeaders(_ response: HTTPResponse) -> [String: String] {
        var usage: [String: String] = [:]
        for name in usageHeaderNames {
            if let value = response.header(name) { usage[name] = String(value.prefix(512)) }
        }
        return usage
    }

    /// The largest `estimated_time_to_regain_access` (minutes) in X-Business-Use-Case-Usage, clamped.
    static func minutesToRegainAccess(_ response: HTTPResponse) -> Int? {
        GraphNumbers.minutesToRegainAccess(businessUseCaseUsage: response.header("X-Business-Use-Case-Usage"))
    }

    /// The edges a path may name; every other segment must be a numeric id, so a token pasted in
    /// an id's place never travels in a URL.
    static let pathWords: Set<String> = [
        "oauth", "access_token", "debug_token", "me", "subscriptions", "subscribed_apps", "phone_numbers", "accounts",
        "owned_whatsapp_business_accounts",
    ]

    static func isSafePath(_ path: String) -> Bool {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().allSatisfy { segment in
            pathWords.contains(String(segment)) || (!segment.isEmpty && segment.allSatisfy { $0.isASCII && $0.isNumber })
        }
    }

    static func formEncode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { name, value in
            let encodedName = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
            let encodedValue = value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
            return "\(encodedName)=\(encodedValue)"
        }.joined(separator: "&")
    }
}
