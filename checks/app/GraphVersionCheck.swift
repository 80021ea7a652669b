import DoctorKit
import Foundation
import MetaConfig
import MetaGraph

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
            90 days of it warns. A version newer than this build knows is judged by Meta's own reply to the \
            client-credentials exchange (Facebook-Api-Version, X-Ad-Api-Version-Warning). Every Graph check runs after \
            this one, so a rejected version is never sent.
            """,
        calls: [
            "none for a version in the built-in table; else "
                + GraphCalls.clientCredentials(appID: GraphIDs.placeholders.appID!).request.description + " (shared with app.secret)"
        ],
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
                return await judgeByMetasReply(version, newestKnown: newest.version, environment, context)
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

    /// A version newer than this build's table is judged by what Meta answers for it (MB-G6,
    /// MB-G7): the client-credentials exchange app.secret makes anyway (one request, shared through
    /// the run's memo) says in `Facebook-Api-Version` which version served it.
    private func judgeByMetasReply(
        _ version: String, newestKnown: String, _ environment: ProbeEnvironment, _ context: CheckContext
    ) async -> ProbeResult {
        var evidence: Evidence = ["version": .string(version), "newestKnownToThisBuild": .string(newestKnown)]
        guard let appID = environment.configuration.appID, environment.configuration.appSecret != nil else {
            return .error(
                "\(version) is newer than this build knows (\(newestKnown)), and without META_APP_ID and META_APP_SECRET Meta cannot be asked whether it serves it.",
                evidence: evidence)
        }
        let log = GraphReplyLog()
        let exchange = await GraphReplyLog.$current.withValue(log) { () async -> Result<Secret, GraphError> in
            do throws(GraphError) {
                let reply = try await environment.graph.read(GraphCalls.clientCredentials(appID: appID), by: context.deadline)
                return .success(Secret(reply.accessToken))
            } catch { return .failure(error) }
        }
        guard let notice = log.all.last(where: { $0.served != nil }) else {
            if case .failure(let error) = exchange, error.kind == .unknownPath {
                return .fail(
                    "Meta does not serve \(version): \(error.message)", evidence: error.evidence,
                    action: "Set META_GRAPH_VERSION to a version Meta publishes, such as \(newestKnown).")
            }
            if case .failure(let error) = exchange { return .couldNotVerify(error, while: "asking Meta about \(version)") }
            return .error("Meta's reply named no version (no Facebook-Api-Version header).", evidence: evidence)
        }
        evidence["servedBy"] = .optional(notice.served)
        if let warning = notice.warning { evidence["versionWarning"] = .string(warning) }
        guard !notice.isUpgrade else {
            return .warn(
                "Meta served \(version) calls with \(notice.served ?? "another version")\(notice.warning.map { ": \"\($0)\"" } ?? ".")",
                evidence: evidence, action: "Set META_GRAPH_VERSION to \(notice.served ?? newestKnown).")
        }
        return .pass(
            "\(version) is newer than this build's table (\(newestKnown)); Meta serves it (Facebook-Api-Version: \(version)).",
            evidence: evidence)
    }
}
