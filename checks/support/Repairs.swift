import DoctorKit
import MetaGraph

/// A finding that one Graph write repairs, as the check that made it describes it: what
/// `meta-doctor fix` plans and, with `--apply`, executes. Only a check's own finding carries one, so
/// `fix` never acts on anything this run did not find.
public struct Repair: Sendable {
    public let call: GraphCall<WriteReply>
    /// What changes, from what to what ("fields messages → messages, messaging_postbacks").
    public let change: String
    /// Checks that must have passed for the write to make sense: Meta verifies a callback during
    /// the write, so a failing verification check blocks it (MB-G28). A check that did not run does
    /// not block; the plan then says that Meta's verification is the test.
    public let needsPassing: [CheckID]

    public init(_ call: GraphCall<WriteReply>, change: String, needsPassing: [CheckID] = []) {
        self.call = call
        self.change = change
        self.needsPassing = needsPassing
    }
}

/// The repairs of a check's finding.
public enum RepairFact: FactKey { public typealias Value = [Repair] }

extension ProbeResult {
    /// A failure that `fix` can repair with `repairs`.
    static func fail(_ message: String, evidence: Evidence = [:], action: String? = nil, repairs: [Repair]) -> ProbeResult {
        ProbeResult(.fail, message, evidence: evidence, action: action, facts: Facts().with(RepairFact.self, repairs))
    }
}
