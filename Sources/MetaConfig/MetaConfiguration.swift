/// Where a configuration value came from. Reports name the source, never the value.
public enum ConfigSource: Sendable, Equatable, CustomStringConvertible {
    case dotenv(file: String, line: Int)
    case environment
    case flag(String)

    public var description: String {
        switch self {
        case .dotenv(let file, let line): "\(file):\(line)"
        case .environment: "environment"
        case .flag(let name): name
        }
    }
}

/// One configuration value with its provenance.
public struct ConfigValue: Sendable, Equatable {
    /// The value exactly as written (after dotenv unquoting).
    public let raw: String
    /// The variable or flag name that supplied it.
    public let name: String
    public let source: ConfigSource

    public init(raw: String, name: String, source: ConfigSource) {
        self.raw = raw
        self.name = name
        self.source = source
    }

    /// The value used by the probes: `raw` without surrounding whitespace or stray quotes.
    public var value: String {
        var trimmed = Substring(raw).trimmingLeadingWhitespace().trimmingTrailingWhitespace()
        while let first = trimmed.first, let last = trimmed.last, trimmed.count >= 2, first == last,
            first == "\"" || first == "'"
        {
            trimmed = trimmed.dropFirst().dropLast()
        }
        return String(trimmed)
    }

    /// Whitespace or quotes around the value, which break tokens in most backends.
    public var hasStrayCharacters: Bool { value != raw }

    /// What surrounds the value ("surrounding spaces", "surrounding double quotes"), or nil.
    public var paddingDescription: String? {
        guard hasStrayCharacters else { return nil }
        var found: [String] = []
        let isPadding: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "'" }
        let padding = String(raw.prefix(while: isPadding)) + String(raw.reversed().prefix(while: isPadding))
        if padding.contains(" ") || padding.contains("\t") { found.append("whitespace") }
        if padding.contains("\"") { found.append("double quotes") }
        if padding.contains("'") { found.append("single quotes") }
        return "surrounding " + (found.isEmpty ? "characters" : found.joined(separator: " and "))
    }

    /// Control characters in the value (a trailing "\r" from a CRLF file, a pasted newline, a
    /// NUL), described by kind and place, never by the value; nil when there are none. Such a
    /// value is refused: it would break, or smuggle lines into, a request header.
    public var controlCharacterDescription: String? {
        let scalars = Array(value.unicodeScalars)
        guard let first = scalars.firstIndex(where: Self.isControl) else { return nil }
        let last = scalars.lastIndex(where: Self.isControl)!
        let kinds = Set(scalars.filter(Self.isControl).map(Self.name)).sorted().joined(separator: ", ")
        let place: String
        if first == scalars.count - 1 || scalars[first...].allSatisfy(Self.isControl) {
            place = "ends with"
        } else if last == 0 || scalars[...last].allSatisfy(Self.isControl) {
            place = "starts with"
        } else {
            place = "contains"
        }
        return "\(place) a control character (\(kinds))"
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) }

    static func name(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x0D: "carriage return \\r"
        case 0x0A: "line feed \\n"
        case 0x00: "NUL"
        case 0x09: "tab"
        default: "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        }
    }

    /// "META_APP_ID (.env:3)".
    public var provenance: String { "\(name) (\(source))" }
}

/// The resolved configuration of a run.
public struct MetaConfiguration: Sendable {
    public let values: [ConfigKey: ConfigValue]
    /// Aliases that disagree with the value used.
    public let aliasConflicts: [String]
    /// What made the inputs unusable (an unreadable `--env-file`, a malformed line).
    public let loadProblems: [String]
    /// The `.env` file read, if any.
    public let envFile: String?

    /// Values of secret aliases that were not used (a disagreeing alias is still a secret).
    public let secretAliasValues: [String]
    /// What is odd but usable in the sources (a name set twice in the .env file).
    public let loadWarnings: [String]
    /// `HTTPS_PROXY`/`NO_PROXY`, for Graph API calls.
    public let proxy: ProxyConfiguration?

    public init(
        values: [ConfigKey: ConfigValue], aliasConflicts: [String] = [], loadProblems: [String] = [], loadWarnings: [String] = [],
        envFile: String? = nil, secretAliasValues: [String] = [], proxy: ProxyConfiguration? = nil
    ) {
        self.values = values
        self.secretAliasValues = secretAliasValues
        self.aliasConflicts = aliasConflicts
        self.loadProblems = loadProblems
        self.loadWarnings = loadWarnings
        self.envFile = envFile
        self.proxy = proxy
    }

    public static let defaultGraphURL = "https://graph.facebook.com"
    public static let defaultInstagramGraphURL = "https://graph.instagram.com"

    /// This configuration with `changes` made, each value keeping its name and source.
    public func replacing(_ changes: [(key: ConfigKey, value: String)]) -> MetaConfiguration {
        var updated = values
        for (key, value) in changes {
            let old = values[key]
            updated[key] = ConfigValue(raw: value, name: old?.name ?? key.name, source: old?.source ?? .environment)
        }
        return MetaConfiguration(
            values: updated, aliasConflicts: aliasConflicts, loadProblems: loadProblems, envFile: envFile,
            secretAliasValues: secretAliasValues)
    }

    /// The value used for `key`, or nil when unset or blank.
    public func string(_ key: ConfigKey) -> String? {
        guard let value = values[key]?.value, !value.isEmpty else { return nil }
        return value
    }

    public func secret(_ key: ConfigKey) -> Secret? { string(key).map(Secret.init) }

    public var appID: String? { string(.appID) }
    public var appSecret: Secret? { secret(.appSecret) }
    public var verifyToken: Secret? { secret(.verifyToken) }
    public var pageID: String? { string(.pageID) }
    public var pageAccessToken: Secret? { secret(.pageAccessToken) }
    public var whatsappAccessToken: Secret? { secret(.whatsappAccessToken) }
    public var wabaID: String? { string(.whatsappBusinessAccountID) }
    public var phoneNumberID: String? { string(.whatsappPhoneNumberID) }
    public var instagramAccountID: String? { string(.instagramAccountID) }
    public var graphVersion: String { string(.graphVersion) ?? GraphVersions.defaultVersion }
    public var graphURL: String { string(.graphURL) ?? Self.defaultGraphURL }
    /// The Graph API of the Instagram API with Instagram Login.
    public var instagramGraphURL: String { string(.instagramGraphURL) ?? Self.defaultInstagramGraphURL }

    /// The Instagram path INSTAGRAM_API declares (default `page`); nil when the value names neither.
    public var instagramAPI: InstagramAPI? {
        guard let raw = string(.instagramAPI) else { return .page }
        return InstagramAPI(rawValue: raw.lowercased())
    }

    /// The token used for Instagram: INSTAGRAM_ACCESS_TOKEN, else (on the Page path) the Page token.
    public var instagramAccessToken: Secret? {
        secret(.instagramAccessToken) ?? (instagramAPI == .instagramLogin ? nil : pageAccessToken)
    }

    /// The name that supplied the Instagram token.
    public var instagramTokenProvenance: String? {
        if let explicit = values[.instagramAccessToken], !explicit.value.isEmpty { return explicit.provenance }
        return values[.pageAccessToken].map { "\($0.provenance), the Page token" }
    }

    /// The webhook URL of `platform`: its own variable, else WEBHOOK_BASE_URL plus the default path.
    public func webhookURL(for platform: Platform) -> String? {
        if let own = string(platform.webhookKey) { return own }
        guard var base = string(.webhookBaseURL) else { return nil }
        while base.hasSuffix("/") { base.removeLast() }
        return base + platform.defaultWebhookPath
    }

    /// Which variable supplied the webhook URL of `platform`.
    public func webhookURLProvenance(for platform: Platform) -> String? {
        if let own = values[platform.webhookKey], !own.value.isEmpty { return own.provenance }
        return values[.webhookBaseURL].map { "\($0.provenance) + \(platform.defaultWebhookPath)" }
    }

    /// Whether each platform is checked, and why (not). `restrictedTo` is `--platform`.
    public func platformStates(restrictedTo: Set<Platform>? = nil) -> [PlatformState] {
        Platform.allCases.map { platform in
            let missing: [ConfigKey]
            switch platform {
            case .messenger:
                missing = [ConfigKey.pageID, .pageAccessToken].filter { string($0) == nil }
            case .whatsapp:
                missing = [ConfigKey.whatsappAccessToken, .whatsappBusinessAccountID, .whatsappPhoneNumberID]
                    .filter { string($0) == nil }
            case .instagram:
                let tokenKey: ConfigKey = instagramAPI == .instagramLogin ? .instagramAccessToken : .pageAccessToken
                let token: [ConfigKey] = instagramAccessToken == nil ? [tokenKey] : []
                missing = (string(.instagramAccountID) == nil ? [.instagramAccountID] : []) + token
            }
            if let restrictedTo, !restrictedTo.contains(platform) {
                return PlatformState(platform: platform, enabled: false, reason: "Not selected by --platform.")
            }
            if missing.isEmpty {
                return PlatformState(platform: platform, enabled: true, reason: "Credentials present.")
            }
            let names = missing.map(\.name).joined(separator: ", ")
            let alternative = platform == .instagram && missing.contains(.pageAccessToken) ? " (or INSTAGRAM_ACCESS_TOKEN)" : ""
            return PlatformState(platform: platform, enabled: false, reason: "Not configured: \(names)\(alternative) not set.")
        }
    }

    /// Every secret value, for redaction and for tests that sweep output for them: as written, as
    /// used (trimmed), and the aliases that lost to the canonical name.
    public var secretValues: [String] {
        let used = values.filter { $0.key.isSecret }.flatMap { [$0.value.raw, $0.value.value] }
        let proxyPassword = proxy?.password.map { [$0.exposedValue] } ?? []
        return Array(Set(used + secretAliasValues + proxyPassword)).filter { !$0.isEmpty }
    }
}

/// A platform's enablement.
public struct PlatformState: Sendable, Equatable {
    public let platform: Platform
    public let enabled: Bool
    public let reason: String
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
