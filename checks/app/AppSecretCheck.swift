import DoctorKit
import MetaConfig
import MetaGraph

/// `app.secret`: the app id and secret are accepted by the client-credentials exchange. The app
/// token it yields is the fact every Meta-side probe builds on.
public struct AppSecretCheck: MetaProbe {
    public static let id: CheckID = "app.secret"

    public let description = CheckDescription(
        id: AppSecretCheck.id,
        title: "The app secret is valid",
        prerequisites: [ConfigCheck.id, GraphVersionCheck.id],
        guideStep: GuideSteps.appSecret,
        summary: """
            Exchanges META_APP_ID and META_APP_SECRET for an app access token (client credentials, sent as a POST form \
            so the secret never appears in a URL), then reads the app's name with that token.
            """,
        calls: AppSecretCheck.graphReads(.placeholders).descriptions,
        remediation: """
            Copy the App ID and App Secret again from Meta for Developers > your app > App settings > Basic \
            (the secret changes when someone resets it).
            """
    )

    public init() {}

    /// The exchange proves the secret; the app's name is read at the same time with
    /// `APP_ID|APP_SECRET`, Meta's documented app token (MB-G22), which needs no exchange first.
    public static func graphReads(_ ids: GraphIDs) -> [any GraphRead] {
        guard let appID = ids.appID else { return [] }
        return [GraphCalls.clientCredentials(appID: appID), GraphCalls.app(appID)]
    }

    /// The Page the Page token belongs to, when its id is `appID` (MB-G25): an app id that is a
    /// Page id. Read only after the exchange failed; `messenger.page-token` plans the same read.
    static func pageNamed(_ appID: String, _ environment: ProbeEnvironment, by deadline: ContinuousClock.Instant) async -> NamedNode? {
        guard environment.configuration.pageAccessToken != nil,
            let page = try? await environment.graph.read(GraphCalls.me(.pageToken), by: deadline), page.id == appID
        else { return nil }
        return page
    }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        guard let appID = configuration.appID, configuration.appSecret != nil else {
            return .fail("META_APP_ID or META_APP_SECRET is not set.")
        }
        let graph = environment.graph
        let deadline = context.deadline
        let (exchange, appRead) = await bothCalls(
            { () async throws(GraphError) in try await graph.read(GraphCalls.clientCredentials(appID: appID), by: deadline) },
            { () async throws(GraphError) in try await graph.read(GraphCalls.app(appID), by: deadline) })
        let appToken: Secret
        switch exchange {
        case .success(let reply): appToken = Secret(reply.accessToken)
        case .failure(let error):
            switch error.kind {
            case .badClientSecret:
                return .fail(
                    "Meta rejected the app secret for app \(appID): \(error.message)", evidence: error.evidence,
                    action: """
                        The secret in \(configuration.values[.appSecret]?.provenance ?? "META_APP_SECRET") is not app \(appID)'s. \
                        Copy it again from Meta for Developers > your app > App settings > Basic > App secret (Show); if it was \
                        reset, update every backend that uses it.
                        """)
            case .unknownApp:
                if let page = await Self.pageNamed(appID, environment, by: deadline) {
                    return .fail(
                        "META_APP_ID is \(appID), the id of Page '\(page.name ?? page.id)' (the Page token's /me names it), not an app id: Meta does not know app \(appID).",
                        evidence: error.evidence,
                        action: "Set \(configuration.values[.appID]?.provenance ?? "META_APP_ID") to the App ID from Meta for Developers > your app > App settings > Basic; the Page id \(appID) belongs in META_PAGE_ID.")
                }
                return .fail(
                    "Meta does not know app \(appID): \(error.message)", evidence: error.evidence,
                    action: """
                        Check \(configuration.values[.appID]?.provenance ?? "META_APP_ID"): copy the App ID from Meta for \
                        Developers > your app > App settings > Basic (not the Page id or a business id).
                        """)
            case let kind where kind.isCouldNotVerify:
                return .couldNotVerify(error, while: "the client-credentials exchange")
            default:
                return .fail("The client-credentials exchange for app \(appID) failed: \(error)", evidence: error.evidence)
            }
        }
        // The obtained token is kept only so that the report redacts it, should Meta ever echo it.
        let facts = Facts().with(AppAccessTokenFact.self, appToken)
        switch appRead {
        case .success(let app):
            let name = app.name ?? appID
            return .pass("App '\(name)' (\(appID)) accepted its secret.", evidence: ["appName": .string(name)], facts: facts)
        case .failure(let error):
            // The secret is proven by the exchange; the name is a nicety.
            return .pass(
                "App \(appID) accepted its secret (its name could not be read: \(error.message)).",
                evidence: error.evidence, facts: facts)
        }
    }
}
