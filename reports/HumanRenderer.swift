import Foundation
import DoctorKit

/// The terminal report: the root causes to fix first, then every check grouped by platform with a
/// mark, its message and, under a failure, the fix and the guide step.
public enum HumanRenderer: ReportRenderer {
    public static let identifier = "human"

    public static func render(_ report: Report, options: RenderOptions) -> String {
        let style = Style(color: options.color)
        var lines: [String] = []
        lines.append(style.bold("\(report.tool.name) \(report.tool.version)") + " — " + summaryLine(report))
        if report.interrupted { lines.append(style.paint("Interrupted: the report is partial.", .yellow)) }

        let rootCauses = report.rootCauses
        let rootCauseIDs = Set(rootCauses.map(\.id))
        let dependents = report.dependentsByBlocker
        if !rootCauses.isEmpty {
            lines.append("")
            lines.append(style.bold("Fix first"))
            for (number, check) in rootCauses.enumerated() {
                lines.append("  \(number + 1). \(style.mark(check.status)) \(check.id) — \(check.message)")
                if let action = check.fix.action { lines.append("     Fix: \(action)") }
                lines.append("     Guide: \(check.fix.title) — \(check.fix.url)")
                let blocked = (dependents[check.id] ?? []).map(\.id.rawValue)
                if !blocked.isEmpty { lines.append("     Blocks: \(blocked.joined(separator: ", "))") }
            }
        }

        let width = report.checks.map(\.id.rawValue.count).max() ?? 0
        for group in ReportGroups.groups(report) {
            lines.append("")
            lines.append(style.bold(group.title))
            for check in group.checks {
                let id = check.id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
                var line = "  \(style.mark(check.status)) \(id)  \(check.status == .skip ? style.dim(check.message) : check.message)"
                if options.verbose { line += style.dim(" (\(check.durationMs) ms)") }
                lines.append(line)
                if check.status == .fail || check.status == .error || check.status == .warn, let action = check.fix.action,
                    !rootCauseIDs.contains(check.id) || check.status == .warn
                {
                    lines.append("      fix: \(action)")
                    lines.append("      guide: \(check.fix.title) — \(check.fix.url)")
                }
                if options.verbose, !check.evidence.isEmpty {
                    for (key, value) in check.evidence.sorted(by: { $0.key < $1.key }) {
                        lines.append(style.dim("      \(key): \(value.inlineText)"))
                    }
                }
            }
        }

        let disabled = report.platforms.filter { !$0.enabled }
        if !disabled.isEmpty {
            lines.append("")
            for platform in disabled { lines.append(style.dim("\(platform.name): not checked. \(platform.reason)")) }
        }
        lines.append("")
        lines.append(exitLine(report.exitCode) + (options.verbose ? " Took \(report.durationMs) ms." : ""))
        return lines.joined(separator: "\n") + "\n"
    }

    static func summaryLine(_ report: Report) -> String {
        let summary = report.summary
        return "\(summary.pass) passed, \(summary.warn) warnings, \(summary.fail) failed, \(summary.error) errors, \(summary.skip) skipped"
    }

    static func exitLine(_ code: Int) -> String {
        switch code {
        case ExitStatus.success: "Exit 0: no check failed."
        case ExitStatus.failed: "Exit 1: a check failed."
        case ExitStatus.unusableInputs: "Exit 2: the configuration is unusable."
        case ExitStatus.couldNotVerify: "Exit 3: nothing failed, but some checks could not verify."
        case ExitStatus.outputFailed: "Exit 74: a report could not be written."
        case ExitStatus.interrupted: "Exit 130: interrupted."
        case ExitStatus.terminated: "Exit 143: terminated (SIGTERM)."
        default: "Exit \(code)."
        }
    }
}

/// ANSI styling that disappears when colour is off.
struct Style {
    enum Color: String {
        case red = "31"
        case green = "32"
        case yellow = "33"
        case magenta = "35"
    }

    let color: Bool

    func paint(_ text: String, _ tint: Color) -> String { color ? "\u{1B}[\(tint.rawValue)m\(text)\u{1B}[0m" : text }
    func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { color ? "\u{1B}[2m\(text)\u{1B}[0m" : text }

    func mark(_ status: CheckStatus) -> String {
        switch status {
        case .pass: paint("✓", .green)
        case .warn: paint("!", .yellow)
        case .fail: paint("✗", .red)
        case .error: paint("?", .magenta)
        case .skip: dim("-")
        }
    }
}
