import DoctorKit
import Foundation
import MetaConfig

/// `graph.version`: the configured Graph API version is one Meta publishes and still serves.
public struct GraphVersionCheck: MetaProbe {
    public static let id: CheckID = "graph.version"
    /// Warn this long before a version's end of availability.
    static let warningWindow: TimeInterval = 90 * 24 * 3600

    public let description = CheckDescription(
        id: GraphVersionCheck.id,
        title: "The Graph API version is served",
        prerequisites: [ConfigCheck.id],
        guideStep: GuideSteps.graphVersion,
        summary: """
            Compares META_GRAPH_VERSION with the versions Meta publishes: past its end of availability fails, within \
            90 days of it warns, a version newer than this build knows warns.
            """,
        calls: ["none (the version table is built in)"],
        remediation: "Set META_GRAPH_VERSION to \(GraphVersions.defaultVersion) or newer and test your integration on it."
    )

    public init() {}

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let version = environment.configuration.graphVersion
        let newest = GraphVersions.table.last!
        guard let parsed = GraphVersions.parse(version) else {
            return .fail(
                "'\(version)' is not a Graph API version (expected vNN.0, such as \(GraphVersions.defaultVersion)).",
                action: "Set META_GRAPH_VERSION to a version such as \(newest.version).")
        }
        guard let entry = GraphVersions.entry(for: version) else {
            let newestParsed = GraphVersions.parse(newest.version)!
            if (parsed.major, parsed.minor) > (newestParsed.major, newestParsed.minor) {
                return .warn(
                    "\(version) is unknown to this build (newest known: \(newest.version)); it may be newer than meta-doctor.",
                    evidence: ["version": .string(version)],
                    action: "Update meta-doctor, or check Meta's changelog that \(version) exists.")
            }
            return .fail(
                "\(version) is not a version Meta serves any more (the oldest still listed is \(GraphVersions.table.first!.version)).",
                evidence: ["version": .string(version)],
                action: "Move to \(newest.version) (set META_GRAPH_VERSION) and test your integration on it.")
        }
        var evidence: Evidence = ["version": .string(version), "released": .string(entry.released)]
        guard let until = entry.availableUntil, let end = GraphVersions.date(until) else {
            return .pass("\(version) is current (released \(entry.released), no end date announced).", evidence: evidence)
        }
        evidence["availableUntil"] = .string(until)
        let now = environment.now()
        if now >= end {
            return .fail(
                "\(version) was available until \(until); Meta now serves a newer version instead.", evidence: evidence,
                action: "Move to \(newest.version) (set META_GRAPH_VERSION) and test your integration on it.")
        }
        if end.timeIntervalSince(now) <= Self.warningWindow {
            let days = Int(end.timeIntervalSince(now) / 86400)
            return .warn(
                "\(version) stops being available on \(until), in \(days) days.", evidence: evidence,
                action: "Plan the move to \(newest.version) before \(until).")
        }
        return .pass("\(version) is available until \(until).", evidence: evidence)
    }
}
