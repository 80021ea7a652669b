/// The two ways Meta offers Instagram messaging (docs/meta-behaviour.md MB-G15). The doctor cannot
/// see which one a backend calls, so the configuration says it (INSTAGRAM_API).
public enum InstagramAPI: String, Sendable, CaseIterable, Codable {
    /// Facebook Login: a Facebook Page token, graph.facebook.com, the Instagram account linked to the Page.
    case page
    /// Instagram API with Instagram Login: an Instagram user token (IGAA…) from the dashboard's
    /// Instagram tab, graph.instagram.com, no Page.
    case instagramLogin = "instagram-login"
}

/// A messaging platform meta-doctor checks.
public enum Platform: String, Sendable, CaseIterable, Codable, Comparable {
    case messenger
    case whatsapp
    case instagram

    public static func < (lhs: Platform, rhs: Platform) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    public var displayName: String {
        switch self {
        case .messenger: "Messenger"
        case .whatsapp: "WhatsApp"
        case .instagram: "Instagram"
        }
    }

    /// The default path under WEBHOOK_BASE_URL.
    public var defaultWebhookPath: String { "/webhook/\(rawValue)" }

    public var webhookKey: ConfigKey {
        switch self {
        case .messenger: .messengerWebhookURL
        case .whatsapp: .whatsappWebhookURL
        case .instagram: .instagramWebhookURL
        }
    }
}
