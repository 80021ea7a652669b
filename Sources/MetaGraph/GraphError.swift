import DoctorKit
import Foundation

/// Meta's error envelope, `{"error":{...}}`.
public struct GraphErrorBody: Sendable, Equatable, Decodable {
    public let message: String?
    public let type: String?
    public let code: Int?
    public let errorSubcode: Int?
    public let errorUserTitle: String?
    public let errorUserMsg: String?
    public let fbtraceID: String?

    enum CodingKeys: String, CodingKey {
        case message, type, code
        case errorSubcode = "error_subcode"
        case errorUserTitle = "error_user_title"
        case errorUserMsg = "error_user_msg"
        case fbtraceID = "fbtrace_id"
    }

    public init(
        message: String?, type: String?, code: Int?, errorSubcode: Int? = nil, errorUserTitle: String? = nil,
        errorUserMsg: String? = nil, fbtraceID: String? = nil
    ) {
        self.message = message
        self.type = type
        self.code = code
        self.errorSubcode = errorSubcode
        self.errorUserTitle = errorUserTitle
        self.errorUserMsg = errorUserMsg
        self.fbtraceID = fbtraceID
    }
}

/// What went wrong, classified by endpoint and code (not by HTTP status), so probes can tell
/// "misconfigured" (fail) from "could not verify" (error).
public enum GraphErrorKind: String, Sendable, Equatable, CaseIterable {
    /// 190 or 102: the token is invalid (revoked, garbled, wrong host) or its session is (102,
    /// "API Session", MB-G9).
    case invalidToken = "invalid-token"
    /// 100 at /debug_token, "The App_id in the input_token did not match the Viewing App": the
    /// inspected token was issued for another app (MB-G2). A definitive finding, not a transient one.
    case tokenOfAnotherApp = "token-of-another-app"
    /// 190 with subcode 463: the token has expired.
    case expiredToken = "expired-token"
    /// 3, 10, 200-299: a permission or capability is missing.
    case permissionMissing = "permission-missing"
    /// 100: an invalid parameter, an unknown object (subcode 33) or an appsecret_proof problem.
    case invalidParameter = "invalid-parameter"
    /// 2500 "Unknown path components": Meta has no such path, as for a version it does not serve
    /// (MB-G7).
    case unknownPath = "unknown-path"
    /// 101: the app id is unknown.
    case unknownApp = "unknown-app"
    /// Code 1 at /oauth/access_token: the client secret is wrong.
    case badClientSecret = "bad-client-secret"
    /// 4, 17, 32, 341, 613, 80001-80014, 130429: throttled.
    case rateLimited = "rate-limited"
    /// 1, 2, HTTP 5xx: Meta's temporary failure.
    case transient
    /// Not JSON, HTML, or not the documented shape.
    case unexpectedReply = "unexpected-reply"
    /// No reply: name resolution, connection, TLS, deadline.
    case network
    /// A Graph error this client does not classify.
    case other

    /// Whether the error says nothing about the configuration: the check could not verify.
    public var isCouldNotVerify: Bool {
        switch self {
        case .rateLimited, .transient, .unexpectedReply, .network, .other: true
        default: false
        }
    }

    var isRetryable: Bool { self == .transient || self == .rateLimited }
}

/// The only error the Graph client throws.
public struct GraphError: Error, Sendable, Equatable, CustomStringConvertible {
    public var kind: GraphErrorKind
    /// Meta's message or ours; never holds a secret.
    public var message: String
    public var body: GraphErrorBody?
    public var httpStatus: Int?
    /// The endpoint, without query ("/v25.0/debug_token").
    public var endpoint: String
    public var attempts: Int
    /// Minutes Meta says until access returns (X-Business-Use-Case-Usage).
    public var minutesToRegainAccess: Int?
    /// The usage headers, as text cut at 512 bytes (never converted; redacted like every output).
    public var usage: [String: String]
    /// `Retry-After` in seconds, clamped (GraphNumbers).
    public var retryAfterSeconds: Int?

    public init(
        kind: GraphErrorKind, message: String, body: GraphErrorBody? = nil, httpStatus: Int? = nil, endpoint: String,
        attempts: Int = 1, minutesToRegainAccess: Int? = nil, usage: [String: String] = [:], retryAfterSeconds: Int? = nil
    ) {
        self.retryAfterSeconds = retryAfterSeconds
        self.kind = kind
        self.message = message
        self.body = body
        self.httpStatus = httpStatus
        self.endpoint = endpoint
        self.attempts = attempts
        self.minutesToRegainAccess = minutesToRegainAccess
        self.usage = usage
    }

    public var code: Int? { body?.code }

    /// The node type Meta names when a read asks for a field the object does not have:
    /// "(#100) Tried accessing nonexisting field (display_phone_number) on node type
    /// (WhatsAppBusinessAccount)" says the id is a WABA's (MB-G30). Nil for any other error.
    public var nodeTypeOfNonexistingField: String? {
        guard code == 100, let message = body?.message, message.contains("Tried accessing nonexisting field"),
            let marker = message.range(of: "on node type (")
        else { return nil }
        let rest = message[marker.upperBound...]
        guard let close = rest.firstIndex(of: ")") else { return nil }
        let type = String(rest[..<close])
        return type.isEmpty || !type.allSatisfy({ $0.isLetter || $0.isNumber }) ? nil : type
    }
    public var subcode: Int? { body?.errorSubcode }
    public var fbtraceID: String? { body?.fbtraceID }

    public var description: String {
        var text = message
        if let code { text += " (code \(code)\(subcode.map { ", subcode \($0)" } ?? ""))" }
        return text
    }

    /// Evidence for a report: code, subcode, type, fbtrace_id (support asks for it), usage.
    public var evidence: Evidence {
        var evidence: Evidence = ["graphError": .string(kind.rawValue), "endpoint": .string(endpoint)]
        if let code { evidence["code"] = .int(code) }
        if let subcode { evidence["subcode"] = .int(subcode) }
        if let type = body?.type { evidence["type"] = .string(type) }
        if let fbtraceID { evidence["fbtraceId"] = .string(fbtraceID) }
        if let httpStatus { evidence["httpStatus"] = .int(httpStatus) }
        if let title = body?.errorUserTitle { evidence["userTitle"] = .string(title) }
        if attempts > 1 { evidence["attempts"] = .int(attempts) }
        if let minutesToRegainAccess { evidence["minutesToRegainAccess"] = .int(minutesToRegainAccess) }
        for (name, value) in usage { evidence[name] = .string(value) }
        return evidence
    }

    /// Classifies Meta's error envelope.
    public static func classify(endpoint: String, body: GraphErrorBody, httpStatus: Int) -> GraphErrorKind {
        guard let code = body.code else { return httpStatus >= 500 || httpStatus == 429 ? .transient : .unexpectedReply }
        // Code 1 is also Meta's "API Unknown" (retry); at this endpoint with this message it is the
        // documented wrong client secret ("Error validating client secret.").
        if endpoint.hasSuffix("/oauth/access_token"), code == 1, body.type == "OAuthException",
            body.message?.localizedCaseInsensitiveContains("client secret") ?? false
        {
            return .badClientSecret
        }
        if endpoint.hasSuffix("/debug_token"), code == 100,
            body.message?.localizedCaseInsensitiveContains("did not match the Viewing App") ?? false
        {
            return .tokenOfAnotherApp
        }
        switch code {
        case 190: return body.errorSubcode == 463 ? .expiredToken : .invalidToken
        case 102: return .invalidToken
        case 2500 where body.message?.hasPrefix("Unknown path components") ?? false: return .unknownPath
        case 3, 10, 200...299: return .permissionMissing
        case 100: return .invalidParameter
        case 101: return .unknownApp
        case 4, 17, 32, 341, 613, 80000...80014, 130429, 131048, 131056: return .rateLimited
        case 1, 2: return .transient
        default: return httpStatus >= 500 ? .transient : .other
        }
    }

    /// What a 190 subcode means (Meta's error-handling guide).
    public static func tokenSubcodeMeaning(_ subcode: Int?) -> String? {
        switch subcode {
        case 458: "the app is not installed or the user removed it"
        case 459: "the user is checkpointed and must log in on facebook.com"
        case 460: "the password changed or the session was invalidated"
        case 463: "the token has expired"
        case 464: "the user is unconfirmed"
        case 467: "the token is invalid (logged out or revoked)"
        case 492: "the user behind the Page token no longer has a role on the Page"
        default: nil
        }
    }
}
