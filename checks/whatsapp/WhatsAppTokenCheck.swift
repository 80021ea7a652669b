import DoctorKit
import MetaConfig
import MetaGraph

/// `whatsapp.token`: the WhatsApp token is a system user's, of this app, with both WhatsApp scopes
/// and access to the configured WABA.
public struct WhatsAppTokenCheck: MetaProbe {
    public static let id: CheckID = "whatsapp.token"
    static let requiredScopes = ["whatsapp_business_messaging", "whatsapp_business_management"]

    public let description = CheckDescription(
        id: WhatsAppTokenCheck.id,
        title: "The WhatsApp token is a system user's with the WABA",
        platform: Platform.whatsapp.rawValue,
        prerequisites: [AppSecretCheck.id],
        guideStep: GuideSteps.whatsappSystemUser,
        summary: """
            Inspects WHATSAPP_ACCESS_TOKEN with debug_token: valid, issued for this app, of type SYSTEM_USER (a USER \
            token warns: it expires; within 48 hours of its expiry it fails), with whatsapp_business_messaging and whatsapp_business_management; when \
            granular_scopes name target ids, they must include WHATSAPP_BUSINESS_ACCOUNT_ID.
            """,
        calls: WhatsAppTokenCheck.graphReads(.placeholders).descriptions,
        permissions: ["whatsapp_business_messaging", "whatsapp_business_management"],
        remediation: WhatsAppTokenCheck.renew
    )

    /// How to get a system user's token that passes; other WhatsApp checks whose reads the token
    /// fails point at it too.
    static let renew = """
        Business settings > Users > System users: pick an Admin system user, Assign assets > WhatsApp accounts (your \
        WABA, full control), then Generate new token for this app with whatsapp_business_messaging and \
        whatsapp_business_management, expiring never.
        """

    public init() {}

    public static func graphReads(_ ids: GraphIDs) -> [any GraphRead] { [GraphCalls.debugToken(.whatsappToken)] }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        guard let appID = configuration.appID, let token = configuration.whatsappAccessToken, let wabaID = configuration.wabaID
        else { return .error("The WhatsApp configuration is missing.") }
        let source = configuration.values[.whatsappAccessToken]?.provenance
        let renew = Self.renew

        let info: DebugTokenInfo
        do { info = try await environment.graph.read(GraphCalls.debugToken(.whatsappToken), by: context.deadline) } catch {
            return error.debugTokenFailure(label: "WhatsApp token", appID: appID, renew: renew)
        }
        if let problem = TokenInspection.basicProblem(
            info, token: token, appID: appID, label: "WhatsApp token", source: source, now: environment.now(), renew: renew)
        {
            return problem
        }
        let evidence = TokenInspection.evidence(info, token: token, source: source)
        let systemUser = info.userID.map { "System user \($0)" } ?? "The system user"

        let missing = TokenInspection.missingScopes(info, required: Self.requiredScopes)
        if !missing.isEmpty {
            return .fail(
                "The WhatsApp token lacks \(missing.joined(separator: ", ")).", evidence: evidence,
                action: "Generate the token again with \(missing.joined(separator: ", ")): Business settings > Users > System users > Generate new token.")
        }
        let scoped = Self.requiredScopes.compactMap { scope in info.targetIDs(of: scope).map { (scope, $0) } }
        if let (scope, targets) = scoped.first(where: { !$0.1.contains(wabaID) }) {
            // MB-G30: the WABA's read (planned for whatsapp.phone-number) names the node type of an
            // id that is not a WABA's, a business id most often.
            if let type = await MisplacedIDs.nodeType(of: GraphCalls.waba(wabaID), graph: environment.graph, by: context.deadline) {
                let right =
                    switch targets.count {
                    case 0: "the token's scopes name no WABA"
                    case 1: "its WABA id is \(targets[0])"
                    default: "the token's WABAs are \(targets.joined(separator: ", "))"
                    }
                let result = ProbeResult.fail(
                    "WHATSAPP_BUSINESS_ACCOUNT_ID is \(wabaID), \(MisplacedIDs.kind(ofNodeType: type)) (Meta reads it as node type \(type)), not a WABA id; \(right).",
                    evidence: evidence,
                    action: targets.isEmpty
                        ? "\(systemUser) has no WABA: \(Self.renew)"
                        : targets.count == 1
                        ? "Set WHATSAPP_BUSINESS_ACCOUNT_ID=\(targets[0]), the WABA \(systemUser.lowercasedFirst) has \(scope) for."
                        : "Set WHATSAPP_BUSINESS_ACCOUNT_ID to the WABA your number belongs to (`meta-doctor discover` lists each with its numbers): \(targets.joined(separator: ", ")).",
                    guideStep: GuideSteps.whatsappBusinessAccount)
                return targets.count == 1 ? result.changing(.whatsappBusinessAccountID, to: targets[0], in: environment.configuration) : result
            }
            return .fail(
                "\(systemUser) has \(scope) only for \(targets.isEmpty ? "no WABA" : "WABA \(targets.joined(separator: ", "))"), not for WABA \(wabaID).",
                evidence: evidence,
                action: "\(systemUser) has no access to WABA \(wabaID): Business settings > Users > System users > Assign assets > WhatsApp accounts > WABA \(wabaID) (full control), then generate the token again.")
        }
        switch info.type {
        case .systemUser:
            return .pass(
                "System-user token for this app with both WhatsApp scopes, expires \(TokenInspection.expiryPhrase(info.expiresAt, now: environment.now())).",
                evidence: evidence)
        case .user:
            let message = "The WhatsApp token is a USER token: it expires \(TokenInspection.expiryPhrase(info.expiresAt, now: environment.now())), and the integration stops then."
            let action = "Replace it with a system user's token, which never expires. \(renew)"
            if TokenInspection.expiresWithinUserTokenWindow(info, now: environment.now()) {
                return .fail(message, evidence: evidence, action: action)
            }
            return .warn(message, evidence: evidence, action: action)
        default:
            return .fail(
                "The WhatsApp token is a \(info.type?.rawValue ?? "untyped") token, not a system user's.", evidence: evidence, action: renew)
        }
    }
}
