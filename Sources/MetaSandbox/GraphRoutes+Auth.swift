import Crypto
import Foundation

/// Who is calling: the access token and what the model knows of it.
struct Caller {
    let token: String
    let record: TokenRecord
}

/// Why Meta refuses a token: a code-190 subcode and Meta's message (MB-G23).
struct TokenRejection {
    let subcode: Int
    let message: String
}

/// What a token string is, before any check of its validity.
enum TokenLookup {
    case found(TokenRecord)
    /// An Instagram-Login token (IGAA…) that graph.facebook.com cannot parse (MB-G15).
    case unparsable
    case unknown
    /// "<app-id>|…" of a known app whose second half is neither its secret nor an issued token.
    case badAppSignature
}

extension TokenRecord {
    /// Nil for a usable token; else the subcode and message Meta gives. A token past `expiresAt` is
    /// expired (463) even if the model still marks it valid; an invalid one without a subcode is
    /// treated as logged out (467).
    func rejection(at now: Date) -> TokenRejection? {
        let expired = expiresAt != 0 && TimeInterval(expiresAt) <= now.timeIntervalSince1970
        guard !isValid || expired else { return nil }
        let subcode = invalidSubcode ?? (expired ? 463 : 467)
        let message =
            switch subcode {
            case 463:
                "Error validating access token: Session has expired on \(Self.metaDate(expiresAt)). The current time is \(Self.metaDate(Int(now.timeIntervalSince1970)))."
            case 467: "Error validating access token: The session is invalid because the user logged out."
            default: "Error validating access token: The session is invalid."
            }
        return TokenRejection(subcode: subcode, message: message)
    }

    /// "Tuesday, 05-Apr-16 23:00:00 PDT", the format of Meta's expiry message (MB-G1 sample), in
    /// Meta's Pacific time.
    private static func metaDate(_ unixTime: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "America/Los_Angeles") ?? TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEEE, dd-MMM-yy HH:mm:ss zzz"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(unixTime)))
    }
}

extension GraphRoutes {
    func lookUp(_ token: String) -> TokenLookup {
        // MB-G15: graph.facebook.com cannot parse Instagram-Login tokens.
        if token.hasPrefix("IGAA") { return .unparsable }
        if let record = model.tokens[token] { return .found(record) }
        // MB-G22: an app token is "<app-id>|<opaque>" from /oauth/access_token, or literally
        // "<app-id>|<app-secret>".
        if let bar = token.firstIndex(of: "|") {
            guard let app = model.apps[String(token[..<bar])] else { return .unknown }
            guard token[token.index(after: bar)...] == app.secret || store.isIssued(appToken: token) else {
                return .badAppSignature
            }
            return .found(TokenRecord(type: .app, appID: app.id, scopes: [], issuedAt: 0))
        }
        return .unknown
    }

    /// The caller, or the error Meta gives for its token: unknown, unparsable, expired or invalid
    /// (190), or an appsecret_proof problem (100).
    func caller(for request: GraphRequest) throws(GraphFailure) -> Caller {
        guard let token = request.token, !token.isEmpty else { throw .missingToken }
        let record: TokenRecord
        switch lookUp(token) {
        case .found(let found): record = found
        case .unparsable: throw .unparsableToken
        case .unknown: throw .unknownToken
        case .badAppSignature: throw .badAppTokenSignature
        }
        if let rejection = record.rejection(at: now) { throw .rejectedToken(rejection) }
        // MB-G18: the proof is checked whenever sent, and required when the app says so, for user, Page
        // and system-user tokens (app tokens carry the secret already). It is keyed by the secret of
        // the app the token was issued for, so a proof made with another app's secret fails. Meta
        // does not document whether the token or the proof is checked first; the sandbox checks the
        // token first.
        if record.type != .app, let app = model.apps[record.appID] {
            if let proof = request.parameters["appsecret_proof"] {
                guard proof == Self.appSecretProof(token: token, secret: app.secret) else { throw .invalidAppSecretProof }
            } else if app.requireAppSecretProof {
                throw .appSecretProofRequired
            }
        }
        return Caller(token: token, record: record)
    }

    /// MB-G18: lowercase hex HMAC-SHA256 of the token, keyed by the app secret.
    static func appSecretProof(token: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(token.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}
