import DoctorKit
import Testing

@Suite("Time limits")
struct DeadlineTests {
    @Test("A time limit longer than one timer step ends a hung operation at the limit, not at the first step", .timeLimit(.minutes(1)))
    func limitPastOneStep() async {
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = await withTimeLimit(.milliseconds(2500), clock: clock) {
            try await Task.sleep(for: .seconds(3600))
            return "unreachable"
        }
        let elapsed = started.duration(to: clock.now)
        guard case .timedOut = outcome else {
            Issue.record("expected a time-out, got \(outcome)")
            return
        }
        #expect(elapsed >= .milliseconds(2500))
    }

    @Test("An operation that finishes within the limit gives its value", .timeLimit(.minutes(1)))
    func valueWithinLimit() async {
        let outcome = await withTimeLimit(.seconds(20), clock: ContinuousClock()) { "done" }
        guard case .value(let value) = outcome else {
            Issue.record("expected a value, got \(outcome)")
            return
        }
        #expect(value == "done")
    }
}
