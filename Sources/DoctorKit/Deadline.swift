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
                    try await clock.sleep(for: limit)
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
