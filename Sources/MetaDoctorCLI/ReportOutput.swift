import DoctorKit
import Foundation
import Reports

/// Writes a report to its targets: stdout carries only the report (logs go to stderr).
struct ReportOutput {
    let targets: [OutputTarget]
    let options: RenderOptions

    /// Writes every target; returns the problems (an unwritable file), which go to stderr.
    func write(_ report: Report) -> [String] {
        var problems: [String] = []
        for target in targets {
            let text = target.format.render(report, options: target.path == nil ? options : RenderOptions(color: false, verbose: options.verbose))
            if let path = target.path {
                do { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) } catch {
                    problems.append("Cannot write the \(target.format.rawValue) report to \(path): \(error.localizedDescription)")
                }
            } else {
                Terminal.writeOut(text)
            }
        }
        return problems
    }
}

/// Standard output and error, and what they are connected to.
enum Terminal {
    static func writeOut(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
    static func writeErr(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    static func isTTY(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// Colour only on a terminal, never with NO_COLOR (any value) or TERM=dumb or `--no-color`.
    static func useColor(noColorFlag: Bool, environment: [String: String]) -> Bool {
        !noColorFlag && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb" && isTTY(STDOUT_FILENO)
    }
}
