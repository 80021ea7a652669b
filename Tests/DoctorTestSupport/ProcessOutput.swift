import Foundation
import Synchronization

/// Runs blocking work (a pipe read, `waitUntilExit`, a socket `connect`) on a thread of its own.
/// Swift's concurrency pool has one thread per core, two on CI: work that blocks them stalls every
/// test running beside it, and two blocked at once stall the whole run, time limits included.
public func onOwnThread<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}

extension Process {
    /// Waits for the process to end without blocking a thread of the concurrency pool.
    public func exited() async {
        await onOwnThread { [self] in waitUntilExit() }
    }
}

/// What a child process writes to a pipe, read on a thread of its own as it arrives, so the child
/// never blocks on a full pipe and the test can wait for a line without blocking the pool.
public final class PipeReader: Sendable {
    private struct State {
        var bytes = Data()
        var ended = false
    }

    /// Shared with the reading thread, which outlives the reader when a test drops it early.
    private final class Storage: Sendable {
        let state = Mutex(State())
    }

    private let storage = Storage()

    public init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread { [storage] in
            while true {
                let chunk = handle.availableData
                let ended = chunk.isEmpty
                storage.state.withLock {
                    $0.bytes.append(chunk)
                    $0.ended = ended
                }
                if ended { return }
            }
        }.start()
    }

    /// Everything read so far.
    public var text: String { String(decoding: storage.state.withLock { $0.bytes }, as: UTF8.self) }

    /// Waits until the text read so far satisfies `condition`, the pipe ends, or `limit` passes
    /// (a generous bound, only against a hang); returns the text read by then.
    @discardableResult
    public func wait(
        until condition: (String) -> Bool, atMost limit: Duration = .seconds(60)
    ) async -> String {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while true {
            let (text, ended) = storage.state.withLock { (String(decoding: $0.bytes, as: UTF8.self), $0.ended) }
            if condition(text) || ended || ContinuousClock.now >= deadline { return text }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until the writer closes the pipe (the child ended); returns all it wrote.
    @discardableResult
    public func untilEnd() async -> Data {
        while true {
            let (bytes, ended) = storage.state.withLock { ($0.bytes, $0.ended) }
            if ended { return bytes }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
