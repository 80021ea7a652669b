/// A configuration setting, by its canonical environment name.
public enum ConfigKey: String, Sendable, CaseIterable, Codable {
    case appID = "META_APP_ID"
    case appSecret = "META_APP_SECRET"
    case verifyToken = "META_VERIFY_TOKEN"
    case pageID = "META_PAGE_ID"
    case pageAccessToken = "META_PAGE_ACCESS_TOKEN"
    case whatsappAccessToken = "WHATSAPP_ACCESS_TOKEN"
    case whatsappBusinessAccountID = "WHATSAPP_BUSINESS_ACCOUNT_ID"
    case whatsappPhoneNumberID = "WHATSAPP_PHONE_NUMBER_ID"
    case instagramAccountID = "INSTAGRAM_ACCOUNT_ID"
    case instagramAccessToken = "INSTAGRAM_ACCESS_TOKEN"
    case graphVersion = "META_GRAPH_VERSION"
    case graphURL = "META_GRAPH_URL"
    case webhookBaseURL = "WEBHOOK_BASE_URL"
    case messengerWebhookURL = "MESSENGER_WEBHOOK_URL"
    case whatsappWebhookURL = "WHATSAPP_WEBHOOK_URL"
    case instagramWebhookURL = "INSTAGRAM_WEBHOOK_URL"
    /// Which Instagram API the backend uses: `page` or `instagram-login` (see `InstagramAPI`).
    case instagramAPI = "INSTAGRAM_API"
    case instagramGraphURL = "INSTAGRAM_GRAPH_URL"

    public var name: String { rawValue }

    /// Values that must never appear in output.
    public var isSecret: Bool {
        switch self {
        case .appSecret, .verifyToken, .pageAccessToken, .whatsappAccessToken, .instagramAccessToken: true
        default: false
        }
    }
}

/// Another name for a setting, as Meta's sample apps and popular libraries spell it.
public struct ConfigAlias: Sendable, Equatable {
    public let name: String
    public let key: ConfigKey

    /// Every alias, in priority order: when no canonical name is set and two aliases of one setting
    /// disagree, the one listed first wins (and the other is a warning). The canonical name always
    /// wins over any alias.
    public static let all: [ConfigAlias] = [
        ConfigAlias(name: "APP_ID", key: .appID),  // Meta's Messenger and WhatsApp samples
        ConfigAlias(name: "M4D_APP_ID", key: .appID),  // Messenger for developers samples
        ConfigAlias(name: "APP_SECRET", key: .appSecret),  // Meta's Messenger and WhatsApp samples
        ConfigAlias(name: "MESSENGER_APP_SECRET", key: .appSecret),  // messenger-platform-samples
        ConfigAlias(name: "M4D_APP_SECRET", key: .appSecret),  // Messenger for developers samples
        ConfigAlias(name: "VERIFY_TOKEN", key: .verifyToken),  // Meta's webhook samples
        ConfigAlias(name: "MESSENGER_VALIDATION_TOKEN", key: .verifyToken),  // messenger-platform-samples
        ConfigAlias(name: "WEBHOOK_VERIFICATION_TOKEN", key: .verifyToken),  // WhatsApp Cloud API samples
        ConfigAlias(name: "PAGE_ID", key: .pageID),  // Meta's Messenger samples
        ConfigAlias(name: "PAGE_ACCESS_TOKEN", key: .pageAccessToken),  // Meta's Messenger samples
        ConfigAlias(name: "MESSENGER_PAGE_ACCESS_TOKEN", key: .pageAccessToken),  // messenger-platform-samples
        ConfigAlias(name: "CLOUD_API_ACCESS_TOKEN", key: .whatsappAccessToken),  // WhatsApp Cloud API samples
        ConfigAlias(name: "WA_BUSINESS_ACCOUNT_ID", key: .whatsappBusinessAccountID),  // WhatsApp Node.js SDK
        ConfigAlias(name: "WA_PHONE_NUMBER_ID", key: .whatsappPhoneNumberID),  // WhatsApp Node.js SDK
        ConfigAlias(name: "PHONE_NUMBER_ID", key: .whatsappPhoneNumberID),  // WhatsApp Cloud API samples
        ConfigAlias(name: "CLOUD_API_VERSION", key: .graphVersion),  // WhatsApp Cloud API samples
    ]

    public static func aliases(of key: ConfigKey) -> [ConfigAlias] { all.filter { $0.key == key } }
}
