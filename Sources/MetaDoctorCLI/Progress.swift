import DoctorKit
import Foundation
import Synchronization

/// A live progress line on stderr while checks run, only when stderr is a terminal: which checks
/// are running, and for how long the oldest has been.
final class Progress: Sendable {
    private struct State {
        var running: [CheckID: ContinuousClock.Instant] = [:]
        var finished = 0
        var drawn = false
    }

    private let enabled: Bool
    private let state = Mutex(State())

    init(enabled: Bool) { self.enabled = enabled }

    var observe: (@Sendable (RunEvent) -> Void)? {
        guard enabled else { return nil }
        return { [self] event in self.handle(event) }
    }

    private func handle(_ event: RunEvent) {
        let line: String = state.withLock { state in
            switch event {
            case .started(let id): state.running[id] = .now
            case .finished(let id, _):
                state.running[id] = nil
                state.finished += 1
            }
            state.drawn = true
            let oldest = state.running.min { $0.value < $1.value }
            let names = state.running.keys.map(\.rawValue).sorted().prefix(3).joined(separator: ", ")
            var text = "\(state.finished) done, running: \(names.isEmpty ? "-" : names)"
            if let oldest {
                let seconds = Int(oldest.value.duration(to: .now).components.seconds)
                if seconds >= 5 { text += " (\(oldest.key) slow: \(seconds) s)" }
            }
            return text
        }
        Terminal.writeErrControl("\r\u{1B}[2K" + Redactor.neutralizeControls(line))
    }

    /// Clears the line before the report is printed.
    func finish() {
        guard enabled, state.withLock({ $0.drawn }) else { return }
        Terminal.writeErrControl("\r\u{1B}[2K")
    }
}
