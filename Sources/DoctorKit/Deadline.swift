import Synchronization

/// How a time-limited operation ended.
public enum DeadlineOutcome<Value: Sendable>: Sendable {
    case value(Value)
    case thrown(any Error)
    case timedOut
    case cancelled
}

/// Runs `operation` with a time limit measured on `clock`.
///
/// The result comes from whichever finishes first: the operation, the clock, or the caller's
/// cancellation. A task group cannot do this, because it waits for every child before it returns,
/// and a probe stuck in a call that ignores cancellation would hang the whole run. Here the losing
/// operation is cancelled and abandoned, so the caller always gets an answer on time.
public func withTimeLimit<C: Clock, Value: Sendable>(
    _ limit: Duration, clock: C, operation: @escaping @Sendable () async throws -> Value
) async -> DeadlineOutcome<Value> where C.Duration == Duration {
    let race = Race<Value>()
    return await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
            race.install(continuation)
            let work = Task {
                do {
                    race.finish(.value(try await operation()))
                } catch is CancellationError {
                    race.finish(.cancelled)
                } catch {
                    race.finish(.thrown(error))
                }
            }
            let timer = Task {
                do {
                    try await sleepInSteps(for: limit, on: clock)
                    race.finish(.timedOut)
                } catch {
                    // Cancelled: the operation finished first.
                }
            }
            race.attach(work: work, timer: timer)
        }
    } onCancel: {
        race.finish(.cancelled)
    }
}

/// The longest single sleep of a time limit's timer. A cancelled `Task.sleep` frees its wake-up job
/// (about 0.7 KiB) only at the deadline it was given, not when it is cancelled (swiftlang/swift#60441,
/// so in Swift 6.3 on Linux): a check's 20 s timer cancelled after 0.2 s holds its memory 19.8 s more,
/// and a fleet finishing dozens of runs a second piled up thousands (10 KiB per integration over
/// 1,000). Sleeping toward the deadline in steps leaves at most one step behind a cancelled timer.
let timerStep: Duration = .seconds(1)

/// Sleeps `limit` on `clock`, one `timerStep` at a time, to the same deadline as one long sleep.
func sleepInSteps<C: Clock>(for limit: Duration, on clock: C) async throws where C.Duration == Duration {
    let deadline = clock.now.advanced(by: limit)
    var now = clock.now
    while now < deadline {
        try await clock.sleep(until: min(deadline, now.advanced(by: timerStep)), tolerance: nil)
        now = clock.now
    }
}

/// The shared state of one `withTimeLimit` call: the first `finish` wins, resumes the caller and
/// cancels both contenders.
private final class Race<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<DeadlineOutcome<Value>, Never>?
        var outcome: DeadlineOutcome<Value>?
        var resumed = false
        var tasks: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    func install(_ continuation: CheckedContinuation<DeadlineOutcome<Value>, Never>) {
        let early: DeadlineOutcome<Value>? = state.withLock { state in
            if let outcome = state.outcome, !state.resumed {
                state.resumed = true
                return outcome
            }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    func attach(work: Task<Void, Never>, timer: Task<Void, Never>) {
        let finished = state.withLock { state in
            state.tasks = [work, timer]
            return state.outcome != nil
        }
        if finished {
            work.cancel()
            timer.cancel()
        }
    }

    func finish(_ outcome: DeadlineOutcome<Value>) {
        let (continuation, tasks): (CheckedContinuation<DeadlineOutcome<Value>, Never>?, [Task<Void, Never>]) =
            state.withLock { state in
                guard state.outcome == nil else { return (nil, []) }
                state.outcome = outcome
                guard let continuation = state.continuation, !state.resumed else { return (nil, state.tasks) }
                state.resumed = true
                state.continuation = nil
                return (continuation, state.tasks)
            }
        continuation?.resume(returning: outcome)
        for task in tasks { task.cancel() }
    }
}
