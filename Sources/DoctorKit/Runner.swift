/// The result of one check in a run.
public struct CheckResult: Sendable {
    public let id: CheckID
    public var status: CheckStatus
    public var skipReason: SkipReason?
    public var message: String
    public var evidence: Evidence
    public var action: String?
    public var duration: Duration
    /// Root causes: the nearest upstream checks that ended `fail` or `error`.
    public var blockedBy: [CheckID]
    public var facts: Facts
    /// The probe's more specific guide step, if it gave one.
    public var guideStep: GuideStep? = nil

    static func skipped(_ id: CheckID, _ reason: SkipReason, _ message: String, blockedBy: [CheckID] = []) -> CheckResult {
        CheckResult(
            id: id, status: .skip, skipReason: reason, message: message, evidence: [:], action: nil,
            duration: .zero, blockedBy: blockedBy, facts: Facts())
    }

    static func errored(_ id: CheckID, _ message: String, duration: Duration = .zero, action: String? = nil) -> CheckResult {
        CheckResult(
            id: id, status: .error, skipReason: nil, message: message, evidence: [:], action: action,
            duration: duration, blockedBy: [], facts: Facts())
    }

    /// What an interrupted check asks for: another run, not its setup remedy.
    static let runAgain = "Run meta-doctor again: the run was interrupted before this check reached a verdict."
}

/// A finished run: every catalog check, in catalog order.
public struct RunResult: Sendable {
    public let results: [CheckResult]
    public let interrupted: Bool
    public let duration: Duration
}

/// Executes a check graph: each check starts as soon as its prerequisites allow, up to
/// `maxConcurrency` at once, each within its own time limit and the run's.
public struct Runner<C: Clock>: Sendable where C.Duration == Duration {
    public struct Options: Sendable {
        public var maxConcurrency: Int
        /// The most one check may take.
        public var checkTimeout: Duration
        /// The most the whole run may take.
        public var runTimeout: Duration
        public var selection: Selection
        /// Returns why a check does not apply before it runs (its platform is disabled), or nil.
        public var notApplicable: @Sendable (CheckDescription) -> String?

        public init(
            maxConcurrency: Int = 8, checkTimeout: Duration = .seconds(20), runTimeout: Duration = .seconds(30),
            selection: Selection = .all, notApplicable: @escaping @Sendable (CheckDescription) -> String? = { _ in nil }
        ) {
            self.maxConcurrency = max(1, maxConcurrency)
            self.checkTimeout = checkTimeout
            self.runTimeout = runTimeout
            self.selection = selection
            self.notApplicable = notApplicable
        }
    }

    public let graph: CheckGraph
    public let options: Options
    public let clock: C
    /// Called when a check starts and ends, for progress display.
    public let observer: (@Sendable (RunEvent) -> Void)?

    public init(graph: CheckGraph, options: Options = Options(), clock: C, observer: (@Sendable (RunEvent) -> Void)? = nil) {
        self.graph = graph
        self.options = options
        self.clock = clock
        self.observer = observer
    }

    public func run() async -> RunResult {
        let start = clock.now
        let runDeadline = start.advanced(by: options.runTimeout)
        var state = RunState(graph: graph)
        state.preResolve(selection: options.selection, notApplicable: options.notApplicable)
        observer?(.settled(done: state.settledToRun, total: state.toRun))

        var interrupted = false
        await withTaskGroup(of: (Int, CheckResult).self) { group in
            var inFlight = 0
            while true {
                while inFlight < options.maxConcurrency, let next = state.ready.popFirst() {
                    let remaining = clock.now.duration(to: runDeadline)
                    if Task.isCancelled {
                        interrupted = true
                        state.finish(next, .errored(graph.checks[next].id, "Interrupted before it ran.", action: CheckResult.runAgain))
                        continue
                    }
                    guard remaining > .zero else {
                        state.finish(
                            next,
                            .errored(graph.checks[next].id, "Not run: the run's time limit of \(options.runTimeout.secondsText) passed."))
                        continue
                    }
                    let check = graph.checks[next]
                    let context = CheckContext(facts: state.upstreamFacts(of: next), timeLimit: min(options.checkTimeout, remaining))
                    inFlight += 1
                    observer?(.started(check.id))
                    group.addTask { [clock, options] in
                        (next, await Self.execute(check, context: context, clock: clock, runLimited: remaining < options.checkTimeout, runTimeout: options.runTimeout))
                    }
                }
                guard let (position, result) = await group.next() else { break }
                inFlight -= 1
                if result.status == .error, Task.isCancelled { interrupted = true }
                observer?(.finished(result.id, result.status))
                state.finish(position, result)
                observer?(.settled(done: state.settledToRun, total: state.toRun))
            }
        }
        return RunResult(results: state.orderedResults(), interrupted: interrupted, duration: start.duration(to: clock.now))
    }

    private static func execute(
        _ check: Check, context: CheckContext, clock: C, runLimited: Bool, runTimeout: Duration
    ) async -> CheckResult {
        let started = clock.now
        let outcome = await withTimeLimit(context.timeLimit, clock: clock) { try await check.probe(context) }
        let elapsed = started.duration(to: clock.now)
        switch outcome {
        case .value(let probe):
            let isSkip = probe.verdict == .notApplicable
            return CheckResult(
                id: check.id, status: probe.verdict.status, skipReason: isSkip ? .notApplicable : nil,
                message: probe.message, evidence: probe.evidence, action: probe.action, duration: elapsed,
                blockedBy: [], facts: probe.facts, guideStep: probe.guideStep)
        case .thrown(let error):
            return .errored(check.id, "The probe failed: \(error)", duration: elapsed)
        case .timedOut:
            let cause = runLimited ? " (the run's time limit of \(runTimeout.secondsText))" : ""
            return .errored(
                check.id, "Timed out after \(context.timeLimit.secondsText)\(cause).", duration: elapsed,
                action: "Run meta-doctor again, with a longer --timeout if the network is slow; a check that keeps timing out points at the network path or a slow endpoint.")
        case .cancelled:
            return .errored(check.id, "Interrupted while it ran.", duration: elapsed, action: CheckResult.runAgain)
        }
    }
}

/// Progress notifications.
public enum RunEvent: Sendable {
    case started(CheckID)
    case finished(CheckID, CheckStatus)
    /// Of the `total` checks selected and applicable, `done` have ended (run, blocked or errored).
    case settled(done: Int, total: Int)
}

/// The runner's bookkeeping: results so far, checks waiting on prerequisites, checks ready.
private struct RunState {
    let graph: CheckGraph
    var results: [CheckResult?]
    var waitingOn: [Int]
    var ready: OrderedQueue = OrderedQueue()
    /// Checks that ended so far, and those of them decided before the run (not selected, not applicable).
    private var settled = 0
    private var decidedBeforeRun = 0

    /// The checks the run has to settle, and how many of them have been.
    var toRun: Int { graph.checks.count - decidedBeforeRun }
    var settledToRun: Int { settled - decidedBeforeRun }

    init(graph: CheckGraph) {
        self.graph = graph
        results = Array(repeating: nil, count: graph.checks.count)
        waitingOn = graph.prerequisites.map(\.count)
    }

    /// Decides what is known before anything runs: unselected and not-applicable checks, and the
    /// checks with no prerequisite.
    mutating func preResolve(selection: Selection, notApplicable: (CheckDescription) -> String?) {
        let selected = graph.selected(by: selection)
        for position in graph.checks.indices where results[position] == nil {
            let check = graph.checks[position]
            if !selected.contains(position) {
                finish(position, .skipped(check.id, .notSelected, "Not selected."))
            } else if let reason = notApplicable(check.description) {
                finish(position, .skipped(check.id, .notApplicable, reason))
            }
        }
        decidedBeforeRun = settled
        for position in graph.checks.indices where results[position] == nil && waitingOn[position] == 0 {
            ready.insert(position)
        }
    }

    /// Records a result and decides the fate of every dependent whose prerequisites have all ended.
    mutating func finish(_ position: Int, _ result: CheckResult) {
        guard results[position] == nil else { return }
        results[position] = result
        settled += 1
        ready.remove(position)
        for dependent in graph.dependents[position] where results[dependent] == nil {
            waitingOn[dependent] -= 1
            guard waitingOn[dependent] == 0 else { continue }
            resolveReady(dependent)
        }
    }

    private mutating func resolveReady(_ position: Int) {
        let upstream = graph.prerequisites[position].compactMap { results[$0] }
        let id = graph.checks[position].id
        let rootCauses = upstream.flatMap { result -> [CheckID] in
            switch result.status {
            case .fail, .error: [result.id]
            case .skip where result.skipReason == .blocked: result.blockedBy
            default: []
            }
        }
        if !rootCauses.isEmpty {
            let ordered = Set(rootCauses).sorted { graph.index[$0]! < graph.index[$1]! }
            let names = ordered.map(\.rawValue).joined(separator: ", ")
            finish(position, .skipped(id, .blocked, "Blocked by \(names).", blockedBy: ordered))
        } else if let unselected = upstream.first(where: { $0.skipReason == .notSelected }) {
            finish(position, .skipped(id, .notSelected, "Not selected: its prerequisite \(unselected.id) was not selected."))
        } else {
            ready.insert(position)
        }
    }

    /// The facts of every upstream check, nearest last so they win on a clash.
    func upstreamFacts(of position: Int) -> Facts {
        var facts = Facts()
        for upstream in graph.closure(of: [position]).sorted() where upstream != position {
            if let result = results[upstream] { facts.merge(result.facts) }
        }
        return facts
    }

    func orderedResults() -> [CheckResult] {
        results.enumerated().map { position, result in
            result ?? .errored(graph.checks[position].id, "Not run.")
        }
    }
}

/// Ready checks, started in catalog order.
private struct OrderedQueue {
    private var items: Set<Int> = []
    mutating func insert(_ position: Int) { items.insert(position) }
    mutating func remove(_ position: Int) { items.remove(position) }
    mutating func popFirst() -> Int? {
        guard let first = items.min() else { return nil }
        items.remove(first)
        return first
    }
}

extension Duration {
    /// "30 s", "1.5 s", "250 ms".
    public var secondsText: String {
        let milliseconds = Int(milliseconds)
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return "\(Double(milliseconds) / 1000) s"
    }

    public var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
