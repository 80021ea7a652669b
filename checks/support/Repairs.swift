import DoctorKit
import MetaConfig
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
    /// What the plan should say of the write beyond that.
    public let note: String?

    public init(_ call: GraphCall<WriteReply>, change: String, needsPassing: [CheckID] = [], note: String? = nil) {
        self.call = call
        self.change = change
        self.needsPassing = needsPassing
        self.note = note
    }
}

/// The repairs of a check's finding.
public enum RepairFact: FactKey { public typealias Value = [Repair] }

/// A configuration value a finding shows to be wrong (ngrok's URL changed, an id in the wrong
/// place): the plan shows the line to change; `fix --apply --write-env` rewrites it in the `.env`
/// file that set it.
public struct ConfigChange: Sendable, Encodable {
    /// The check whose finding it is; the plan sets it.
    public internal(set) var check: CheckID?
    public let key: ConfigKey
    /// The variable that set it (the canonical name or an alias).
    public let name: String
    public let from: String
    public let to: String
    /// Where the value was set ("/path/.env:3", "environment", "--webhook-base-url").
    public let source: String
    /// The `.env` file and line, when a file set it.
    public let file: String?
    public let line: Int?
}

/// The configuration changes of a check's finding.
public enum ConfigChangeFact: FactKey { public typealias Value = [ConfigChange] }

extension ConfigChange {
    /// `key`'s configured value changed to `value`, where it was set; nil when it is not set or is
    /// `value` already.
    static func replacing(_ key: ConfigKey, with value: String, in configuration: MetaConfiguration) -> ConfigChange? {
        guard let current = configuration.values[key], current.value != value else { return nil }
        let (file, line): (String?, Int?) = if case .dotenv(let file, let line) = current.source { (file, line) } else { (nil, nil) }
        return ConfigChange(key: key, name: current.name, from: current.value, to: value, source: current.provenance, file: file, line: line)
    }
}

extension ProbeResult {
    /// A failure that `fix` can repair with `repairs`.
    static func fail(_ message: String, evidence: Evidence = [:], action: String? = nil, repairs: [Repair]) -> ProbeResult {
        ProbeResult(.fail, message, evidence: evidence, action: action, facts: Facts().with(RepairFact.self, repairs))
    }

    /// This finding with the configuration change that repairs it: `key` set to `value` (the right
    /// id a token showed), which `fix --apply --write-env` writes to the `.env` line.
    func changing(_ key: ConfigKey, to value: String, in configuration: MetaConfiguration) -> ProbeResult {
        guard let change = ConfigChange.replacing(key, with: value, in: configuration) else { return self }
        var result = self
        result.facts = facts.with(ConfigChangeFact.self, (facts[ConfigChangeFact.self] ?? []) + [change])
        return result
    }
}
