import DoctorKit
import MetaConfig
import MetaGraph

/// `instagram.linked`: the Page's linked Instagram account is the configured one, and readable.
public struct InstagramLinkedCheck: MetaProbe {
    public static let id: CheckID = "instagram.linked"

    public let description = CheckDescription(
        id: InstagramLinkedCheck.id,
        title: "The Instagram account is the configured one",
        platform: Platform.instagram.rawValue,
        prerequisites: [InstagramTokenCheck.id],
        guideStep: GuideSteps.instagramLink,
        summary: """
            Page path: reads the Page's instagram_business_account and the Instagram account itself, at the same time: \
            the link must exist and name INSTAGRAM_ACCOUNT_ID, and the account must be readable (its username is shown). \
            instagram-login path: the account graph.instagram.com named for the token must be INSTAGRAM_ACCOUNT_ID.
            """,
        calls: InstagramLinkedCheck.graphReads(.placeholders).descriptions + ["instagram-login path: none (the account instagram.token read)"],
        permissions: ["instagram_basic", "pages_show_list"],
        remediation: "Link the Instagram professional account to the Page: Facebook Page > Settings > Linked accounts > Instagram (or Meta Business Suite > Settings > Instagram accounts)."
    )

    public init() {}

    /// On the Page path, the Page's linked account and the account itself, at once.
    public static func graphReads(_ ids: GraphIDs) -> [any GraphRead] {
        guard ids.instagramAPI != .instagramLogin, let pageID = ids.pageID, let igID = ids.instagramAccountID else { return [] }
        return [GraphCalls.page(pageID, token: .instagramToken), GraphCalls.instagramUser(igID)]
    }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        if configuration.instagramAPI == .instagramLogin { return Self.instagramLoginAccount(configuration, context) }
        guard configuration.instagramAccessToken != nil, let igID = configuration.instagramAccountID,
            let pageID = context.facts[InstagramTokenFact.self]?.pageID ?? configuration.pageID
        else { return .error("The Instagram token's Page or the Instagram account id is missing.") }

        let graph = environment.graph
        let deadline = context.deadline
        let (pageResult, userResult) = await bothCalls(
            { () async throws(GraphError) in try await graph.read(GraphCalls.page(pageID, token: .instagramToken), by: deadline) },
            { () async throws(GraphError) in try await graph.read(GraphCalls.instagramUser(igID), by: deadline) })
        let page: PageNode
        switch pageResult {
        case .success(let value): page = value
        case .failure(let error):
            if error.kind.isCouldNotVerify { return .couldNotVerify(error, while: "reading Page \(pageID)") }
            return error.tokenFailure(label: "Instagram token", renew: InstagramTokenCheck.renew)
        }
        var evidence: Evidence = ["page": .string("\(page.name ?? "?") (\(page.id))")]
        guard let linked = page.instagramBusinessAccount?.id else {
            return .fail(
                "Page \(pageID) has no linked Instagram professional account.", evidence: evidence,
                action: "Link Instagram account \(igID) to Page \(pageID): Facebook Page > Settings > Linked accounts > Instagram.")
        }
        evidence["linkedAccount"] = .string(linked)
        if linked != igID {
            return .fail(
                "Page \(pageID) is linked to Instagram account \(linked), not to the configured \(igID).", evidence: evidence,
                action: "Set INSTAGRAM_ACCOUNT_ID to \(linked), or link account \(igID) to Page \(pageID) instead.")
        }
        switch userResult {
        case .success(let user):
            evidence["username"] = .optional(user.username)
            return .pass("Instagram account @\(user.username ?? igID) (\(igID)) is linked to Page \(pageID).", evidence: evidence)
        case .failure(let error):
            if error.kind.isCouldNotVerify { return .couldNotVerify(error, while: "reading Instagram account \(igID)") }
            return .fail(
                "Instagram account \(igID) is linked but not readable with the token: \(error)",
                evidence: evidence.merging(error.evidence) { current, _ in current },
                action: InstagramTokenCheck.renew)
        }
    }

    /// On the instagram-login path there is no Page: the account is the token's own, as
    /// graph.instagram.com's /me named it for instagram.token (no further request).
    static func instagramLoginAccount(_ configuration: MetaConfiguration, _ context: CheckContext) -> ProbeResult {
        guard let igID = configuration.instagramAccountID, let account = context.facts[InstagramLoginAccountFact.self] else {
            return .error("The Instagram-Login token's account or INSTAGRAM_ACCOUNT_ID is missing.")
        }
        let name = "@\(account.username ?? account.accountID) (\(account.accountID))"
        let evidence: Evidence = ["tokenAccount": .string(account.accountID), "username": .optional(account.username)]
        guard account.accountID == igID else {
            return .fail(
                "The Instagram-Login token belongs to \(name), not to INSTAGRAM_ACCOUNT_ID \(igID).", evidence: evidence,
                action: "Set INSTAGRAM_ACCOUNT_ID to \(account.accountID), or generate the token for account \(igID) (Instagram > API setup with Instagram login).")
        }
        return .pass("INSTAGRAM_ACCOUNT_ID is the Instagram-Login token's account, \(name).", evidence: evidence)
    }
}
