import DoctorKit
import MetaConfig
import MetaGraph

/// `whatsapp.waba-subscribed`: the app is subscribed to the WABA. An empty list means Meta delivers
/// no WhatsApp webhook at all, the most common "messages don't arrive" cause.
public struct WABASubscribedCheck: MetaProbe {
    public static let id: CheckID = "whatsapp.waba-subscribed"

    public let description = CheckDescription(
        id: WABASubscribedCheck.id,
        title: "The app is subscribed to the WABA",
        platform: Platform.whatsapp.rawValue,
        prerequisites: [WhatsAppTokenCheck.id],
        guideStep: GuideSteps.whatsappWABASubscription,
        summary: "Reads /{waba-id}/subscribed_apps with the WhatsApp token: this app must be listed.",
        calls: WABASubscribedCheck.graphReads(.placeholders).descriptions,
        permissions: ["whatsapp_business_management"],
        remediation: "POST /{waba-id}/subscribed_apps with the system user's token subscribes the app to the WABA."
    )

    public init() {}

    public static func graphReads(_ ids: GraphIDs) -> [any GraphRead] {
        ids.wabaID.map { [GraphCalls.wabaSubscribedApps($0)] } ?? []
    }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        guard let appID = configuration.appID, configuration.whatsappAccessToken != nil, let wabaID = configuration.wabaID
        else { return .error("The WhatsApp configuration is missing.") }
        let apps: [WABASubscribedApp]
        do { apps = try await environment.graph.read(GraphCalls.wabaSubscribedApps(wabaID), by: context.deadline) } catch {
            if error.kind.isCouldNotVerify { return .couldNotVerify(error, while: "reading WABA \(wabaID)'s subscribed apps") }
            return error.tokenFailure(label: "WhatsApp token", renew: WhatsAppTokenCheck.renew)
        }
        let subscribe = "POST /\(wabaID)/subscribed_apps with the system user's token (no body needed)."
        let listed = apps.compactMap(\.whatsappBusinessAPIData).map { "\($0.name ?? "?") (\($0.id ?? "?"))" }
        let evidence: Evidence = ["subscribedApps": .strings(listed)]
        let repair = Repair(
            GraphCalls.subscribeAppToWABA(wabaID),
            change: "apps subscribed to WABA \(wabaID): \(listed.isEmpty ? "none" : listed.joined(separator: ", ")) → adds app \(appID)")
        if apps.isEmpty {
            return .fail(
                "WABA \(wabaID) has no subscribed app: Meta delivers no WhatsApp webhook for it at all.", evidence: evidence,
                action: "Subscribe app \(appID): \(subscribe)", repairs: [repair])
        }
        guard apps.contains(where: { $0.whatsappBusinessAPIData?.id == appID }) else {
            return .fail(
                "WABA \(wabaID) is subscribed to \(listed.joined(separator: ", ")), not to app \(appID).", evidence: evidence,
                action: "Subscribe app \(appID): \(subscribe)", repairs: [repair])
        }
        return .pass("App \(appID) is subscribed to WABA \(wabaID).", evidence: evidence)
    }
}
