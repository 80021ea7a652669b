import DoctorKit
import MetaConfig
import MetaGraph

/// `instagram.token`: the token used for Instagram messaging is a Facebook Page token with the
/// Instagram messaging scopes, not a token from the dashboard's Instagram tab.
public struct InstagramTokenCheck: MetaProbe {
    public static let id: CheckID = "instagram.token"
    static let requiredScopes = ["instagram_manage_messages", "instagram_basic", "pages_manage_metadata"]

    public let description = CheckDescription(
        id: InstagramTokenCheck.id,
        title: "The Instagram token is a Page token with messaging scopes",
        platform: Platform.instagram.rawValue,
        prerequisites: [AppSecretCheck.id],
        guideStep: GuideSteps.instagramToken,
        summary: """
            The token used for Instagram (INSTAGRAM_ACCESS_TOKEN, else the Page token) must be a Facebook Page token \
            issued for this app with instagram_manage_messages, instagram_basic and pages_manage_metadata. An IGAA token \
            (Instagram API with Instagram Login, from the dashboard's Instagram tab) fails when the Page path is \
            configured; without any Page configuration that path is not checked by this version.
            """,
        calls: ["GET /debug_token?input_token={token} (app token)", "GET /me?fields=id,name (the token, appsecret_proof)"],
        permissions: ["instagram_manage_messages", "instagram_basic", "pages_manage_metadata"],
        remediation: """
            Use the Facebook Page's access token, generated with instagram_manage_messages, instagram_basic and \
            pages_manage_metadata (Meta for Developers > your app > Messenger > Instagram settings, or a system user's \
            Page token).
            """
    )

    public init() {}

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        guard let appID = configuration.appID, let appToken = context.facts[AppAccessTokenFact.self],
            let token = configuration.instagramAccessToken
        else { return .error("The app token or the Instagram token is missing.") }
        let source = configuration.instagramTokenProvenance
        if token.exposedValue.hasPrefix("IG") {
            let evidence: Evidence = ["token": .string(token.fingerprint), "source": .optional(source), "tokenKind": "Instagram Login"]
            guard configuration.pageID != nil || configuration.pageAccessToken != nil else {
                return .notApplicable(
                    "The Instagram token is an Instagram-Login token (graph.instagram.com); that path is not checked by this version.")
            }
            return .fail(
                "The Instagram token from \(source ?? "the configuration") is an Instagram-Login token (IGAA…), made for graph.instagram.com; messaging through the Page needs the Page's token.",
                evidence: evidence,
                action: """
                    Tokens from the dashboard's Instagram tab belong to the Instagram API with Instagram Login and graph.facebook.com \
                    rejects them. Remove INSTAGRAM_ACCESS_TOKEN to use the Page token, or set it to a Page token with \
                    \(Self.requiredScopes.joined(separator: ", ")).
                    """)
        }
        let info: DebugTokenInfo
        let meResult: Result<NamedNode, GraphError>
        switch await TokenReading.read(
            token, appToken: appToken, appID: appID, label: "Instagram token", source: source, renew: description.remediation,
            environment: environment, context: context)
        {
        case .finding(let result): return result
        case .read(let read, let me): (info, meResult) = (read, me)
        }
        var evidence = TokenInspection.evidence(info, token: token, source: source)
        guard info.type == .page else {
            return .fail(
                "The Instagram token is a \(info.type?.rawValue ?? "untyped") token, not a Facebook Page token.", evidence: evidence,
                action: description.remediation)
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
        case .failure(let error): return error.tokenFailure(label: "Instagram token", renew: description.remediation)
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
}
