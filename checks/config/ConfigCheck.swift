import DoctorKit
import MetaConfig
import MetaGraph

/// `config`: the configuration is complete and sane. Its failure makes the run meaningless, so it
/// is the root of the graph and fails with exit status 2.
public struct ConfigCheck: MetaProbe {
    public static let id: CheckID = "config"

    public let description = CheckDescription(
        id: ConfigCheck.id,
        title: "The configuration is complete",
        prerequisites: [],
        guideStep: GuideSteps.configuration,
        summary: """
            Reads .env (or --env-file), the environment and flags, and checks that the app id and secret are set, every \
            id is numeric, every webhook URL has a host and a port in 1-65535 (an http or loopback URL fails the webhook checks only), no value holds a control character (a \
            trailing \\r or \\n, a NUL) and HTTPS_PROXY is a usable proxy URL. Warns on values with stray whitespace or \
            quotes, a WhatsApp phone number or WABA id of 13 digits or fewer (a phone number's length, not an id's), a value left empty (as `meta-doctor init` writes the ones it was not given), a verify token that is a placeholder, a single word or short, a name set twice in the .env file, \
            aliases that disagree with the canonical name, and a plain-http --graph-url to a host other than a loopback \
            address.
            """,
        calls: ["none (local)"],
        remediation: "Set the missing or malformed values in .env or the environment; see the configuration table in the README."
    )

    /// Verify tokens copied from tutorials and samples (compared case-insensitively).
    static let placeholderVerifyTokens: Set<String> = [
        "verify_token", "your_verify_token", "your-verify-token", "yourverifytoken", "<verify_token>",
        "<your_verify_token>", "my_verify_token", "verifytoken", "token", "changeme", "change_me", "secret", "test",
        "meatyhamhock", "hello", "12345", "123456", "password", "xxx", "todo",
    ]

    /// Shorter verify tokens are guessable, and too short to be redacted wherever they appear.
    static let minimumVerifyTokenLength = 8

    public init() {}

    /// "META_APP_ID is not set.", or for a line left empty (as `meta-doctor init` writes one it was
    /// not given) "META_APP_ID (.env:4) is empty: fill it in …".
    static func unset(_ key: ConfigKey, _ configuration: MetaConfiguration) -> String {
        guard let value = configuration.values[key] else { return "\(key.name) is not set." }
        return "\(value.provenance) is empty: fill it in (a comment from meta-doctor init above it says where to find it)."
    }

    /// Where a value stands in the .env file, to list values in the file's order (others last).
    static func line(of value: ConfigValue) -> Int {
        if case .dotenv(_, let line) = value.source { return line }
        return Int.max
    }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        var failures: [String] = []
        var warnings: [String] = []

        failures += configuration.loadProblems
        for key in ConfigKey.allCases {
            guard let value = configuration.values[key], let problem = value.controlCharacterDescription else { continue }
            failures.append("\(value.provenance) \(problem): a pasted CI secret or a CRLF file; remove it, it would break the request.")
        }
        if configuration.appID == nil {
            failures.append(Self.unset(.appID, configuration))
        } else if let appID = configuration.appID, !appID.allSatisfy(\.isASCIIDigit) {
            failures.append("\(configuration.values[.appID]!.provenance) is not an app id: an app id is digits only.")
        }
        // Ids go into URL paths: a token pasted in an id's place must never travel in a URL.
        for key in [ConfigKey.pageID, .whatsappBusinessAccountID, .whatsappPhoneNumberID, .instagramAccountID] {
            guard let id = configuration.string(key), !id.allSatisfy(\.isASCIIDigit) else { continue }
            if key == .whatsappPhoneNumberID, Self.looksLikeDisplayPhoneNumber(id) {
                // MB-G32. A phone number is not a secret: naming it shows the mistake.
                failures.append(
                    "\(configuration.values[key]!.provenance) is \(id), a display phone number, not the phone number id (digits only, as API Setup shows it under the number); `meta-doctor discover` lists each number's id.")
                continue
            }
            failures.append("\(configuration.values[key]!.provenance) is not a numeric id: Meta's ids are digits only.")
        }
        for key in [ConfigKey.whatsappPhoneNumberID, .whatsappBusinessAccountID] {
            guard let id = configuration.string(key), let warning = Self.shortWhatsAppID(key, id, provenance: configuration.values[key]!.provenance)
            else { continue }
            warnings.append(warning)
        }
        if configuration.appSecret == nil { failures.append(Self.unset(.appSecret, configuration)) }
        if configuration.instagramAPI == nil, let value = configuration.values[.instagramAPI] {
            failures.append("\(value.provenance) must be page or instagram-login.")
        }
        if URLParts(configuration.instagramGraphURL) == nil {
            failures.append("The Instagram Graph API URL from \(configuration.values[.instagramGraphURL]?.provenance ?? "--instagram-graph-url") is not an http(s) URL.")
        }
        for platform in Platform.allCases {
            guard let url = configuration.webhookURL(for: platform) else { continue }
            let source = configuration.webhookURLProvenance(for: platform) ?? platform.rawValue
            guard let parts = URLParts(url) else {
                failures.append("The \(platform.displayName) webhook URL from \(source) is not a URL with a host.")
                continue
            }
            if !parts.hasValidPort {
                failures.append("The \(platform.displayName) webhook URL from \(source) has port \(parts.port), outside 1-65535.")
            }
        }

        for key in ConfigKey.allCases {
            guard let value = configuration.values[key], let padding = value.paddingDescription else { continue }
            warnings.append(
                "\(value.provenance) has stray whitespace or quotes around it (\(padding)); the trimmed value is used here, but your backend may not trim it.")
        }
        if let token = configuration.verifyToken {
            let provenance = configuration.values[.verifyToken]!.provenance
            if Self.placeholderVerifyTokens.contains(token.exposedValue.lowercased()) {
                warnings.append("\(provenance) is a placeholder from a tutorial; choose a random string.")
            } else if token.exposedValue.count < Self.minimumVerifyTokenLength {
                warnings.append(
                    "\(provenance) is only \(token.exposedValue.count) characters long: choose a random string of \(Self.minimumVerifyTokenLength) or more.")
            } else if token.exposedValue.allSatisfy(\.isLetter) {
                warnings.append("\(provenance) is a single word: choose a random string that no one can guess.")
            }
        }
        // Empty lines are what `meta-doctor init` writes for a value it was not given.
        let empty = ConfigKey.allCases.filter { $0 != .appID && $0 != .appSecret }.compactMap { configuration.values[$0] }
            .filter(\.value.isEmpty).sorted { Self.line(of: $0) < Self.line(of: $1) }.map(\.provenance)
        if !empty.isEmpty {
            warnings.append(
                "\(empty.joined(separator: ", ")) \(empty.count == 1 ? "is" : "are") empty: fill \(empty.count == 1 ? "it" : "them") in (a comment from meta-doctor init above each says where to find it), or remove \(empty.count == 1 ? "the line" : "the lines").")
        }
        warnings += configuration.loadWarnings
        warnings += configuration.aliasConflicts
        if let graphURL = URLParts(configuration.graphURL) {
            if !graphURL.hasValidPort {
                failures.append(
                    "The Graph API URL from \(configuration.values[.graphURL]?.provenance ?? "--graph-url") has port \(graphURL.port), outside 1-65535.")
            }
            if graphURL.scheme == "http", !graphURL.isLoopback {
                warnings.append("The Graph API URL \(graphURL.origin) is plain http to a host that is not loopback: tokens would cross the network unencrypted.")
            }
        } else {
            failures.append("The Graph API URL from \(configuration.values[.graphURL]?.provenance ?? "--graph-url") is not an http(s) URL.")
        }
        let enabled = configuration.platformStates().filter(\.enabled)
        if enabled.isEmpty {
            warnings.append("No platform is configured: set the Messenger, WhatsApp or Instagram values to check one.")
        }

        let evidence: Evidence = [
            "sources": .object(configuration.values.reduce(into: [:]) { $0[$1.key.name] = .string($1.value.provenance) }),
            "envFile": .optional(configuration.envFile),
            "graphVersion": .string(configuration.graphVersion),
        ]
        if !failures.isEmpty {
            return .fail(failures.joined(separator: " "), evidence: evidence, action: failures.map { "• \($0)" }.joined(separator: "\n"))
        }
        if !warnings.isEmpty {
            return .warn(warnings.joined(separator: " "), evidence: evidence, action: warnings.map { "• \($0)" }.joined(separator: "\n"))
        }
        return .pass("App \(configuration.appID ?? "?"): \(Self.platformsSentence(configuration, checked: environment.enabledPlatforms))", evidence: evidence)
    }

    /// Which platforms this run checks, and why the others are not: "this run checks WhatsApp;
    /// not Messenger (not selected by --platform), Instagram (not configured)."
    public static func platformsSentence(_ configuration: MetaConfiguration, checked: Set<Platform>) -> String {
        let states = configuration.platformStates()
        let included = states.filter { checked.contains($0.platform) }.map(\.platform.displayName)
        let left = states.filter { !checked.contains($0.platform) }.map { state in
            "\(state.platform.displayName) (\(state.enabled ? "not selected by --platform" : "not configured"))"
        }
        var sentence = included.isEmpty ? "this run checks no platform" : "this run checks \(included.joined(separator: ", "))"
        if !left.isEmpty { sentence += "; not \(left.joined(separator: ", "))" }
        return sentence + "."
    }
}

extension ConfigCheck {
    /// "+1 650-555-0142", "(650) 555 0142": digits with a leading `+` or the spaces, dashes, dots and
    /// brackets a dashboard writes a phone number with, at most 15 digits (E.164), and nothing else.
    static func looksLikeDisplayPhoneNumber(_ value: String) -> Bool {
        let digits = value.filter(\.isASCIIDigit).count
        let punctuation: Set<Character> = ["+", " ", "-", ".", "(", ")"]
        return (7...15).contains(digits) && value.allSatisfy { $0.isASCIIDigit || punctuation.contains($0) }
            && value.dropFirst().allSatisfy { $0 != "+" }
    }
}

extension ConfigCheck {
    /// WhatsApp Cloud API ids of fewer digits than this are taken for a phone number (MB-G34).
    static let shortestWhatsAppID = 14

    /// A warning for a WhatsApp id of digits that is too short for one and fits a phone number
    /// (MB-G34), or nil. Only a warning: `whatsapp.phone-number` gives the verdict and the right id.
    /// App and Page ids are left alone, old ones have 10 or 11 digits.
    static func shortWhatsAppID(_ key: ConfigKey, _ id: String, provenance: String) -> String? {
        guard !id.isEmpty, id.count < shortestWhatsAppID, id.allSatisfy(\.isASCIIDigit) else { return nil }
        let (ids, looksLike) =
            key == .whatsappPhoneNumberID
            ? ("phone number ids", "the display number written as digits, not the phone number id")
            : ("WABA ids", "a phone number written as digits, not the WhatsApp Business Account id")
        return "\(provenance) has \(id.count) digits: \(ids) have \(shortestWhatsAppID) or more; it looks like \(looksLike) (`meta-doctor discover` lists the ids the WhatsApp token reaches)."
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
