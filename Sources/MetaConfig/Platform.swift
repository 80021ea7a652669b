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

    var webhookKey: ConfigKey {
        switch self {
        case .messenger: .messengerWebhookURL
        case .whatsapp: .whatsappWebhookURL
        case .instagram: .instagramWebhookURL
        }
    }
}
