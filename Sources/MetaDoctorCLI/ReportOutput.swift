import DoctorKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MetaConfig
import Reports
import Synchronization

/// Writes a report to its targets: stdout carries only the report (logs go to stderr).
///
/// Files come first, so a closed or failing standard output never loses them. The exit status is
/// the `exitCode` of every report that was delivered: a file that cannot be written turns it into
/// 74 (and the files already written are written again with it); a standard output that fails
/// keeps the files' status, or is 74 when standard output was the only target.
struct ReportOutput {
    let targets: [OutputTarget]
    let options: RenderOptions
    /// `$GITHUB_STEP_SUMMARY`: a report to this file is appended, as every step of a job shares it.
    var stepSummary: String?

    struct Outcome {
        /// The exit status, equal to the `exitCode` of the reports written.
        let exitCode: Int
        /// What could not be written, for stderr.
        let problems: [String]
    }

    func write(_ report: Report) -> Outcome {
        var appendOffsets: [String: UInt64] = [:]
        var report = report
        var problems: [String] = []
        let files = targets.filter { $0.path != nil }
        var written: [OutputTarget] = []
        var fileFailed = false
        for target in files {
            if let problem = writeFile(target, report, appendOffsets: &appendOffsets) {
                problems.append(problem)
                fileFailed = true
            } else {
                written.append(target)
            }
        }
        if fileFailed, report.exitCode != ExitStatus.outputFailed {
            report.exitCode = ExitStatus.outputFailed
            for target in written {
                if let problem = writeFile(target, report, appendOffsets: &appendOffsets) { problems.append(problem) }
            }
        }
        if let target = targets.first(where: { $0.path == nil }) {
            if let failure = Terminal.writeOut(target.format.render(report, options: options)) {
                problems.append("Cannot write the \(target.format.rawValue) report to standard output: \(failure).")
                if written.isEmpty { report.exitCode = ExitStatus.outputFailed }
            }
        }
        return Outcome(exitCode: report.exitCode, problems: problems)
    }

    /// Writes one file; the step summary is appended to, after what it held before this run
    /// (`appendOffsets`), so writing it again replaces only this run's part.
    private func writeFile(_ target: OutputTarget, _ report: Report, appendOffsets: inout [String: UInt64]) -> String? {
        guard let path = target.path else { return nil }
        let text = target.format.render(report, options: RenderOptions(color: false, verbose: options.verbose))
        do {
            if let stepSummary, !stepSummary.isEmpty, OutputTarget.canonicalPath(stepSummary) == OutputTarget.canonicalPath(path) {
                if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                defer { try? handle.close() }
                let start = try appendOffsets[path] ?? handle.seekToEnd()
                appendOffsets[path] = start
                try handle.truncate(atOffset: start)
                try handle.seek(toOffset: start)
                try handle.write(contentsOf: Data(text.utf8))
                return nil
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return nil
        } catch {
            return "Cannot write the \(target.format.rawValue) report to \(path): \(FileReadError.describe(error))."
        }
    }
}

/// Standard output and error, and what they are connected to.
enum Terminal {
    /// Redacts every line written to stderr: set once the run's secrets are known.
    private static let stderrRedactor = Mutex(Redactor.textOnly)

    static func redactStderr(with redactor: Redactor) { stderrRedactor.withLock { $0 = redactor } }

    /// Writes to stdout; returns why it failed (a closed pipe, a full disk), or nil.
    @discardableResult
    static func writeOut(_ text: String) -> String? { write(Array(text.utf8), to: STDOUT_FILENO) }

    /// Writes a log line or error to stderr, redacted and with control characters neutralised.
    static func writeErr(_ text: String) {
        let redacted = stderrRedactor.withLock { $0 }.redact(text)
        _ = write(Array(redacted.utf8), to: STDERR_FILENO)
    }

    /// Writes the project's own terminal control sequences (the progress line) to stderr.
    static func writeErrControl(_ text: String) { _ = write(Array(text.utf8), to: STDERR_FILENO) }

    /// A write loop over `write(2)` that reports errors instead of trapping (FileHandle.write traps
    /// on EPIPE and ENOSPC). SIGPIPE is ignored for the whole process, so a closed pipe is EPIPE.
    static func write(_ bytes: [UInt8], to descriptor: Int32) -> String? {
        var offset = 0
        while offset < bytes.count {
            let result = bytes[offset...].withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress, buffer.count)
            }
            if result < 0 {
                if errno == EINTR { continue }
                return errno == EPIPE ? "the reader closed it (broken pipe)" : String(cString: strerror(errno))
            }
            offset += result
        }
        return nil
    }

    /// Ignores SIGPIPE, so a reader that exits early is a write error, not the process's death.
    static func ignoreBrokenPipes() { signal(SIGPIPE, SIG_IGN) }

    static func isTTY(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// Colour only on a terminal, never with NO_COLOR set and not empty (no-color.org), TERM=dumb
    /// or `--no-color`.
    static func useColor(noColorFlag: Bool, environment: [String: String]) -> Bool {
        !noColorFlag && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb" && isTTY(STDOUT_FILENO)
    }

    /// The width of the terminal on `descriptor`, or nil when it is not a terminal. It is read on
    /// every call, so a resized window is followed.
    static func width(of descriptor: Int32) -> Int? {
        guard isTTY(descriptor) else { return nil }
        var size = winsize()
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return nil
    }

}
