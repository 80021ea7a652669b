import DoctorKit
import Foundation

/// GitHub Actions workflow commands, in fix-first order: an `::error` per failed or errored check
/// (root causes first), a `::warning` per warning, at most ten of each kind, since GitHub shows
/// only a few per step; the rest are named in one `::notice`, then a `::notice` with the summary.
public enum GitHubRenderer: ReportRenderer {
    public static let identifier = "github"

    /// The most annotations of one kind a report writes.
    public static let limitPerKind = 10

    public static func render(_ report: Report, options: RenderOptions) -> String {
        var lines: [String] = []
        var omitted: [String] = []
        let kinds: [(command: String, noun: String, checks: [CheckReport])] = [
            ("error", "error", report.rootCauses), ("warning", "warning", report.checks.filter { $0.status == .warn }),
        ]
        for kind in kinds {
            for check in kind.checks.prefix(limitPerKind) {
                var message = check.message
                if let action = check.fix.action { message += "\nFix: \(action)" }
                message += "\nGuide: \(check.fix.title) — \(check.fix.url)"
                let title = "meta-doctor \(check.id): \(check.title)"
                lines.append("::\(kind.command) title=\(property(title))::\(data(message))")
            }
            let rest = kind.checks.dropFirst(limitPerKind)
            if !rest.isEmpty {
                omitted.append("\(rest.count) more \(kind.noun)\(rest.count == 1 ? "" : "s"): \(rest.map(\.id.rawValue).joined(separator: ", "))")
            }
        }
        if !omitted.isEmpty {
            lines.append("::notice title=\(property("meta-doctor: more findings"))::\(data(omitted.joined(separator: "; ") + ". The full report has them."))")
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
