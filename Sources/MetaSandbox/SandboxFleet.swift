import Foundation
import MetaConfig

/// A generated world of many integrations, for `meta-doctor fleet`: `size` integrations spread over
/// `apps` apps, each with its own Page, Page token, WABA of its own business, phone number and
/// system user's token, and a declared share of them broken in one known way. The same seed gives
/// the same world. The breakage list is the generator's input (what was broken), not a verdict:
/// the tests derive what the doctor should say from it.
public struct SandboxFleet: Sendable {
    /// How an integration is broken, as the single-integration scenarios break it.
    public enum Breakage: String, Sendable, CaseIterable {
        /// The app is not subscribed to the integration's WABA (as `waba-not-subscribed`).
        case wabaNotSubscribed = "waba-not-subscribed"
        /// The Page token expired (as `expired-page-token`).
        case pageTokenExpired = "page-token-expired"
        /// WHATSAPP_PHONE_NUMBER_ID is a number of another business's WABA (as `phone-number-not-in-waba`).
        case phoneNumberNotInWABA = "phone-number-not-in-waba"
        /// META_APP_SECRET is not the app's secret (as `bad-secret`).
        case badAppSecret = "bad-app-secret"
    }

    public struct Integration: Sendable {
        /// "customer-0001".
        public let id: String
        public let appID: String
        public let breakage: Breakage?
        /// Its .env, by canonical name, without META_GRAPH_URL (the world's URL).
        public let configured: [String: String]
    }

    public let model: IntegrationModel
    public let integrations: [Integration]
    /// How many apps the integrations are spread over.
    public let appCount: Int

    /// `shares`: the fraction of integrations broken in each way (the counts are rounded down, and
    /// the broken ones are picked by the seed).
    public init(size: Int, apps: Int = 3, shares: [Breakage: Double] = SandboxFleet.defaultShares, seed: UInt64 = 1) {
        var generator = SeededGenerator(seed: seed)
        let size = max(0, size)
        var assigned: [Breakage?] = []
        for breakage in Breakage.allCases {
            let count = Int(Double(size) * (shares[breakage] ?? 0))
            assigned += Array(repeating: breakage, count: min(count, size - assigned.count))
        }
        assigned += Array(repeating: nil, count: size - assigned.count)
        assigned.shuffle(using: &generator)

        var model = IntegrationModel.healthy()
        model.configured = [:]
        let now = Int(Date().timeIntervalSince1970)
        let appCount = max(1, apps)
        let appRecords = (0..<appCount).map { index in
            let id = Self.id(1301, index)
            let base = "https://fleet-\(index + 1).example.com"
            return AppRecord(
                id: id, name: "Fleet App \(index + 1)", secret: "fleet-app-secret-" + SandboxIDs.hex("fleet-app-\(seed)-\(index)", 32),
                link: base + "/", createdAt: 1_795_132_800,
                subscriptions: [
                    "page": AppSubscriptionRecord(object: "page", callbackURL: base + "/webhook/messenger", fields: ["messages", "messaging_postbacks"]),
                    "whatsapp_business_account": AppSubscriptionRecord(
                        object: "whatsapp_business_account", callbackURL: base + "/webhook/whatsapp", fields: ["messages"]),
                ])
        }
        for app in appRecords { model.apps[app.id] = app }

        var integrations: [Integration] = []
        for index in 0..<size {
            let app = appRecords[index % appCount]
            let breakage = assigned[index]
            let name = "customer-" + String(format: "%04d", index + 1)
            let pageID = Self.id(1302, index)
            let businessID = Self.id(1303, index)
            let wabaID = Self.id(1304, index)
            let phoneID = Self.id(1305, index)
            let pageToken = SandboxIDs.token("FleetPage\(seed)x\(index)")
            let systemToken = SandboxIDs.token("FleetSystem\(seed)x\(index)")
            model.pages[pageID] = PageRecord(id: pageID, name: "Shop \(index + 1)", subscribedApps: [app.id: ["messages", "messaging_postbacks"]])
            model.businesses[businessID] = BusinessRecord(id: businessID, name: "Shop \(index + 1) Ltd")
            let phone = PhoneNumberRecord(id: phoneID, displayPhoneNumber: "+1 555-02\(String(format: "%05d", index))", verifiedName: "Shop \(index + 1)")
            model.wabas[wabaID] = WABARecord(
                id: wabaID, name: "Shop \(index + 1)", businessID: businessID,
                messageTemplateNamespace: "flt" + SandboxIDs.hex("fleet-namespace-\(index)", 24), phoneNumbers: [phoneID: phone],
                subscribedApps: breakage == .wabaNotSubscribed ? [:] : [app.id: WABASubscription()])
            var page = TokenRecord.page(pageID, appID: app.id, instagramAccountID: nil, issuedAt: now - 7 * 86_400)
            page.granularScopes.removeAll { $0.scope.hasPrefix("instagram_") }
            page.scopes.removeAll { $0.hasPrefix("instagram_") }
            if breakage == .pageTokenExpired {
                page.issuedAt = now - 62 * 86_400
                page.expiresAt = now - 2 * 86_400
                page.isValid = false
                page.invalidSubcode = 463
            }
            model.tokens[pageToken] = page
            model.tokens[systemToken] = .systemUser(appID: app.id, wabaIDs: [wabaID], issuedAt: now - 30 * 86_400)
            var configured = [
                ConfigKey.appID.name: app.id,
                ConfigKey.appSecret.name: app.secret,
                ConfigKey.pageID.name: pageID,
                ConfigKey.pageAccessToken.name: pageToken,
                ConfigKey.whatsappAccessToken.name: systemToken,
                ConfigKey.whatsappBusinessAccountID.name: wabaID,
                ConfigKey.whatsappPhoneNumberID.name: phoneID,
            ]
            switch breakage {
            case .phoneNumberNotInWABA:
                // A number of another business's WABA, which the integration's token cannot see.
                let strayWABA = Self.id(1314, index)
                let strayNumber = Self.id(1315, index)
                model.wabas[strayWABA] = WABARecord(
                    id: strayWABA, name: "Other Shop \(index + 1)", businessID: SandboxIDs.otherBusinessID,
                    messageTemplateNamespace: "flt" + SandboxIDs.hex("fleet-stray-\(index)", 24),
                    phoneNumbers: [strayNumber: PhoneNumberRecord(id: strayNumber, displayPhoneNumber: "+1 555-03\(String(format: "%05d", index))", verifiedName: "Other Shop")])
                configured[ConfigKey.whatsappPhoneNumberID.name] = strayNumber
            case .badAppSecret:
                configured[ConfigKey.appSecret.name] = "fleet-app-secret-" + SandboxIDs.hex("secret-before-reset-\(index)", 32)
            case .wabaNotSubscribed, .pageTokenExpired, nil:
                break
            }
            integrations.append(Integration(id: name, appID: app.id, breakage: breakage, configured: configured))
        }
        self.model = model
        self.integrations = integrations
        self.appCount = appCount
    }

    /// A fifth of the fleet broken, a twentieth in each way.
    public static let defaultShares: [Breakage: Double] = [
        .wabaNotSubscribed: 0.05, .pageTokenExpired: 0.05, .phoneNumberNotInWABA: 0.05, .badAppSecret: 0.05,
    ]

    /// Meta's budgets for this fleet (MB-G42): 200 calls an hour per user of an app (one user per
    /// integration of it), 200 WhatsApp management calls an hour per WABA, 4800 a day per Page.
    public var realisticThrottle: SandboxThrottle {
        let perApp = (integrations.count + appCount - 1) / appCount
        return SandboxThrottle(window: .seconds(3600), appCalls: 200 * perApp, wabaCalls: 200, pageCalls: 4800)
    }

    /// "1302000000000007": a 16-digit id of the `prefix` family.
    static func id(_ prefix: Int, _ index: Int) -> String { String(prefix) + String(format: "%012d", index + 1) }
}

/// Meta's rate limits as the sandbox plays them for a fleet (MB-G42): calls per fixed window per
/// app and per business object; the usage headers report the window's share of the budget, and a
/// call past it is throttled (code 4 for the app, 80001 for a Page, 80008 for a WABA) until the
/// window ends, `estimated_time_to_regain_access` saying how long in minutes (at least 1).
public struct SandboxThrottle: Sendable {
    public var window: Duration
    public var appCalls: Int
    public var wabaCalls: Int
    public var pageCalls: Int

    public init(window: Duration, appCalls: Int, wabaCalls: Int, pageCalls: Int) {
        self.window = window
        self.appCalls = max(1, appCalls)
        self.wabaCalls = max(1, wabaCalls)
        self.pageCalls = max(1, pageCalls)
    }

    func budget(_ subject: UsageSubject) -> Int {
        switch subject {
        case .app: appCalls
        case .business(_, let type): type == "whatsapp_business_management" ? wabaCalls : pageCalls
        }
    }

    /// The throttle error code Meta answers past the budget (MB-G21).
    func code(_ subject: UsageSubject) -> Int {
        switch subject {
        case .app: 4
        case .business(_, let type): type == "whatsapp_business_management" ? 80008 : 80001
        }
    }
}

/// SplitMix64: the same sequence for the same seed on every platform (the standard library's
/// generator is seeded at random).
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
