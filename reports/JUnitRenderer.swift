import DoctorKit
import Foundation

/// JUnit XML, as Jenkins, GitLab and GitHub test reporters read it: one testsuite per platform
/// (and one for the cross-platform checks), one testcase per check with its title as `name` and its
/// id as `classname`; failures carry the fix in their body, errors are `<error>`, skips
/// `<skipped>` with the reason. No host name or timestamp, so two runs differ only in times.
public enum JUnitRenderer: ReportRenderer {
    public static let identifier = "junit"

    public static func render(_ report: Report, options: RenderOptions) -> String {
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
        let summary = report.summary
        lines.append(
            "<testsuites name=\"meta-doctor\" tests=\"\(report.checks.count)\" failures=\"\(summary.fail)\" errors=\"\(summary.error)\" skipped=\"\(summary.skip)\" time=\"\(seconds(report.durationMs))\">"
        )
        for group in ReportGroups.groups(report) {
            let checks = group.checks
            let failures = checks.filter { $0.status == .fail }.count
            let errors = checks.filter { $0.status == .error }.count
            let skipped = checks.filter { $0.status == .skip }.count
            let time = checks.reduce(0) { $0 + $1.durationMs }
            lines.append(
                "  <testsuite name=\"\(escape(group.key))\" tests=\"\(checks.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\" time=\"\(seconds(time))\">"
            )
            for check in checks {
                let open = "    <testcase name=\"\(escape(check.title))\" classname=\"\(escape(check.id.rawValue))\" time=\"\(seconds(check.durationMs))\""
                switch check.status {
                case .pass:
                    lines.append(open + "/>")
                case .warn:
                    lines.append(open + ">")
                    lines.append("      <system-out>\(escape("warning: \(check.message)\n\(fixText(check))"))</system-out>")
                    lines.append("    </testcase>")
                case .fail, .error:
                    let element = check.status == .fail ? "failure" : "error"
                    lines.append(open + ">")
                    lines.append(
                        "      <\(element) message=\"\(escape(check.message))\" type=\"\(check.status.rawValue)\">\(escape(fixText(check)))</\(element)>")
                    lines.append("    </testcase>")
                case .skip:
                    lines.append(open + ">")
                    lines.append("      <skipped message=\"\(escape("\(check.skipReason?.rawValue ?? "skipped"): \(check.message)"))\"/>")
                    lines.append("    </testcase>")
                }
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    static func fixText(_ check: CheckReport) -> String {
        var text = ""
        if let action = check.fix.action { text += "Fix: \(action)\n" }
        text += "Guide: \(check.fix.title) — \(check.fix.url)"
        if !check.blockedBy.isEmpty { text += "\nBlocked by: \(check.blockedBy.map(\.rawValue).joined(separator: ", "))" }
        return text
    }

    static func seconds(_ milliseconds: Int) -> String { String(format: "%.3f", Double(milliseconds) / 1000) }

    /// XML-escapes text for attributes and bodies; drops characters XML 1.0 cannot carry.
    public static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\n": result += "&#10;"
            case "\t": result += "&#9;"
            case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value): continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// Checks grouped by platform: cross-platform checks ("general") first, then each platform.
enum ReportGroups {
    struct Group {
        let key: String
        let title: String
        let checks: [CheckReport]
    }

    static func groups(_ report: Report) -> [Group] {
        var groups = [Group(key: "general", title: "General", checks: report.checks.filter { $0.platform == nil })]
        let platformNames = report.platforms.map(\.name)
        let extra = Set(report.checks.compactMap(\.platform)).subtracting(platformNames).sorted()
        for name in platformNames + extra {
            groups.append(Group(key: name, title: displayName(name), checks: report.checks.filter { $0.platform == name }))
        }
        return groups.filter { !$0.checks.isEmpty }
    }

    static func displayName(_ platform: String) -> String {
        switch platform {
        case "whatsapp": "WhatsApp"
        default: platform.prefix(1).uppercased() + platform.dropFirst()
        }
    }
}
