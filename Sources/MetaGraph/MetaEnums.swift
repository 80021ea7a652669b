/// A value of one of Meta's enumerations, decoded leniently: a value this build does not know
/// becomes `unknown(raw)` instead of failing the whole reply, so a new value Meta adds is shown as
/// it is and judged by the probe, never a decoding error.
public protocol LenientMetaEnum: Sendable, Hashable, Decodable, CustomStringConvertible {
    /// The values this build knows, each with its raw string.
    static var known: [Self] { get }
    static func unknown(_ raw: String) -> Self
    var rawValue: String { get }
}

extension LenientMetaEnum {
    public init(raw: String) { self = Self.known.first { $0.rawValue == raw } ?? .unknown(raw) }

    public init(from decoder: any Decoder) throws {
        self.init(raw: try decoder.singleValueContainer().decode(String.self))
    }

    public var description: String { rawValue }
}

/// A phone number's `status` (docs/meta-behaviour.md MB-G11).
public enum PhoneNumberStatus: LenientMetaEnum {
    case connected, disconnected, pending, flagged, restricted, rateLimited, banned, deleted, migrated, unverified
    case unknown(String)

    public static let known: [PhoneNumberStatus] = [
        .connected, .disconnected, .pending, .flagged, .restricted, .rateLimited, .banned, .deleted, .migrated, .unverified,
    ]

    public var rawValue: String {
        switch self {
        case .connected: "CONNECTED"
        case .disconnected: "DISCONNECTED"
        case .pending: "PENDING"
        case .flagged: "FLAGGED"
        case .restricted: "RESTRICTED"
        case .rateLimited: "RATE_LIMITED"
        case .banned: "BANNED"
        case .deleted: "DELETED"
        case .migrated: "MIGRATED"
        case .unverified: "UNVERIFIED"
        case .unknown(let raw): raw
        }
    }
}

/// Which API a phone number is registered for: `platform_type` (MB-G11).
public enum PlatformType: LenientMetaEnum {
    case cloudAPI, onPremise, notApplicable
    case unknown(String)

    public static let known: [PlatformType] = [.cloudAPI, .onPremise, .notApplicable]

    public var rawValue: String {
        switch self {
        case .cloudAPI: "CLOUD_API"
        case .onPremise: "ON_PREMISE"
        case .notApplicable: "NOT_APPLICABLE"
        case .unknown(let raw): raw
        }
    }
}

/// `account_mode`: SANDBOX for Meta's test number, LIVE otherwise (MB-G12).
public enum AccountMode: LenientMetaEnum {
    case live, sandbox
    case unknown(String)

    public static let known: [AccountMode] = [.live, .sandbox]

    public var rawValue: String {
        switch self {
        case .live: "LIVE"
        case .sandbox: "SANDBOX"
        case .unknown(let raw): raw
        }
    }
}

/// `quality_rating` (MB-G11).
public enum QualityRating: LenientMetaEnum {
    case green, yellow, red, notAvailable
    case unknown(String)

    public static let known: [QualityRating] = [.green, .yellow, .red, .notAvailable]

    public var rawValue: String {
        switch self {
        case .green: "GREEN"
        case .yellow: "YELLOW"
        case .red: "RED"
        case .notAvailable: "NA"
        case .unknown(let raw): raw
        }
    }
}

/// A WABA's `account_review_status` (MB-G13).
public enum AccountReviewStatus: LenientMetaEnum {
    case approved, pending, rejected
    case unknown(String)

    public static let known: [AccountReviewStatus] = [.approved, .pending, .rejected]

    public var rawValue: String {
        switch self {
        case .approved: "APPROVED"
        case .pending: "PENDING"
        case .rejected: "REJECTED"
        case .unknown(let raw): raw
        }
    }
}

/// `can_send_message` of a health_status and of each of its entities (MB-G14).
public enum CanSendMessage: LenientMetaEnum {
    case available, limited, blocked
    case unknown(String)

    public static let known: [CanSendMessage] = [.available, .limited, .blocked]

    public var rawValue: String {
        switch self {
        case .available: "AVAILABLE"
        case .limited: "LIMITED"
        case .blocked: "BLOCKED"
        case .unknown(let raw): raw
        }
    }
}

/// The `type` of a token in debug_token (MB-G1).
public enum DebugTokenType: LenientMetaEnum {
    case user, page, app, systemUser
    case unknown(String)

    public static let known: [DebugTokenType] = [.user, .page, .app, .systemUser]

    public var rawValue: String {
        switch self {
        case .user: "USER"
        case .page: "PAGE"
        case .app: "APP"
        case .systemUser: "SYSTEM_USER"
        case .unknown(let raw): raw
        }
    }
}

/// The object of an app's webhook subscription (MB-G20).
public enum WebhookObject: LenientMetaEnum {
    case page, whatsappBusinessAccount, instagram, user, permissions
    case unknown(String)

    public static let known: [WebhookObject] = [.page, .whatsappBusinessAccount, .instagram, .user, .permissions]

    public var rawValue: String {
        switch self {
        case .page: "page"
        case .whatsappBusinessAccount: "whatsapp_business_account"
        case .instagram: "instagram"
        case .user: "user"
        case .permissions: "permissions"
        case .unknown(let raw): raw
        }
    }
}
