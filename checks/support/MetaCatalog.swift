import DoctorKit
import MetaConfig
import MetaGraph

/// Every probe, in catalog order: the order of every report. Explicit, as SwiftLint lists its rules.
public enum MetaCatalog {
    public static let probes: [any MetaProbe] = [
        ConfigCheck(),
        GraphVersionCheck(),
        NgrokTunnelCheck(),
        AppSecretCheck(),
        AppSubscriptionsCheck(),
        PageTokenCheck(),
        PageSubscribedCheck(),
        WhatsAppTokenCheck(),
        PhoneNumberCheck(),
        WABASubscribedCheck(),
        HealthCheck(),
        InstagramTokenCheck(),
        InstagramLinkedCheck(),
    ] + Platform.allCases.flatMap { platform -> [any MetaProbe] in
        [WebhookHTTPSCheck(platform: platform), WebhookVerifyCheck(platform: platform), WebhookSignatureCheck(platform: platform)]
    }

    public static var descriptions: [CheckDescription] { probes.map(\.description) }

    /// Checks whose failure means the inputs are unusable (exit status 2).
    public static let inputChecks: Set<CheckID> = [ConfigCheck.id]

    /// The checks bound to one run's environment. When `graph.version` has passed (or warned), the
    /// configuration and the version are known to be usable: the run's planned Graph reads start
    /// then, all at once, and each check finds its own in flight when its prerequisites are done.
    public static func checks(environment: ProbeEnvironment) -> [Check] {
        probes.map { probe in
            Check(probe.description) { context in
                let replies = GraphReplyLog()
                let result = try await GraphReplyLog.$current.withValue(replies) { try await probe.run(environment, context) }
                if probe.description.id == GraphVersionCheck.id, result.verdict == .pass || result.verdict == .warn {
                    environment.graph.start(environment.plannedReads, by: context.deadline)
                }
                return result.reportingVersionUpgrades(replies.all)
            }
        }
    }

    /// The Graph reads of the checks a run will execute: those selected, of enabled platforms.
    public static func plannedReads(
        configuration: MetaConfiguration, enabledPlatforms: Set<Platform>, willRun: (CheckDescription) -> Bool
    ) -> [any GraphRead] {
        let ids = GraphIDs(configuration, platforms: enabledPlatforms)
        return probes.filter { willRun($0.description) }.flatMap { type(of: $0).graphReads(ids) }
    }

    /// Not-applicable reasons for checks of disabled platforms.
    public static func notApplicable(platformStates: [PlatformState]) -> @Sendable (CheckDescription) -> String? {
        let reasons = Dictionary(uniqueKeysWithValues: platformStates.map { ($0.platform.rawValue, $0) })
        return { description in
            guard let platform = description.platform, let state = reasons[platform], !state.enabled else { return nil }
            return "\(state.platform.displayName) is not checked: \(state.reason)"
        }
    }
}
