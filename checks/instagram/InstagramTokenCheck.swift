import DoctorKit
import MetaConfig
import MetaGraph

/// `instagram.token`: the token used for Instagram messaging fits the Instagram API the
/// configuration declares: a Facebook Page token with the messaging scopes on the Page path, an
/// Instagram User token that graph.instagram.com accepts on the instagram-login path.
public struct InstagramTokenCheck: MetaProbe {
    public static let id: CheckID = "instagram.token"
    static let requiredScopes = ["instagram_manage_messages", "instagram_basic", "pages_manage_metadata"]

    public let description = CheckDescription(
        id: InstagramTokenCheck.id,
        title: "The Instagram token fits the declared Instagram API",
        platform: Platform.instagram.rawValue,
        prerequisites: [AppSecretCheck.id],
        guideStep: GuideSteps.instagramToken,
        summary: """
            INSTAGRAM_API declares which of Meta's two Instagram APIs the backend uses. On the Page path (the default) the \
            token (INSTAGRAM_ACCESS_TOKEN, else the Page token) must be a Facebook Page token issued for this app with \
            instagram_manage_messages, instagram_basic and pages_manage_metadata; an Instagram-Login token (IGAA…) fails. \
            On the instagram-login path INSTAGRAM_ACCESS_TOKEN must be an Instagram User token that graph.instagram.com \
            accepts (/me answers its user_id and username); a Facebook token (EAA…) fails. Meta documents no read of an \
            Instagram User token's scopes, so they are not judged.
            """,
        calls: InstagramTokenCheck.graphReads(.placeholders).descriptions,
        permissions: ["instagram_manage_messages", "instagram_basic", "pages_manage_metadata (Page path)",
            "instagram_business_basic, instagram_business_manage_messages (instagram-login path)"],
        remediation: InstagramTokenCheck.renew
    )

    /// How to get a token the Page path accepts, or to declare the other path.
    static let renew = """
        Use the Facebook Page's access token, generated with instagram_manage_messages, instagram_basic and \
        pages_manage_metadata (Meta for Developers > your app > Instagram > API setup with Facebook login, or a system user's \
        Page token); or, if your backend uses the Instagram API with Instagram Login, set INSTAGRAM_API=instagram-login \
        and INSTAGRAM_ACCESS_TOKEN to the token from your app > Instagram > API setup with Instagram login.
        """

    /// Where an Instagram User token comes from.
    static let instagramLoginRenew = """
        Generate the token again in Meta for Developers > your app > Instagram > API setup with Instagram login > \
        Generate token (with instagram_business_basic and instagram_business_manage_messages), then update \
        INSTAGRAM_ACCESS_TOKEN. Long-lived tokens last 60 days unless refreshed.
        """

    public init() {}

    /// The Page path inspects the token with debug_token and /me; the instagram-login path asks
    /// graph.instagram.com's /me. A token that is plainly of the other kind is judged without a call.
    public static func graphReads(_ ids: GraphIDs) -> [any GraphRead] {
        switch ids.instagramAPI {
        case .page: TokenReading.calls(.instagramToken)
        case .instagramLogin: [GraphCalls.instagramLoginMe()]
        case nil: TokenReading.calls(.instagramToken) + [GraphCalls.instagramLoginMe()]
        }
    }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        guard let appID = configuration.appID, let token = configuration.instagramAccessToken
        else { return .error("The Instagram token is missing.") }
        let source = configuration.instagramTokenProvenance
        if configuration.instagramAPI == .instagramLogin {
            return await instagramLoginPath(token, source: source, environment, context)
        }
        if token.exposedValue.hasPrefix("IG") {
            let evidence: Evidence = ["token": .string(token.fingerprint), "source": .optional(source), "tokenKind": "Instagram Login"]
            return .fail(
                """
                The Instagram token from \(source ?? "the configuration") is an Instagram-Login token (IGAA…): it works only \
                against graph.instagram.com (the Instagram API with Instagram Login), but the configuration declares the Page \
                path (INSTAGRAM_API=page, the default), which sends through the Page with a Page token.
                """,
                evidence: evidence,
                action: """
                    If your backend calls graph.instagram.com with this token, set INSTAGRAM_API=instagram-login. Otherwise \
                    remove INSTAGRAM_ACCESS_TOKEN to use the Page token, or set it to a Page token with \
                    \(Self.requiredScopes.joined(separator: ", ")).
                    """)
        }
        let info: DebugTokenInfo
        let meResult: Result<NamedNode, GraphError>
        switch await TokenReading.read(
            token, as: .instagramToken, appID: appID, label: "Instagram token", source: source, renew: Self.renew,
            environment: environment, context: context)
        {
        case .finding(let result): return result
        case .read(let read, let me): (info, meResult) = (read, me)
        }
        var evidence = TokenInspection.evidence(info, token: token, source: source)
        guard info.type == .page else {
            return .fail(
                "The Instagram token is a \(info.type?.rawValue ?? "untyped") token, not a Facebook Page token.", evidence: evidence,
                action: Self.renew)
        }
        let missing = TokenInspection.missingScopes(info, required: Self.requiredScopes)
        if !missing.isEmpty {
            return .fail(
                "The Page token used for Instagram lacks \(missing.joined(separator: ", ")).", evidence: evidence,
                action: "Generate the Page token again granting \(missing.joined(separator: ", ")).")
        }
        let page: NamedNode
        switch meResult {
        case .success(let value): page = value
        case .failure(let error): return error.tokenFailure(label: "Instagram token", renew: Self.renew)
        }
        evidence["page"] = .string("\(page.name ?? "?") (\(page.id))")
        if let pageID = configuration.pageID, page.id != pageID {
            return .fail(
                "The Instagram token belongs to Page \(page.id), not to the configured Page \(pageID).", evidence: evidence,
                action: "Use the token of Page \(pageID), the Page linked to the Instagram account.")
        }
        return .pass(
            "Page token of '\(page.name ?? page.id)' with \(Self.requiredScopes.joined(separator: ", ")).", evidence: evidence,
            facts: Facts().with(InstagramTokenFact.self, (info, page.id)))
    }

    /// The instagram-login path (MB-G15, MB-G16): graph.instagram.com must accept the token.
    private func instagramLoginPath(
        _ token: Secret, source: String?, _ environment: ProbeEnvironment, _ context: CheckContext
    ) async -> ProbeResult {
        var evidence: Evidence = ["token": .string(token.fingerprint), "source": .optional(source), "instagramAPI": "instagram-login"]
        if token.exposedValue.hasPrefix("EAA") {
            return .fail(
                """
                INSTAGRAM_API is instagram-login, but the token from \(source ?? "the configuration") is a Facebook token \
                (EAA…), the kind the Page path uses, not an Instagram User token from Instagram Login (IGAA…).
                """,
                evidence: evidence,
                action: """
                    If your backend sends Instagram messages through the Facebook Page, set INSTAGRAM_API=page. Otherwise set \
                    INSTAGRAM_ACCESS_TOKEN to an Instagram User token. \(Self.instagramLoginRenew)
                    """)
        }
        let user: InstagramLoginUser
        do { user = try await environment.graph.read(GraphCalls.instagramLoginMe(), by: context.deadline) } catch {
            return error.tokenFailure(label: "Instagram-Login token", renew: Self.instagramLoginRenew)
        }
        guard let accountID = user.userID else {
            return .error("graph.instagram.com's /me named no user_id for the token.", evidence: evidence)
        }
        evidence["userId"] = .string(accountID)
        evidence["username"] = .optional(user.username)
        evidence["scopes"] = "not readable through a documented call"
        return .pass(
            "graph.instagram.com accepts the Instagram-Login token of @\(user.username ?? accountID) (\(accountID)).",
            evidence: evidence, facts: Facts().with(InstagramLoginAccountFact.self, (accountID, user.username)))
    }
}
