import DoctorKit
import Dispatch
import Foundation
import Synchronization

/// A live progress line on stderr while checks run, only when stderr is a terminal (and not
/// `TERM=dumb` or CI): how many checks have ended of how many, and the check running longest with
/// its seconds. It is redrawn every second and on every terminal resize, is cut to the terminal's
/// width so it never wraps, and is cleared completely before the report.
final class Progress: Sendable {
    private let enabled: Bool
    private let line = ProgressLine()
    /// The one-second timer and the SIGWINCH source that redraw the line.
    private let sources: Mutex<[any DispatchSourceProtocol]>

    init(enabled: Bool) {
        self.enabled = enabled
        sources = Mutex(enabled ? Self.redrawSources(for: line) : [])
    }

    /// The one-second timer and the SIGWINCH source, both redrawing `line`.
    private static func redrawSources(for line: ProgressLine) -> [any DispatchSourceProtocol] {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { line.redraw() }
        timer.resume()
        signal(SIGWINCH, SIG_IGN)
        let resize = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        resize.setEventHandler { line.redraw() }
        resize.resume()
        return [timer, resize]
    }

    /// Whether a progress line belongs on this stderr: a terminal that can redraw a line, outside CI.
    static func wanted(environment: [String: String]) -> Bool {
        Terminal.isTTY(STDERR_FILENO) && environment["CI"] == nil && environment["TERM"] != "dumb"
    }

    var observe: (@Sendable (RunEvent) -> Void)? {
        guard enabled else { return nil }
        return { [line] event in line.handle(event) }
    }

    /// The progress line, at most `width - 1` columns (the last column would wrap on some terminals):
    /// "14/22 · waiting on whatsapp.token 7 s".
    static func line(done: Int, total: Int, slowest: (id: CheckID, seconds: Int)?, width: Int) -> String {
        var text = "\(done)/\(total)"
        if let slowest {
            text += slowest.seconds >= 1 ? " · waiting on \(slowest.id) \(slowest.seconds) s" : " · running \(slowest.id)"
        }
        let safe = Redactor.neutralizeControls(text)
        let room = max(1, width - 1)
        return safe.count <= room ? safe : String(safe.prefix(max(0, room - 1))) + "…"
    }

    /// Stops redrawing and clears the line before the report is printed.
    func finish() {
        guard enabled else { return }
        sources.withLock { sources in
            for source in sources { source.cancel() }
            sources.removeAll()
        }
        line.finish()
    }
}

/// The state the progress line shows, and its drawing.
private final class ProgressLine: Sendable {
    private struct State {
        var running: [CheckID: ContinuousClock.Instant] = [:]
        var done = 0
        var total = 0
        var drawn = false
        var finished = false
    }

    private let state = Mutex(State())

    func handle(_ event: RunEvent) {
        state.withLock { state in
            switch event {
            case .started(let id): state.running[id] = .now
            case .finished(let id, _): state.running[id] = nil
            case .settled(let done, let total):
                state.done = done
                state.total = total
            }
        }
        redraw()
    }

    /// Draws under the lock, so no redraw can land after `finish` cleared the line.
    func redraw() {
        state.withLock { state in
            guard !state.finished else { return }
            state.drawn = true
            let now = ContinuousClock.now
            let slowest = state.running.min { $0.value < $1.value }.map { ($0.key, Int($0.value.duration(to: now).components.seconds)) }
            let text = Progress.line(done: state.done, total: state.total, slowest: slowest, width: Terminal.width(of: STDERR_FILENO) ?? 80)
            Terminal.writeErrControl("\r\u{1B}[2K" + text)
        }
    }

    func finish() {
        state.withLock { state in
            state.finished = true
            if state.drawn { Terminal.writeErrControl("\r\u{1B}[2K") }
        }
    }
}
