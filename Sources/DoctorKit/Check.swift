/// A step of the setup guide: an anchor in docs/setup-guide.md and its heading.
public struct GuideStep: Sendable, Hashable, Codable {
    public let anchor: String
    public let title: String
    /// The step's number in the guide; nil for a section that is not a numbered step.
    public let number: Int?

    public init(anchor: String, title: String, number: Int? = nil) {
        self.anchor = anchor
        self.title = title
        self.number = number
    }

    /// The heading as the guide prints it: "8. Create a system user token for WhatsApp".
    public var heading: String { number.map { "\($0). \(title)" } ?? title }
}

/// Everything a check declares about itself, next to its logic: what `list`, `explain`, the graph
/// and every report render from.
public struct CheckDescription: Sendable {
    /// Stable dotted id; part of the interface.
    public let id: CheckID
    /// Short title ("The app secret is valid").
    public let title: String
    /// The platform the check belongs to, or nil for cross-platform checks.
    public let platform: String?
    /// Checks that must end `pass`, `warn` or `skip(not-applicable)` before this one runs.
    public let prerequisites: [CheckID]
    /// The step of the setup guide that fixes a failure.
    public let guideStep: GuideStep
    /// One or two sentences: what is checked and why it matters (for `explain`).
    public let summary: String
    /// The requests the check makes (for `explain`).
    public let calls: [String]
    /// The permissions the checked token needs (for `explain`).
    public let permissions: [String]
    /// The fix in general terms; a probe's result may give a concrete one with the run's values.
    public let remediation: String

    public init(
        id: CheckID, title: String, platform: String? = nil, prerequisites: [CheckID] = [],
        guideStep: GuideStep, summary: String, calls: [String] = [], permissions: [String] = [],
        remediation: String
    ) {
        self.id = id
        self.title = title
        self.platform = platform
        self.prerequisites = prerequisites
        self.guideStep = guideStep
        self.summary = summary
        self.calls = calls
        self.permissions = permissions
        self.remediation = remediation
    }
}

/// What a probe hands back to the runner.
public struct ProbeResult: Sendable {
    public var verdict: Verdict
    /// One line, no secrets.
    public var message: String
    public var evidence: Evidence
    /// A concrete fix with the run's values (ids, URLs, missing scopes; never secrets). When nil on
    /// a non-pass, the description's `remediation` is used.
    public var action: String?
    /// Typed values dependents may reuse.
    public var facts: Facts
    /// A more specific guide step than the check's own, when the finding calls for one (an ngrok
    /// error page found by the HTTPS check points at the ngrok step).
    public var guideStep: GuideStep?

    public init(
        _ verdict: Verdict, _ message: String, evidence: Evidence = [:], action: String? = nil,
        facts: Facts = Facts(), guideStep: GuideStep? = nil
    ) {
        self.verdict = verdict
        self.message = message
        self.evidence = evidence
        self.action = action
        self.facts = facts
        self.guideStep = guideStep
    }

    public static func pass(_ message: String, evidence: Evidence = [:], facts: Facts = Facts()) -> ProbeResult {
        ProbeResult(.pass, message, evidence: evidence, facts: facts)
    }

    public static func warn(
        _ message: String, evidence: Evidence = [:], action: String? = nil, facts: Facts = Facts()
    ) -> ProbeResult {
        ProbeResult(.warn, message, evidence: evidence, action: action, facts: facts)
    }

    public static func fail(
        _ message: String, evidence: Evidence = [:], action: String? = nil, guideStep: GuideStep? = nil
    ) -> ProbeResult {
        ProbeResult(.fail, message, evidence: evidence, action: action, guideStep: guideStep)
    }

    public static func error(_ message: String, evidence: Evidence = [:], action: String? = nil) -> ProbeResult {
        ProbeResult(.error, message, evidence: evidence, action: action)
    }

    public static func notApplicable(_ message: String, evidence: Evidence = [:]) -> ProbeResult {
        ProbeResult(.notApplicable, message, evidence: evidence)
    }
}

/// What the runner gives a probe.
public struct CheckContext: Sendable {
    /// The facts of every upstream check that ran (transitively).
    public let facts: Facts
    /// The time this check may take; the runner ends it as `error` after that.
    public let timeLimit: Duration
    /// When the check's time runs out, for deadlines shared by several sequential calls.
    public let deadline: ContinuousClock.Instant

    public init(facts: Facts, timeLimit: Duration) {
        self.facts = facts
        self.timeLimit = timeLimit
        self.deadline = ContinuousClock.now.advanced(by: timeLimit)
    }
}

/// A check: its declaration and its probe.
public struct Check: Sendable {
    public let description: CheckDescription
    public let probe: @Sendable (CheckContext) async throws -> ProbeResult

    public init(_ description: CheckDescription, probe: @escaping @Sendable (CheckContext) async throws -> ProbeResult) {
        self.description = description
        self.probe = probe
    }

    public var id: CheckID { description.id }
}
