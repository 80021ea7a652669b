import DoctorKit
import Foundation

/// GitHub Actions workflow commands: an `::error` per failed or errored check, a `::warning` per
/// warning, a `::notice` with the summary.
public enum GitHubRenderer: ReportRenderer {
    public static let identifier = "github"

    public static func render(_ report: Report, options: RenderOptions) -> String {
        var lines: [String] = []
        for check in report.checks {
            let command: String
            switch check.status {
            case .fail, .error: command = "error"
            case .warn: command = "warning"
            default: continue
            }
            var message = check.message
            if let action = check.fix.action { message += "\nFix: \(action)" }
            message += "\nGuide: \(check.fix.url)"
            let title = "meta-doctor \(check.id): \(check.title)"
            lines.append("::\(command) title=\(property(title))::\(data(message))")
        }
        let summary = report.summary
        lines.append(
            "::notice title=meta-doctor::\(data("\(summary.pass) passed, \(summary.warn) warnings, \(summary.fail) failed, \(summary.error) errors, \(summary.skip) skipped (exit \(report.exitCode))"))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Escapes a workflow command's message.
    static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Escapes a workflow command's property value.
    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
