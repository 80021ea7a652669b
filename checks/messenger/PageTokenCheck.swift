import DoctorKit
import MetaConfig
import MetaGraph

/// `messenger.page-token`: the Page token is a valid Page token of this app and this Page, with
/// the Messenger scopes, and not about to expire.
public struct PageTokenCheck: MetaProbe {
    public static let id: CheckID = "messenger.page-token"
    /// pages_messaging sends and receives; reading and changing the Page's subscribed_apps needs
    /// pages_manage_metadata and pages_show_list (MB-G8).
    static let requiredScopes = ["pages_messaging", "pages_manage_metadata", "pages_show_list"]
    static let expiryWarningDays = 7.0

    public let description = CheckDescription(
        id: PageTokenCheck.id,
        title: "The Page token is valid for this Page",
        platform: Platform.messenger.rawValue,
        prerequisites: [AppSecretCheck.id],
        guideStep: GuideSteps.messengerPageToken,
        summary: """
            Inspects META_PAGE_ACCESS_TOKEN with debug_token and reads /me with it, at the same time: the token must be \
            valid, of type PAGE, issued for this app, belong to META_PAGE_ID and carry pages_messaging, \
            pages_manage_metadata and pages_show_list (the Page's subscribed_apps needs the last two). Expiry within 7 days \
            warns.
            """,
        calls: PageTokenCheck.graphReads(.placeholders).descriptions,
        permissions: ["pages_messaging", "pages_manage_metadata", "pages_show_list"],
        remediation: """
            Generate a Page access token for the Page in Meta for Developers > your app > Messenger > Messenger API Settings > Generate \
            access tokens (or a system user's Page token), with pages_messaging, pages_manage_metadata and pages_show_list.
            """
    )

    static let renew = """
        Get a long-lived Page token: exchange a long-lived user token and read /me/accounts, or generate one for a \
        system user in Business settings > Users > System users (it never expires). Then update META_PAGE_ACCESS_TOKEN.
        """

    public init() {}

    public static func graphReads(_ ids: GraphIDs) -> [any GraphRead] { TokenReading.calls(.pageToken) }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        guard let appID = configuration.appID, let pageID = configuration.pageID, let token = configuration.pageAccessToken
        else { return .error("The Page configuration is missing.") }
        let source = configuration.values[.pageAccessToken]?.provenance

        let info: DebugTokenInfo
        let meResult: Result<NamedNode, GraphError>
        switch await TokenReading.read(
            token, as: .pageToken, appID: appID, label: "Page token", source: source, renew: Self.renew,
            environment: environment, context: context)
        {
        case .finding(let result): return result
        case .read(let read, let me): (info, meResult) = (read, me)
        }
        var evidence = TokenInspection.evidence(info, token: token, source: source)
        if info.type != .page {
            return .fail(
                "META_PAGE_ACCESS_TOKEN is a \(info.type?.rawValue ?? "untyped") token, not a Page token.", evidence: evidence,
                action: "Use the Page's own access token (GET /me/accounts with a user token lists it). \(Self.renew)")
        }
        let me: NamedNode
        switch meResult {
        case .success(let value): me = value
        case .failure(let error): return error.tokenFailure(label: "Page token", renew: Self.renew)
        }
        evidence["page"] = .string("\(me.name ?? "?") (\(me.id))")
        if me.id != pageID {
            // MB-G30: the Page read (planned for instagram.linked) names the node type of an id
            // that is not a Page's, an Instagram account's most often.
            if let type = await MisplacedIDs.nodeType(of: GraphCalls.page(pageID, token: .pageToken), graph: environment.graph, by: context.deadline) {
                let result = ProbeResult.fail(
                    "META_PAGE_ID is \(pageID), \(MisplacedIDs.kind(ofNodeType: type)) (Meta reads it as node type \(type)), not a Page id; the Page token's Page is '\(me.name ?? me.id)' (\(me.id)).",
                    evidence: evidence,
                    action: "Set META_PAGE_ID=\(me.id)\(type == "IGUser" ? "; \(pageID) belongs in INSTAGRAM_ACCOUNT_ID" : "").")
                    .changing(.pageID, to: me.id, in: environment.configuration)
                // The two swapped: the Instagram id goes where the Page id was.
                let swapped = type == "IGUser" && environment.configuration.instagramAccountID == me.id
                return swapped ? result.changing(.instagramAccountID, to: pageID, in: environment.configuration) : result
            }
            return .fail(
                "The Page token belongs to Page '\(me.name ?? me.id)' (\(me.id)), not to the configured Page \(pageID).",
                evidence: evidence,
                action: "Use the token of Page \(pageID), or set META_PAGE_ID to \(me.id) if that is the Page you meant.")
        }
        let missing = TokenInspection.missingScopes(info, required: Self.requiredScopes)
        if !missing.isEmpty {
            return .fail(
                "The Page token lacks \(missing.joined(separator: ", ")).", evidence: evidence,
                action: "Generate the Page token again granting \(missing.joined(separator: ", ")) (App Review is needed for people without a role on the app).")
        }
        if let days = TokenInspection.daysLeft(info, now: environment.now()), days <= Self.expiryWarningDays {
            return .warn(
                "The Page token expires \(TokenInspection.expiryPhrase(info.expiresAt, now: environment.now())).",
                evidence: evidence, action: Self.renew)
        }
        return .pass(
            "Page token of '\(me.name ?? pageID)' (\(pageID)) for this app, expires \(TokenInspection.expiryPhrase(info.expiresAt, now: environment.now())).",
            evidence: evidence)
    }
}
