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

    public var name: String { rawValue }

    /// Values that must never appear in output.
    public var isSecret: Bool {
        switch self {
        case .appSecret, .verifyToken, .pageAccessToken, .whatsappAccessToken, .instagramAccessToken: true
        default: false
        }
    }

    /// What the setting is, for the README and `--help`.
    public var meaning: String {
        switch self {
        case .appID: "The Meta app's App ID (App settings > Basic)."
        case .appSecret: "The Meta app's App Secret (App settings > Basic)."
        case .verifyToken: "The verify token your webhook endpoint expects."
        case .pageID: "The Facebook Page id for Messenger."
        case .pageAccessToken: "A Page access token for that Page."
        case .whatsappAccessToken: "A system user's access token for the WhatsApp Cloud API."
        case .whatsappBusinessAccountID: "The WhatsApp Business Account (WABA) id."
        case .whatsappPhoneNumberID: "The WhatsApp phone number id (not the phone number)."
        case .instagramAccountID: "The Instagram professional account id linked to the Page."
        case .instagramAccessToken: "The token for Instagram messaging; defaults to the Page token."
        case .graphVersion: "The Graph API version, such as v24.0."
        case .graphURL: "The Graph API base URL (default https://graph.facebook.com)."
        case .webhookBaseURL: "The public https origin of your webhooks, such as the ngrok URL."
        case .messengerWebhookURL: "The Messenger webhook URL (default WEBHOOK_BASE_URL/webhook/messenger)."
        case .whatsappWebhookURL: "The WhatsApp webhook URL (default WEBHOOK_BASE_URL/webhook/whatsapp)."
        case .instagramWebhookURL: "The Instagram webhook URL (default WEBHOOK_BASE_URL/webhook/instagram)."
        }
    }
}

/// Another name for a setting, as Meta's sample apps and popular libraries spell it.
public struct ConfigAlias: Sendable, Equatable {
    public let name: String
    public let key: ConfigKey
    /// Where the name comes from, for the README.
    public let origin: String

    /// Every alias, in priority order: when no canonical name is set and two aliases of one setting
    /// disagree, the one listed first wins (and the other is a warning). The canonical name always
    /// wins over any alias.
    public static let all: [ConfigAlias] = [
        ConfigAlias(name: "APP_ID", key: .appID, origin: "Meta's Messenger and WhatsApp samples"),
        ConfigAlias(name: "M4D_APP_ID", key: .appID, origin: "Messenger for developers samples"),
        ConfigAlias(name: "APP_SECRET", key: .appSecret, origin: "Meta's Messenger and WhatsApp samples"),
        ConfigAlias(name: "MESSENGER_APP_SECRET", key: .appSecret, origin: "messenger-platform-samples"),
        ConfigAlias(name: "M4D_APP_SECRET", key: .appSecret, origin: "Messenger for developers samples"),
        ConfigAlias(name: "VERIFY_TOKEN", key: .verifyToken, origin: "Meta's webhook samples"),
        ConfigAlias(name: "MESSENGER_VALIDATION_TOKEN", key: .verifyToken, origin: "messenger-platform-samples"),
        ConfigAlias(name: "WEBHOOK_VERIFICATION_TOKEN", key: .verifyToken, origin: "WhatsApp Cloud API samples"),
        ConfigAlias(name: "PAGE_ID", key: .pageID, origin: "Meta's Messenger samples"),
        ConfigAlias(name: "PAGE_ACCESS_TOKEN", key: .pageAccessToken, origin: "Meta's Messenger samples"),
        ConfigAlias(name: "MESSENGER_PAGE_ACCESS_TOKEN", key: .pageAccessToken, origin: "messenger-platform-samples"),
        ConfigAlias(name: "CLOUD_API_ACCESS_TOKEN", key: .whatsappAccessToken, origin: "WhatsApp Cloud API samples"),
        ConfigAlias(name: "WA_BUSINESS_ACCOUNT_ID", key: .whatsappBusinessAccountID, origin: "WhatsApp Node.js SDK"),
        ConfigAlias(name: "WA_PHONE_NUMBER_ID", key: .whatsappPhoneNumberID, origin: "WhatsApp Node.js SDK"),
        ConfigAlias(name: "PHONE_NUMBER_ID", key: .whatsappPhoneNumberID, origin: "WhatsApp Cloud API samples"),
        ConfigAlias(name: "CLOUD_API_VERSION", key: .graphVersion, origin: "WhatsApp Cloud API samples"),
    ]

    public static func aliases(of key: ConfigKey) -> [ConfigAlias] { all.filter { $0.key == key } }
}
