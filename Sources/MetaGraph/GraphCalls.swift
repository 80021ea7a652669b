/// Every Graph call meta-doctor makes, as values. A probe builds its calls here with the run's ids,
/// and with placeholders ("{waba-id}") for `explain`: one definition serves the request sent, the
/// memo's key, the text `explain` prints and the benchmark's count of round trips.
public enum GraphCalls {
    /// The client-credentials exchange, as a POST with a form body, so the secret never travels in
    /// a URL (MB-G17).
    public static func clientCredentials(appID: String) -> GraphCall<AppAccessTokenReply> {
        GraphCall(
            GraphRequestSpec(
                "/oauth/access_token", method: .post,
                parameters: ["client_id": .text(appID), "client_secret": .secret(.appSecret), "grant_type": .text("client_credentials")],
                authorization: .none))
    }

    /// `GET /debug_token?input_token=…` with the app token: Meta's documented form (MB-G3).
    public static func debugToken(_ token: GraphSecret) -> GraphCall<DebugTokenInfo> {
        GraphCall(
            GraphRequestSpec("/debug_token", parameters: ["input_token": .secret(token)], authorization: .appToken),
            unwrapsData: true)
    }

    /// `/me` with a token: the Page of a Page token (MB-G25).
    public static func me(_ token: GraphSecret) -> GraphCall<NamedNode> {
        GraphCall(GraphRequestSpec("/me", fields: ["id", "name"], authorization: .token(token)))
    }

    public static func app(_ appID: String) -> GraphCall<NamedNode> {
        GraphCall(GraphRequestSpec("/\(appID)", fields: ["id", "name"], authorization: .appToken))
    }

    /// The app's webhook subscriptions (MB-G20).
    public static func appSubscriptions(_ appID: String) -> GraphCall<[AppSubscription]> {
        GraphCall(GraphRequestSpec("/\(appID)/subscriptions", authorization: .appToken), unwrapsData: true)
    }

    /// The Page and its linked Instagram account (MB-G25).
    public static func page(_ pageID: String, token: GraphSecret) -> GraphCall<PageNode> {
        GraphCall(GraphRequestSpec("/\(pageID)", fields: ["id", "name", "instagram_business_account"], authorization: .token(token)))
    }

    /// The apps subscribed to the Page (MB-G8).
    public static func pageSubscribedApps(_ pageID: String) -> GraphCall<[PageSubscribedApp]> {
        GraphCall(GraphRequestSpec("/\(pageID)/subscribed_apps", authorization: .token(.pageToken)), unwrapsData: true)
    }

    /// The WABA and its account review (MB-G13).
    public static func waba(_ wabaID: String) -> GraphCall<WABANode> {
        GraphCall(
            GraphRequestSpec(
                "/\(wabaID)", fields: ["id", "name", "account_review_status", "business_verification_status"],
                authorization: .token(.whatsappToken)))
    }

    /// Every page of the WABA's phone numbers (MB-G10, MB-G11).
    public static func wabaPhoneNumbers(_ wabaID: String) -> GraphListCall<PhoneNumberNode> {
        GraphListCall(
            GraphRequestSpec(
                "/\(wabaID)/phone_numbers",
                fields: [
                    "id", "display_phone_number", "verified_name", "quality_rating", "code_verification_status", "status",
                    "account_mode", "platform_type", "name_status",
                ],
                authorization: .token(.whatsappToken)))
    }

    /// Every page of the WABAs a business owns, as `id` and `name` (MB-G44): read only when
    /// WHATSAPP_BUSINESS_ACCOUNT_ID turned out to be a business id. Meta asks for business_management
    /// besides whatsapp_business_management, with an admin system user's token.
    public static func ownedWABAs(_ businessID: String) -> GraphListCall<NamedNode> {
        GraphListCall(
            GraphRequestSpec("/\(businessID)/owned_whatsapp_business_accounts", fields: ["id", "name"], authorization: .token(.whatsappToken)))
    }

    /// The phone number's health and webhook configuration (MB-G14, MB-G19).
    public static func phoneNumber(_ phoneNumberID: String) -> GraphCall<PhoneNumberNode> {
        GraphCall(
            GraphRequestSpec(
                "/\(phoneNumberID)",
                fields: ["id", "display_phone_number", "verified_name", "quality_rating", "status", "health_status", "webhook_configuration"],
                authorization: .token(.whatsappToken)))
    }

    /// The apps subscribed to the WABA (MB-G19).
    public static func wabaSubscribedApps(_ wabaID: String) -> GraphCall<[WABASubscribedApp]> {
        GraphCall(GraphRequestSpec("/\(wabaID)/subscribed_apps", authorization: .token(.whatsappToken)), unwrapsData: true)
    }

    /// The Instagram account, read with the Page path's token (MB-G25).
    public static func instagramUser(_ igUserID: String, token: GraphSecret = .instagramToken) -> GraphCall<InstagramUser> {
        GraphCall(GraphRequestSpec("/\(igUserID)", fields: ["id", "username", "name"], authorization: .token(token)))
    }

    /// Every page of the Pages a user token's person manages, as `id` and `name` only: Meta's
    /// default fields include each Page's access token, which `discover` never asks for (MB-G31).
    public static func managedPages() -> GraphListCall<NamedNode> {
        GraphListCall(GraphRequestSpec("/me/accounts", fields: ["id", "name"], authorization: .token(.userToken)))
    }

    /// graph.instagram.com's `/me` with an Instagram User token (MB-G16). Meta's reference shows the
    /// token as `access_token`; its Instagram-Login guides send `Authorization: Bearer`, which keeps
    /// it out of the URL.
    public static func instagramLoginMe() -> GraphCall<InstagramLoginUser> {
        GraphCall(GraphRequestSpec("/me", api: .instagram, fields: ["user_id", "username"], authorization: .token(.instagramToken)))
    }

    // MARK: Writes (`meta-doctor fix --apply` only)

    /// Subscribes the caller's app to the WABA's webhooks, optionally with its own callback
    /// (`override_callback_uri` and `verify_token`) (MB-G19).
    public static func subscribeAppToWABA(_ wabaID: String, overrideCallbackURI: String? = nil) -> GraphCall<WriteReply> {
        var parameters: [String: GraphValue] = [:]
        if let overrideCallbackURI {
            parameters["override_callback_uri"] = .text(overrideCallbackURI)
            parameters["verify_token"] = .secret(.verifyToken)
        }
        return GraphCall(
            GraphRequestSpec(
                "/\(wabaID)/subscribed_apps", method: .post, parameters: parameters, authorization: .token(.whatsappToken)))
    }

    /// Subscribes the app to the Page with `fields` (MB-G8); the Page token's app is the one subscribed.
    public static func subscribePage(_ pageID: String, fields: [String]) -> GraphCall<WriteReply> {
        GraphCall(
            GraphRequestSpec(
                "/\(pageID)/subscribed_apps", method: .post, parameters: ["subscribed_fields": .text(fields.joined(separator: ","))],
                authorization: .token(.pageToken)))
    }

    /// Sets the app's subscription to `object`: callback, verify token and fields (MB-G20). Meta
    /// verifies the callback during the call (MB-G28).
    public static func subscribeApp(_ appID: String, object: WebhookObject, callbackURL: String, fields: [String]) -> GraphCall<WriteReply> {
        GraphCall(
            GraphRequestSpec(
                "/\(appID)/subscriptions", method: .post,
                parameters: [
                    "object": .text(object.rawValue), "callback_url": .text(callbackURL), "verify_token": .secret(.verifyToken),
                    "fields": .text(fields.joined(separator: ",")),
                ],
                authorization: .appToken))
    }
}
