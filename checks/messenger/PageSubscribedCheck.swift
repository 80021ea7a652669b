import DoctorKit
import MetaConfig
import MetaGraph

/// `messenger.page-subscribed`: the Page is subscribed to this app with the Messenger fields.
/// Meta delivers only the fields subscribed at both the app and the Page.
public struct PageSubscribedCheck: MetaProbe {
    public static let id: CheckID = "messenger.page-subscribed"
    static let requiredFields = ["messages", "messaging_postbacks"]

    public let description = CheckDescription(
        id: PageSubscribedCheck.id,
        title: "The Page is subscribed to the app",
        platform: Platform.messenger.rawValue,
        prerequisites: [PageTokenCheck.id],
        guideStep: GuideSteps.messengerPageSubscription,
        summary: """
            Reads /{page-id}/subscribed_apps with the Page token: this app must be there with messages and \
            messaging_postbacks. Reports the fields Meta actually delivers: those subscribed at both the app and the Page.
            """,
        calls: PageSubscribedCheck.graphReads(.placeholders).descriptions,
        permissions: ["pages_manage_metadata"],
        remediation: """
            Subscribe the Page: Meta for Developers > your app > Messenger > Messenger API Settings > Webhooks > Add subscriptions \
            (messages, messaging_postbacks), or POST /{page-id}/subscribed_apps?subscribed_fields=messages,messaging_postbacks.
            """
    )

    public init() {}

    /// The Page's subscription, and the app's (shared with app.subscriptions) for the fields Meta
    /// delivers: those subscribed at both levels.
    public static func graphReads(_ ids: GraphIDs) -> [any GraphRead] {
        guard let pageID = ids.pageID, let appID = ids.appID else { return [] }
        return [GraphCalls.pageSubscribedApps(pageID), GraphCalls.appSubscriptions(appID)]
    }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        guard let appID = configuration.appID, let pageID = configuration.pageID, configuration.pageAccessToken != nil
        else { return .error("The Page configuration is missing.") }
        let subscribeCommand =
            "POST /\(pageID)/subscribed_apps?subscribed_fields=\(Self.requiredFields.joined(separator: ",")) with the Page token"
        async let appLevel: [AppSubscription]? = try? await environment.graph.read(
            GraphCalls.appSubscriptions(appID), by: context.deadline)
        let apps: [PageSubscribedApp]
        do {
            apps = try await environment.graph.read(GraphCalls.pageSubscribedApps(pageID), by: context.deadline)
        } catch {
            _ = await appLevel
            return error.kind.isCouldNotVerify
                ? .couldNotVerify(error, while: "reading the Page's subscribed apps")
                : .fail("Meta refused to list Page \(pageID)'s subscribed apps: \(error)", evidence: error.evidence)
        }
        let appFields = await appLevel?.first { $0.object == .page }.map { ($0.fields ?? []).map(\.name) }
        var evidence: Evidence = ["subscribedApps": .strings(apps.map { "\($0.name ?? "?") (\($0.id))" })]
        guard let mine = apps.first(where: { $0.id == appID }) else {
            return .fail(
                apps.isEmpty
                    ? "Page \(pageID) is subscribed to no app: Meta delivers none of its messages."
                    : "Page \(pageID) is subscribed to other apps (\(apps.map(\.id).joined(separator: ", "))) but not to app \(appID).",
                evidence: evidence, action: "Subscribe the Page to app \(appID): \(subscribeCommand).",
                repairs: [
                    Repair(
                        GraphCalls.subscribePage(pageID, fields: Self.requiredFields),
                        change: "app \(appID) on Page \(pageID): not subscribed → subscribed with \(Self.requiredFields.joined(separator: ", "))")
                ])
        }
        let pageFields = mine.subscribedFields ?? []
        evidence["pageFields"] = .strings(pageFields)
        if let appFields {
            evidence["appFields"] = .strings(appFields)
            evidence["deliveredFields"] = .strings(pageFields.filter(appFields.contains))
        }
        let missing = Self.requiredFields.filter { !pageFields.contains($0) }
        if !missing.isEmpty {
            // The Page keeps every field it has; only the missing ones are added.
            let fields = pageFields + missing
            return .fail(
                "Page \(pageID) is subscribed to the app without \(missing.joined(separator: ", ")).", evidence: evidence,
                action: "Add the fields: \(subscribeCommand).",
                repairs: [
                    Repair(
                        GraphCalls.subscribePage(pageID, fields: fields),
                        change: "fields of app \(appID) on Page \(pageID): \(pageFields.isEmpty ? "none" : pageFields.joined(separator: ", ")) → \(fields.joined(separator: ", "))")
                ])
        }
        let delivered = appFields.map { fields in Self.requiredFields.filter(fields.contains) } ?? Self.requiredFields
        return .pass("Page \(pageID) is subscribed to the app; delivered: \(delivered.joined(separator: ", ")).", evidence: evidence)
    }
}
