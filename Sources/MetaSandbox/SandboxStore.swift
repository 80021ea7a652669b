import Synchronization

/// The sandbox's state: the model, which Graph writes change as Meta's would, and what requests
/// change besides (the request log, issued app tokens, fault and usage counters). Shared by the
/// server's request handlers.
final class SandboxStore: Sendable {
    private let current: Mutex<IntegrationModel>
    let faults: [SandboxFault]
    /// Sends Meta's verification request to a callback URL (`POST /{app-id}/subscriptions`, MB-G28).
    let verifier: any CallbackVerifier
    /// A fleet world's rate limits (nil: usage counts from the start against Meta's hourly budgets).
    let throttle: SandboxThrottle?
    private let state = Mutex(State())

    /// The world as it is now.
    var model: IntegrationModel { current.withLock { $0 } }

    /// Applies a write's change to the world.
    func update(_ change: (inout IntegrationModel) -> Void) { current.withLock { change(&$0) } }

    private struct State {
        var requests: [RecordedRequest] = []
        var issuedAppTokens: Set<String> = []
        /// Matching requests so far, by index in `faults` (serverError counts them).
        var faultHits: [Int: Int] = [:]
        var calls: [UsageSubject: Int] = [:]
        /// Under a throttle: each subject's current window, its start and its calls.
        var windows: [UsageSubject: (start: ContinuousClock.Instant, calls: Int)] = [:]
    }

    init(
        model: IntegrationModel, faults: [SandboxFault], verifier: any CallbackVerifier = UnreachableCallbacks(),
        throttle: SandboxThrottle? = nil
    ) {
        current = Mutex(model)
        self.faults = faults
        self.verifier = verifier
        self.throttle = throttle
    }

    func record(_ request: RecordedRequest) { state.withLock { $0.requests.append(request) } }

    var requests: [RecordedRequest] { state.withLock { $0.requests } }

    func register(appToken: String) { _ = state.withLock { $0.issuedAppTokens.insert(appToken) } }

    func isIssued(appToken: String) -> Bool { state.withLock { $0.issuedAppTokens.contains(appToken) } }

    /// Counts one call against `subject`; returns the count including it (in the current window,
    /// under a throttle).
    func countCall(_ subject: UsageSubject) -> Int {
        state.withLock { state in
            guard let throttle else {
                state.calls[subject, default: 0] += 1
                return state.calls[subject]!
            }
            let now = ContinuousClock.now
            var window = state.windows[subject] ?? (now, 0)
            if window.start.duration(to: now) >= throttle.window { window = (now, 0) }
            window.calls += 1
            state.windows[subject] = window
            return window.calls
        }
    }

    /// Under a throttle, whether `subject` has spent its window's budget, and the minutes until the
    /// window ends (at least 1); nil when it may call.
    func throttledMinutes(_ subject: UsageSubject) -> Int? {
        guard let throttle else { return nil }
        return state.withLock { state in
            let now = ContinuousClock.now
            guard let window = state.windows[subject], window.start.duration(to: now) < throttle.window,
                window.calls >= throttle.budget(subject)
            else { return nil }
            let left = throttle.window - window.start.duration(to: now)
            return max(1, Int((Double(left.components.seconds) / 60).rounded(.up)))
        }
    }

    /// The faults matching a request (path components without the version), counted.
    func plan(for components: [String]) -> FaultPlan {
        state.withLock { state in
            var plan = FaultPlan()
            for (index, fault) in faults.enumerated() where fault.route.matches(components) {
                let answer: FaultPlan.Answer
                switch fault.kind {
                case .latency(let duration):
                    plan.latency += duration
                    continue
                case .malformedJSON:
                    plan.malformedJSON = true
                    continue
                case .serverError(let times):
                    let hits = state.faultHits[index, default: 0]
                    guard hits < times else { continue }
                    state.faultHits[index] = hits + 1
                    answer = .serverError
                case .htmlPage: answer = .htmlPage
                case .rateLimit(let code, let minutes): answer = .rateLimit(code: code, minutes: minutes)
                case .hang: answer = .hang
                }
                if plan.answer == nil { plan.answer = answer }
            }
            return plan
        }
    }

    /// `count` random characters of the URL-safe base64 alphabet: fbtrace ids, opaque token parts.
    static func opaque(_ count: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return String((0..<count).map { _ in alphabet.randomElement()! })
    }
}
