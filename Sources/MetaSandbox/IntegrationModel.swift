import MetaConfig

/// The world the sandbox emulates (apps, Pages, tokens, WhatsApp Business Accounts, Instagram
/// accounts), plus what the user's .env says (`configured`). Every Graph reply is derived from it.
///
/// Objects are keyed by id so a scenario can change one in place:
/// `model.pages[SandboxIDs.pageID]?.subscribedApps = [:]`.
public struct IntegrationModel: Sendable {
    public var apps: [String: AppRecord]
    public var pages: [String: PageRecord]
    /// Every user and system user a token can belong to.
    public var users: [String: UserRecord]
    public var businesses: [String: BusinessRecord]
    public var wabas: [String: WABARecord]
    public var instagramAccounts: [String: InstagramAccountRecord]
    /// Every token Meta knows, by the token string. App tokens are not listed: "<app-id>|<secret>" and
    /// the tokens `/oauth/access_token` issues are recognised as they come.
    public var tokens: [String: TokenRecord]
    /// The .env the user would have, by canonical name (META_APP_ID, WHATSAPP_ACCESS_TOKEN …).
    public var configured: [String: String]
    /// The Graph API versions Meta serves: the sandbox's own knowledge, not the doctor's table.
    public var versions: ServedVersions = .asOfDecember2026

    public init(
        apps: [String: AppRecord] = [:], pages: [String: PageRecord] = [:], users: [String: UserRecord] = [:],
        businesses: [String: BusinessRecord] = [:], wabas: [String: WABARecord] = [:],
        instagramAccounts: [String: InstagramAccountRecord] = [:], tokens: [String: TokenRecord] = [:],
        configured: [String: String] = [:]
    ) {
        self.apps = apps
        self.pages = pages
        self.users = users
        self.businesses = businesses
        self.wabas = wabas
        self.instagramAccounts = instagramAccounts
        self.tokens = tokens
        self.configured = configured
    }

    /// Changes one phone number, wherever its WABA is.
    public mutating func updatePhoneNumber(_ id: String, _ change: (inout PhoneNumberRecord) -> Void) {
        for wabaID in wabas.keys where wabas[wabaID]?.phoneNumbers[id] != nil {
            change(&wabas[wabaID]!.phoneNumbers[id]!)
        }
    }

    /// The WABA a phone number belongs to.
    func waba(owningPhoneNumber id: String) -> WABARecord? {
        wabas.values.first { $0.phoneNumbers[id] != nil }
    }

    /// A WABA or one of its phone numbers: the objects whose calls Meta auto-upgrades early.
    func isWhatsAppObject(_ id: String) -> Bool { wabas[id] != nil || waba(owningPhoneNumber: id) != nil }
}

// MARK: - Apps

public struct AppRecord: Sendable {
    public var id: String
    public var name: String
    public var secret: String
    /// The app's website (App settings > Basic), shown as `link` in a Page's subscribed_apps.
    public var link: String
    public var category: String
    /// App settings > Advanced > "Require App Secret": calls with user, Page and system-user tokens
    /// must carry appsecret_proof.
    public var requireAppSecretProof: Bool
    /// Webhook subscriptions by object ("page", "whatsapp_business_account", "instagram"): an app
    /// has one subscription per object (MB-G20).
    public var subscriptions: [String: AppSubscriptionRecord]
    /// The APP entity of WhatsApp's health_status.
    public var whatsappHealth: HealthRecord
    /// When the app was created (unix seconds). Apps created from 2026-11-04 on may not use the
    /// Graph features the v27.0 announcement retires, HTTP method override among them (MB-G4).
    public var createdAt: Int

    /// 2026-11-04T00:00:00Z, the v27.0 announcement's cut-off (MB-G4).
    public static let retiredFeaturesCutoff = 1_793_750_400

    /// Whether the v27.0 announcement's retired features are refused for this app.
    public var isNewApp: Bool { createdAt >= Self.retiredFeaturesCutoff }

    public init(
        id: String, name: String, secret: String, link: String, createdAt: Int = AppRecord.retiredFeaturesCutoff,
        category: String = "Business", requireAppSecretProof: Bool = false,
        subscriptions: [String: AppSubscriptionRecord] = [:], whatsappHealth: HealthRecord = .available
    ) {
        self.createdAt = createdAt
        self.id = id
        self.name = name
        self.secret = secret
        self.link = link
        self.category = category
        self.requireAppSecretProof = requireAppSecretProof
        self.subscriptions = subscriptions
        self.whatsappHealth = whatsappHealth
    }
}

/// One object's webhook subscription of an app (`/{app-id}/subscriptions`).
public struct AppSubscriptionRecord: Sendable {
    public var object: String
    public var callbackURL: String
    public var active: Bool
    public var fields: [String]
    /// The Graph version each field was subscribed with.
    public var version: String

    public init(
        object: String, callbackURL: String, active: Bool = true, fields: [String],
        version: String = GraphVersions.defaultVersion
    ) {
        self.object = object
        self.callbackURL = callbackURL
        self.active = active
        self.fields = fields
        self.version = version
    }
}

// MARK: - Pages, users, Instagram

public struct PageRecord: Sendable {
    public var id: String
    public var name: String
    public var category: String
    /// The linked Instagram professional account (`instagram_business_account`); nil when none.
    public var instagramAccountID: String?
    /// The Page's subscribed apps: app id → subscribed fields.
    public var subscribedApps: [String: [String]]

    public init(
        id: String, name: String, category: String = "Shopping & retail", instagramAccountID: String? = nil,
        subscribedApps: [String: [String]] = [:]
    ) {
        self.id = id
        self.name = name
        self.category = category
        self.instagramAccountID = instagramAccountID
        self.subscribedApps = subscribedApps
    }
}

/// A person or a system user.
public struct UserRecord: Sendable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

public struct InstagramAccountRecord: Sendable {
    public var id: String
    public var username: String
    public var name: String

    public init(id: String, username: String, name: String) {
        self.id = id
        self.username = username
        self.name = name
    }
}

// MARK: - Tokens

/// debug_token's `type`.
public enum TokenType: String, Sendable {
    case page = "PAGE"
    case user = "USER"
    case systemUser = "SYSTEM_USER"
    case app = "APP"
    /// An Instagram User token of the Instagram API with Instagram Login (IGAA…), served by
    /// graph.instagram.com only (MB-G15). debug_token never describes one: graph.facebook.com
    /// cannot parse it.
    case instagramUser = "INSTAGRAM_USER"
}

/// A `granular_scopes` entry; `targetIDs` nil means the grant is not limited to assets (Meta's own
/// system-user sample has no target_ids, MB-G26).
public struct GranularScope: Sendable, Equatable {
    public var scope: String
    public var targetIDs: [String]?

    public init(scope: String, targetIDs: [String]? = nil) {
        self.scope = scope
        self.targetIDs = targetIDs
    }
}

/// What Meta knows of a token: what debug_token shows and what the Graph API enforces.
public struct TokenRecord: Sendable {
    public var type: TokenType
    public var appID: String
    public var scopes: [String]
    public var granularScopes: [GranularScope]
    public var issuedAt: Int
    /// Unix time; 0 = never expires (MB-G1).
    public var expiresAt: Int
    public var dataAccessExpiresAt: Int
    /// False for a revoked or expired token; `invalidSubcode` then says why (190 subcodes, MB-G23).
    public var isValid: Bool
    public var invalidSubcode: Int?
    /// The Page id of a PAGE token.
    public var profileID: String?
    /// The user or system user who granted the token.
    public var userID: String?
    /// Of a Page token: whether its person may perform the Page's MODERATE task, which subscribing
    /// apps to the Page needs (MB-G8).
    public var canModeratePage = true

    public init(
        type: TokenType, appID: String, scopes: [String], granularScopes: [GranularScope] = [], issuedAt: Int,
        expiresAt: Int = 0, dataAccessExpiresAt: Int = 0, isValid: Bool = true, invalidSubcode: Int? = nil,
        profileID: String? = nil, userID: String? = nil
    ) {
        self.type = type
        self.appID = appID
        self.scopes = scopes
        self.granularScopes = granularScopes
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.dataAccessExpiresAt = dataAccessExpiresAt
        self.isValid = isValid
        self.invalidSubcode = invalidSubcode
        self.profileID = profileID
        self.userID = userID
    }

    /// Whether the token carries `scope` for `target`: the scope is granted and its granular entry,
    /// if any, is not limited to other assets.
    public func grants(_ scope: String, on target: String) -> Bool {
        guard scopes.contains(scope) else { return false }
        guard let targets = granularScopes.first(where: { $0.scope == scope })?.targetIDs else { return true }
        return targets.contains(target)
    }

    /// Takes a scope away, from `scopes` and `granular_scopes` alike.
    public mutating func removeScope(_ scope: String) {
        scopes.removeAll { $0 == scope }
        granularScopes.removeAll { $0.scope == scope }
    }

    /// Limits every granular scope to `targets` (nil: not asset-scoped).
    public mutating func setTargets(_ targets: [String]?) {
        for index in granularScopes.indices { granularScopes[index].targetIDs = targets }
    }
}

// MARK: - WhatsApp

public struct BusinessRecord: Sendable {
    public var id: String
    public var name: String
    /// The BUSINESS entity of health_status.
    public var health: HealthRecord

    public init(id: String, name: String, health: HealthRecord = .available) {
        self.id = id
        self.name = name
        self.health = health
    }
}

public struct WABARecord: Sendable {
    public var id: String
    public var name: String
    public var businessID: String
    public var currency: String
    public var timezoneID: String
    public var messageTemplateNamespace: String
    /// APPROVED, PENDING or REJECTED (MB-G13).
    public var accountReviewStatus: String
    /// The owning business's verification, lower case as Meta spells it: verified, not_verified,
    /// pending, rejected, failed, … (MB-G13).
    public var businessVerificationStatus: String
    public var phoneNumbers: [String: PhoneNumberRecord]
    /// Apps subscribed to the WABA's webhooks, by app id. Empty means Meta delivers no webhook for
    /// this WABA (MB-G19).
    public var subscribedApps: [String: WABASubscription]
    /// The WABA entity of health_status.
    public var health: HealthRecord

    public init(
        id: String, name: String, businessID: String, currency: String = "USD", timezoneID: String = "1",
        messageTemplateNamespace: String, accountReviewStatus: String = "APPROVED",
        businessVerificationStatus: String = "verified",
        phoneNumbers: [String: PhoneNumberRecord] = [:], subscribedApps: [String: WABASubscription] = [:],
        health: HealthRecord = .available
    ) {
        self.id = id
        self.name = name
        self.businessID = businessID
        self.currency = currency
        self.timezoneID = timezoneID
        self.messageTemplateNamespace = messageTemplateNamespace
        self.accountReviewStatus = accountReviewStatus
        self.businessVerificationStatus = businessVerificationStatus
        self.phoneNumbers = phoneNumbers
        self.subscribedApps = subscribedApps
        self.health = health
    }
}

/// An app's subscription to a WABA, optionally with its own callback (`override_callback_uri`).
public struct WABASubscription: Sendable {
    public var overrideCallbackURI: String?

    public init(overrideCallbackURI: String? = nil) { self.overrideCallbackURI = overrideCallbackURI }
}

public struct PhoneNumberRecord: Sendable {
    public var id: String
    public var displayPhoneNumber: String
    public var verifiedName: String
    /// GREEN, YELLOW, RED, NA or UNKNOWN.
    public var qualityRating: String
    /// CONNECTED, DISCONNECTED, PENDING …
    public var status: String
    /// VERIFIED, NOT_VERIFIED or EXPIRED.
    public var codeVerificationStatus: String
    /// LIVE or SANDBOX.
    public var accountMode: String
    public var platformType: String
    public var throughputLevel: String
    public var nameStatus: String
    public var messagingLimitTier: String
    /// The PHONE_NUMBER entity of health_status.
    public var health: HealthRecord
    /// The number's own callback (webhook_configuration.phone_number), overriding WABA and app.
    public var webhookOverride: String?

    public init(
        id: String, displayPhoneNumber: String, verifiedName: String, qualityRating: String = "GREEN",
        status: String = "CONNECTED", codeVerificationStatus: String = "VERIFIED", accountMode: String = "LIVE",
        platformType: String = "CLOUD_API", throughputLevel: String = "STANDARD", nameStatus: String = "APPROVED",
        messagingLimitTier: String = "TIER_1K", health: HealthRecord = .available, webhookOverride: String? = nil
    ) {
        self.id = id
        self.displayPhoneNumber = displayPhoneNumber
        self.verifiedName = verifiedName
        self.qualityRating = qualityRating
        self.status = status
        self.codeVerificationStatus = codeVerificationStatus
        self.accountMode = accountMode
        self.platformType = platformType
        self.throughputLevel = throughputLevel
        self.nameStatus = nameStatus
        self.messagingLimitTier = messagingLimitTier
        self.health = health
        self.webhookOverride = webhookOverride
    }
}

/// One entity's part of health_status (MB-G14): `can_send_message` is AVAILABLE,
/// LIMITED or BLOCKED; LIMITED carries `additional_info`, BLOCKED or LIMITED may carry `errors`.
public struct HealthRecord: Sendable {
    public var canSendMessage: String
    public var additionalInfo: [String]
    public var errors: [HealthError]

    public init(canSendMessage: String, additionalInfo: [String] = [], errors: [HealthError] = []) {
        self.canSendMessage = canSendMessage
        self.additionalInfo = additionalInfo
        self.errors = errors
    }

    public static let available = HealthRecord(canSendMessage: "AVAILABLE")
}

public struct HealthError: Sendable {
    public var errorCode: Int
    public var errorDescription: String
    public var possibleSolution: String?

    public init(errorCode: Int, errorDescription: String, possibleSolution: String? = nil) {
        self.errorCode = errorCode
        self.errorDescription = errorDescription
        self.possibleSolution = possibleSolution
    }
}

/// The Graph API versions Meta answers, and how (docs/meta-behaviour.md MB-G6, MB-G7).
public struct ServedVersions: Sendable {
    /// Versions served as asked, oldest first.
    public var current: [String]
    /// Deprecated versions whose calls on WhatsApp endpoints (a WABA, a phone number) Meta already
    /// auto-upgrades, ahead of the rest of the Graph API, as recorded replies show: by version, the
    /// version that serves them.
    public var upgradedOnWhatsApp: [String: String]

    public init(current: [String], upgradedOnWhatsApp: [String: String] = [:]) {
        self.current = current
        self.upgradedOnWhatsApp = upgradedOnWhatsApp
    }

    /// Meta's changelog on 2026-12-01: v20.0 ended on 2026-09-24, v21.0 to v27.0 are served.
    public static let asOfDecember2026 = ServedVersions(
        current: ["v21.0", "v22.0", "v23.0", "v24.0", "v25.0", "v26.0", "v27.0"])

    /// How Meta answers a call to `version`.
    public enum Answer: Equatable, Sendable {
        case served(String)
        /// Served by another version, with Meta's X-Ad-Api-Version-Warning.
        case upgraded(to: String, warning: String)
        /// Meta knows no such version.
        case unknown
    }

    public func answer(for version: String, onWhatsAppObject: Bool) -> Answer {
        if onWhatsAppObject, let target = upgradedOnWhatsApp[version] { return .upgraded(to: target, warning: Self.warning(version, target)) }
        if current.contains(version) { return .served(version) }
        // "Any calls made to it will be defaulted to the next oldest usable version" (MB-G6).
        guard let requested = Self.number(version), let oldest = current.first, let oldestNumber = Self.number(oldest),
            requested < oldestNumber
        else { return .unknown }
        return .upgraded(to: oldest, warning: Self.warning(version, oldest))
    }

    /// The wording of the recorded replies' X-Ad-Api-Version-Warning (MB-G6).
    static func warning(_ from: String, _ to: String) -> String {
        "The call has been auto-upgraded to \(to) as \(from) has been deprecated."
    }

    /// "v24.0" -> 24.0.
    static func number(_ version: String) -> Double? {
        version.hasPrefix("v") ? Double(version.dropFirst()) : nil
    }
}
