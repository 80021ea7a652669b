import MetaConfig

/// What `Discovery` read, how it compares with the configuration, and the values it suggests.
/// Holds ids, names and statuses only: never a token.
public struct DiscoveryResult: Sendable, Equatable {
    public struct Named: Sendable, Equatable {
        public let id: String
        public let name: String?
    }

    /// The app whose app token `META_APP_ID|META_APP_SECRET` is: the secret is this app's.
    public struct App: Sendable, Equatable {
        public let id: String
        public let name: String?
    }

    public struct PhoneNumber: Sendable, Equatable {
        public let id: String
        public let displayPhoneNumber: String?
        public let verifiedName: String?
        public let status: String?
    }

    public struct WABA: Sendable, Equatable {
        public let id: String
        public var name: String?
        public var phoneNumbers: [PhoneNumber] = []

        init(id: String) { self.id = id }
    }

    /// The WhatsApp token: its user, type and app, and the WABAs it reaches.
    public struct WhatsAppToken: Sendable, Equatable {
        public var user: Named?
        /// SYSTEM_USER, USER … as debug_token says; nil when it could not be read.
        public var type: String?
        public var appID: String?
        /// Whether granular scopes name the WABAs (MB-G26); nil when debug_token could not be read.
        public var assetScoped: Bool?
        /// The WABAs the scopes name, or for a token not limited to assets the configured one.
        public var wabas: [WABA] = []
    }

    public struct InstagramAccount: Sendable, Equatable {
        public let id: String
        public let username: String?
    }

    public enum InstagramLink: Sendable, Equatable {
        case linked(InstagramAccount)
        /// The Page has no linked Instagram professional account.
        case none
        /// The Page's link could not be read.
        case unread
    }

    /// The Page token's Page and its linked Instagram account.
    public struct Page: Sendable, Equatable {
        public let id: String
        public let name: String?
        public var instagramLink: InstagramLink = .unread

        init(id: String, name: String?) {
            self.id = id
            self.name = name
        }

        public var instagram: InstagramAccount? {
            if case .linked(let account) = instagramLink { return account }
            return nil
        }
    }

    /// A read Meta refused or that could not be made.
    public struct Unread: Sendable, Equatable {
        /// What was to be read: "WABA 1204000000000001's phone numbers".
        public let subject: String
        /// Meta's message and code, or the client's.
        public let message: String
        /// A network failure, a rate limit or Meta's own failure: nothing is known either way.
        public let couldNotVerify: Bool
    }

    /// The id variables discovery can fill in, in the order a `.env` lists them.
    public static let idKeys: [ConfigKey] = [
        .appID, .pageID, .instagramAccountID, .whatsappBusinessAccountID, .whatsappPhoneNumberID,
    ]

    /// The configuration's values of `idKeys`.
    public let configured: [ConfigKey: String]
    public var app: App?
    public var whatsapp: WhatsAppToken?
    public var page: Page?
    /// The Pages the user token manages (`--user-token-env`); nil when none was given or read.
    public var managedPages: [Named]?
    public var unread: [Unread] = []

    public init(configured: [ConfigKey: String]) { self.configured = configured }

    /// Whether `value` is what the configuration holds for `key`.
    public func isConfigured(_ key: ConfigKey, _ value: String) -> Bool { configured[key] == value }

    /// Whether some read could not be verified (exit status 3).
    public var couldNotVerify: Bool { unread.contains(where: \.couldNotVerify) }

    /// The value for each id variable that the reads single out: the app the secret is of, the Page
    /// token's Page and its Instagram account, the token's only WABA (or the one holding the
    /// configured number), and that WABA's only number (or the one whose display number the
    /// configuration holds as digits). A key is absent when the reads leave a choice or show
    /// nothing.
    public var suggestedValues: [ConfigKey: String] {
        var values: [ConfigKey: String] = [:]
        values[.appID] = app?.id
        values[.pageID] = page?.id
        values[.instagramAccountID] = page?.instagram?.id
        let wabas = whatsapp?.wabas ?? []
        let configuredNumber = configured[.whatsappPhoneNumberID]
        let waba =
            wabas.count == 1
            ? wabas.first
            : wabas.first { $0.phoneNumbers.contains { $0.id == configuredNumber } }
                ?? wabas.first { $0.id == configured[.whatsappBusinessAccountID] }
        values[.whatsappBusinessAccountID] = waba?.id
        if let numbers = waba?.phoneNumbers {
            let chosen =
                numbers.first { $0.id == configuredNumber }
                ?? numbers.first { number in
                    configuredNumber.map { configured in
                        number.displayPhoneNumber.map(MisplacedIDs.digits) == MisplacedIDs.digits(configured)
                    } ?? false
                }
                ?? (numbers.count == 1 ? numbers.first : nil)
            values[.whatsappPhoneNumberID] = chosen?.id
        }
        return values
    }

    /// The suggested values that differ from the configuration (or fill a gap in it).
    public var changes: [ConfigKey: String] { suggestedValues.filter { configured[$0.key] != $0.value } }
}
