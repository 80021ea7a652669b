import DoctorKit
import MetaConfig
import MetaGraph

/// `instagram.linked`: the Page's linked Instagram account is the configured one, and readable.
public struct InstagramLinkedCheck: MetaProbe {
    public static let id: CheckID = "instagram.linked"

    public let description = CheckDescription(
        id: InstagramLinkedCheck.id,
        title: "The Instagram account is linked to the Page",
        platform: Platform.instagram.rawValue,
        prerequisites: [InstagramTokenCheck.id],
        guideStep: GuideSteps.instagramLink,
        summary: """
            Reads the Page's instagram_business_account and the Instagram account itself, at the same time: the link \
            must exist and name INSTAGRAM_ACCOUNT_ID, and the account must be readable (its username is shown).
            """,
        calls: ["GET /{page-id}?fields=id,name,instagram_business_account", "GET /{ig-user-id}?fields=id,username,name"],
        permissions: ["instagram_basic", "pages_show_list"],
        remediation: "Link the Instagram professional account to the Page: Page settings > Linked accounts > Instagram (or Meta Business Suite > Settings > Instagram accounts)."
    )

    public init() {}

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        guard let token = configuration.instagramAccessToken, let igID = configuration.instagramAccountID,
            let pageID = context.facts[InstagramTokenFact.self]?.pageID ?? configuration.pageID
        else { return .error("The Instagram token's Page or the Instagram account id is missing.") }

        let graph = environment.graph
        let deadline = context.deadline
        let (pageResult, userResult) = await bothCalls(
            { () async throws(GraphError) in try await graph.page(pageID, token: token, by: deadline) },
            { () async throws(GraphError) in try await graph.instagramUser(igID, token: token, by: deadline) })
        let page: PageNode
        switch pageResult {
        case .success(let value): page = value
        case .failure(let error):
            if error.kind.isCouldNotVerify { return .couldNotVerify(error, while: "reading Page \(pageID)") }
            return error.tokenFailure(label: "Instagram token", renew: InstagramTokenCheck().description.remediation)
        }
        var evidence: Evidence = ["page": .string("\(page.name ?? "?") (\(page.id))")]
        guard let linked = page.instagramBusinessAccount?.id else {
            return .fail(
                "Page \(pageID) has no linked Instagram professional account.", evidence: evidence,
                action: "Link Instagram account \(igID) to Page \(pageID): Page settings > Linked accounts > Instagram.")
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
                action: InstagramTokenCheck().description.remediation)
        }
    }
}
