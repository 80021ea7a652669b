/// Replies of the Graph API edges meta-doctor reads. Every field is optional where Meta's
/// documentation does not promise it, so a sparse reply decodes and the probe decides.

public struct AppAccessTokenReply: Sendable, Decodable {
    public let accessToken: String
    public let tokenType: String?
    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
    }
}

/// `data` of `/debug_token`.
public struct DebugTokenInfo: Sendable, Decodable, Equatable {
    public struct GranularScope: Sendable, Decodable, Equatable {
        public let scope: String
        public let targetIDs: [String]?
        enum CodingKeys: String, CodingKey {
            case scope
            case targetIDs = "target_ids"
        }
    }

    /// debug_token's own error object uses `subcode`, not `error_subcode`.
    public struct TokenError: Sendable, Decodable, Equatable {
        public let code: Int?
        public let message: String?
        public let subcode: Int?
    }

    public let appID: String?
    public let type: DebugTokenType?
    public let application: String?
    public let expiresAt: Int?
    public let dataAccessExpiresAt: Int?
    public let isValid: Bool?
    public let issuedAt: Int?
    public let scopes: [String]?
    public let granularScopes: [GranularScope]?
    public let userID: String?
    public let profileID: String?
    public let error: TokenError?

    enum CodingKeys: String, CodingKey {
        case type, application, scopes, error
        case appID = "app_id"
        case expiresAt = "expires_at"
        case dataAccessExpiresAt = "data_access_expires_at"
        case isValid = "is_valid"
        case issuedAt = "issued_at"
        case granularScopes = "granular_scopes"
        case userID = "user_id"
        case profileID = "profile_id"
    }

    /// The ids a scope is limited to, or nil when the grant is not asset-scoped.
    public func targetIDs(of scope: String) -> [String]? {
        granularScopes?.first { $0.scope == scope }?.targetIDs
    }
}

struct DataEnvelope<Value: Decodable>: Decodable {
    let data: Value
}

/// A list with Meta's cursor paging: `paging.cursors.{before,after}`, and `paging.next` only when
/// another page follows (MB-G10).
struct PagedEnvelope<Value: Decodable>: Decodable {
    struct Paging: Decodable {
        struct Cursors: Decodable {
            let before: String?
            let after: String?
        }
        let cursors: Cursors?
        let next: String?
    }
    let data: Value
    let paging: Paging?
}

/// A node's id and name.
public struct NamedNode: Sendable, Decodable, Equatable {
    public let id: String
    public let name: String?
}

/// `/{page-id}?fields=id,name,instagram_business_account`.
public struct PageNode: Sendable, Decodable, Equatable {
    public struct LinkedAccount: Sendable, Decodable, Equatable { public let id: String }
    public let id: String
    public let name: String?
    public let instagramBusinessAccount: LinkedAccount?
    enum CodingKeys: String, CodingKey {
        case id, name
        case instagramBusinessAccount = "instagram_business_account"
    }
}

/// An item of `/{page-id}/subscribed_apps`.
public struct PageSubscribedApp: Sendable, Decodable, Equatable {
    public let id: String
    public let name: String?
    public let subscribedFields: [String]?
    enum CodingKeys: String, CodingKey {
        case id, name
        case subscribedFields = "subscribed_fields"
    }
}

/// An item of `/{app-id}/subscriptions`.
public struct AppSubscription: Sendable, Decodable, Equatable {
    public struct Field: Sendable, Decodable, Equatable {
        public let name: String
        public let version: String?
    }
    public let object: WebhookObject
    public let callbackURL: String?
    public let active: Bool?
    public let fields: [Field]?
    enum CodingKeys: String, CodingKey {
        case object, active, fields
        case callbackURL = "callback_url"
    }
}

/// `health_status` of a WABA or phone number.
public struct HealthStatus: Sendable, Decodable, Equatable {
    public struct Entity: Sendable, Decodable, Equatable {
        public struct EntityError: Sendable, Decodable, Equatable {
            public let errorCode: Int?
            public let errorDescription: String?
            public let possibleSolution: String?
            enum CodingKeys: String, CodingKey {
                case errorCode = "error_code"
                case errorDescription = "error_description"
                case possibleSolution = "possible_solution"
            }
        }
        public let entityType: String?
        public let id: String?
        public let canSendMessage: CanSendMessage?
        public let additionalInfo: [String]?
        public let errors: [EntityError]?
        enum CodingKeys: String, CodingKey {
            case id, errors
            case entityType = "entity_type"
            case canSendMessage = "can_send_message"
            case additionalInfo = "additional_info"
        }
    }
    public let canSendMessage: CanSendMessage?
    public let entities: [Entity]?
    enum CodingKeys: String, CodingKey {
        case entities
        case canSendMessage = "can_send_message"
    }
}

/// `/{waba-id}?fields=id,name,account_review_status,business_verification_status,...`.
public struct WABANode: Sendable, Decodable, Equatable {
    public let id: String
    public let name: String?
    public let accountReviewStatus: AccountReviewStatus?
    /// The owning business's verification, as Meta spells it (MB-G13).
    public let businessVerificationStatus: String?
    public let healthStatus: HealthStatus?
    enum CodingKeys: String, CodingKey {
        case id, name
        case accountReviewStatus = "account_review_status"
        case businessVerificationStatus = "business_verification_status"
        case healthStatus = "health_status"
    }
}

/// A WhatsApp phone number node.
public struct PhoneNumberNode: Sendable, Decodable, Equatable {
    public struct WebhookConfiguration: Sendable, Decodable, Equatable {
        public let application: String?
        public let whatsappBusinessAccount: String?
        public let phoneNumber: String?
        enum CodingKeys: String, CodingKey {
            case application
            case whatsappBusinessAccount = "whatsapp_business_account"
            case phoneNumber = "phone_number"
        }
    }
    public let id: String
    public let displayPhoneNumber: String?
    public let verifiedName: String?
    public let qualityRating: QualityRating?
    /// VERIFIED, NOT_VERIFIED or EXPIRED: whether the number's ownership was verified by code.
    public let codeVerificationStatus: String?
    public let status: PhoneNumberStatus?
    public let accountMode: AccountMode?
    public let platformType: PlatformType?
    public let nameStatus: String?
    public let healthStatus: HealthStatus?
    public let webhookConfiguration: WebhookConfiguration?
    enum CodingKeys: String, CodingKey {
        case id, status
        case displayPhoneNumber = "display_phone_number"
        case verifiedName = "verified_name"
        case qualityRating = "quality_rating"
        case codeVerificationStatus = "code_verification_status"
        case accountMode = "account_mode"
        case platformType = "platform_type"
        case nameStatus = "name_status"
        case healthStatus = "health_status"
        case webhookConfiguration = "webhook_configuration"
    }
}

/// An item of `/{waba-id}/subscribed_apps`.
public struct WABASubscribedApp: Sendable, Decodable, Equatable {
    public struct AppData: Sendable, Decodable, Equatable {
        public let id: String?
        public let name: String?
        public let link: String?
    }
    public let whatsappBusinessAPIData: AppData?
    public let overrideCallbackURI: String?
    enum CodingKeys: String, CodingKey {
        case whatsappBusinessAPIData = "whatsapp_business_api_data"
        case overrideCallbackURI = "override_callback_uri"
    }
}

/// `/{ig-user-id}?fields=id,username,name`.
public struct InstagramUser: Sendable, Decodable, Equatable {
    public let id: String
    public let username: String?
    public let name: String?
}

/// `graph.instagram.com/me?fields=user_id,username` (MB-G16): `user_id` is the Instagram
/// professional account id (the one webhooks name), `id` the app-scoped id.
public struct InstagramLoginUser: Sendable, Decodable, Equatable {
    public let id: String?
    public let userID: String?
    public let username: String?
    enum CodingKeys: String, CodingKey {
        case id, username
        case userID = "user_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        username = try container.decodeIfPresent(String.self, forKey: .username)
        // Read as a string or a number: ids are strings in Meta's replies, but not every client
        // sample agrees.
        if let text = try? container.decodeIfPresent(String.self, forKey: .userID) {
            userID = text
        } else if let number = try? container.decodeIfPresent(Int64.self, forKey: .userID) {
            userID = String(number)
        } else {
            userID = nil
        }
    }
}

/// A write's reply: `{"success": true}` (MB-G19, MB-G20).
public struct WriteReply: Sendable, Decodable, Equatable {
    public let success: Bool?
}
