import DoctorKit
import MetaGraph

/// What `meta-doctor fix` would change: one step per repairable finding of this run, in the
/// catalog's (dependency) order, and what it cannot repair, with the reason.
public struct RepairPlan: Sendable, Encodable {
    /// One Graph write and the finding it repairs.
    public struct Step: Sendable, Encodable {
        public let check: CheckID
        public let finding: String
        public let method: String
        public let path: String
        /// The parameters sent; secrets as their fingerprints.
        public let parameters: [String: String]
        public let token: String
        public let change: String
        /// What the plan cannot know beforehand (a verification Meta makes during the call).
        public let note: String?
        /// The write itself; not part of the JSON.
        let call: GraphCall<WriteReply>

        enum CodingKeys: String, CodingKey { case check, finding, method, path, parameters, token, change, note }

        public var request: GraphRequestSpec { call.request }

        /// Sends the write.
        public func perform(with client: GraphClient, credentials: GraphCredentials) async throws(GraphError) -> WriteReply {
            try await call.perform(with: client, credentials: credentials)
        }
    }

    /// A finding this plan leaves to a person, and why.
    public struct Unrepaired: Sendable, Encodable {
        public let check: CheckID
        public let status: CheckStatus
        public let finding: String
        /// Why `fix` does not repair it: the check that blocks it, or that no single write does.
        public let reason: String
        public let guide: String
    }

    public let steps: [Step]
    /// Configuration values the findings show out of date; `--write-env` rewrites the `.env` lines.
    public let configChanges: [ConfigChange]
    /// Repairable findings whose write would not work yet: a check they need failed.
    public let blocked: [Unrepaired]
    /// Everything else a report shows as failing or warning: manual steps with their guide link.
    public let manual: [Unrepaired]

    /// The plan for a run: its report (redacted, as printed) and the repairs its checks attached to
    /// their findings.
    public static func make(
        report: Report, repairs: [CheckID: [Repair]], configChanges: [CheckID: [ConfigChange]] = [:], credentials: GraphCredentials
    ) -> RepairPlan {
        let byID = Dictionary(uniqueKeysWithValues: report.checks.map { ($0.id, $0) })
        var steps: [Step] = []
        var blocked: [Unrepaired] = []
        var manual: [Unrepaired] = []
        for check in report.checks {
            let ownRepairs = check.status == .fail ? repairs[check.id] ?? [] : []
            let ownChanges = check.status == .fail ? configChanges[check.id] ?? [] : []
            if ownRepairs.isEmpty {
                switch (check.status, check.skipReason) {
                case (.fail, _) where !ownChanges.isEmpty:
                    break  // Repaired by its configuration changes.
                case (.fail, _), (.error, _), (.warn, _):
                    let reason = check.status == .error
                        ? "Meta could not be asked; run fix again when it can."
                        : "No single Graph write of fix's repairs it."
                    manual.append(Unrepaired(check: check.id, status: check.status, finding: check.message, reason: reason, guide: check.fix.url))
                case (.skip, .blocked):
                    let blockers = check.blockedBy.map(\.rawValue).joined(separator: ", ")
                    blocked.append(
                        Unrepaired(
                            check: check.id, status: check.status, finding: check.message,
                            reason: "Not checked: \(blockers) failed first; fix it, then run fix again.", guide: check.fix.url))
                default: break
                }
                continue
            }
            for repair in ownRepairs {
                let failing = repair.needsPassing.compactMap { byID[$0] }.filter { needed in
                    needed.status == .fail || needed.status == .error || needed.skipReason == .blocked
                }
                if !failing.isEmpty {
                    let names = failing.map { "\($0.id) (\($0.status == .skip ? "blocked" : $0.status.rawValue))" }.joined(separator: ", ")
                    blocked.append(
                        Unrepaired(
                            check: check.id, status: check.status, finding: check.message,
                            reason: "\(repair.call.request) would fail: Meta verifies the callback during it, and \(names) shows the endpoint does not pass verification yet.",
                            guide: check.fix.url))
                    continue
                }
                let unverified = repair.needsPassing.compactMap { byID[$0] }.filter { $0.status == .skip }
                let note = unverified.isEmpty
                    ? (repair.needsPassing.isEmpty ? repair.note : "Meta verifies the callback during this call; \(repair.needsPassing.map(\.rawValue).joined(separator: ", ")) passed.")
                    : "\(unverified.map(\.id.rawValue).joined(separator: ", ")) did not run: Meta's verification of the callback during this call is the test."
                let request = repair.call.request
                steps.append(
                    Step(
                        check: check.id, finding: check.message, method: request.method.rawValue, path: request.path,
                        parameters: credentials.displayedParameters(of: request), token: request.authorizationLabel,
                        change: repair.change, note: note, call: repair.call))
            }
        }
        let changes = report.checks.filter { $0.status == .fail }.flatMap { check in
            (configChanges[check.id] ?? []).map { change in
                var change = change
                change.check = check.id
                return change
            }
        }
        return RepairPlan(steps: steps, configChanges: changes, blocked: blocked, manual: manual)
    }
}
