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
        calls: ["POST /oauth/access_token (grant_type=client_credentials)", "GET /{app-id}?fields=id,name"],
        remediation: """
            Copy the App ID and App Secret again from Meta for Developers > your app > App settings > Basic \
            (the secret changes when someone resets it).
            """
    )

    public init() {}

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        guard let appID = configuration.appID, let appSecret = configuration.appSecret else {
            return .fail("META_APP_ID or META_APP_SECRET is not set.")
        }
        let appToken: Secret
        do {
            appToken = try await environment.graph.appAccessToken(appID: appID, appSecret: appSecret, by: context.deadline)
        } catch {
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
        let facts = Facts().with(AppAccessTokenFact.self, appToken)
        do {
            let app = try await environment.graph.app(appID, appToken: appToken, by: context.deadline)
            let name = app.name ?? appID
            return .pass("App '\(name)' (\(appID)) accepted its secret.", evidence: ["appName": .string(name)], facts: facts)
        } catch {
            // The secret is proven by the exchange; the name is a nicety.
            return .pass(
                "App \(appID) accepted its secret (its name could not be read: \(error.message)).",
                evidence: error.evidence, facts: facts)
        }
    }
}
