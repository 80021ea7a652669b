import Foundation
import DoctorKit

/// The terminal report: what was run against, the root causes to fix first, then every check
/// grouped by platform with a mark, its message and, under a failure, the fix and the guide step.
/// A platform that is not checked is one line. It ends with a recap naming what to do, so the
/// answer is on the last screen. With a width, text wraps with a hanging indent.
public enum HumanRenderer: ReportRenderer {
    public static let identifier = "human"

    public static func render(_ report: Report, options: RenderOptions) -> String {
        let style = Style(color: options.color)
        let text = TextLayout(width: options.width)
        var lines: [String] = []
        lines.append(style.bold("\(report.tool.name) \(report.tool.version)") + " — " + summaryLine(report))
        lines += text.wrap(runLine(report), lead: "", indent: 2)
        if report.interrupted { lines.append(style.paint("Interrupted: the report is partial.", .yellow)) }

        let rootCauses = report.rootCauses
        let rootCauseIDs = Set(rootCauses.map(\.id))
        let dependents = report.dependentsByBlocker
        if !rootCauses.isEmpty {
            lines.append("")
            lines.append(style.bold("Fix first"))
            // Numbers are padded to one width, so every item's lines start in one column.
            let numberWidth = String(rootCauses.count).count
            let margin = String(repeating: " ", count: numberWidth + 4)
            for (number, check) in rootCauses.enumerated() {
                let label = "\(number + 1).".padding(toLength: numberWidth + 1, withPad: " ", startingAt: 0)
                lines += text.wrap(
                    "\(check.id) — \(check.message)", lead: "  \(label) " + style.mark(check.status) + " ", leadWidth: margin.count + 2,
                    indent: margin.count)
                if let action = check.fix.action { lines += text.wrap(action, lead: margin + "Fix: ", indent: margin.count + 5) }
                lines += text.wrap("\(check.fix.title) — \(check.fix.url)", lead: margin + "Guide: ", indent: margin.count + 7)
                let blocked = (dependents[check.id] ?? []).map(\.id.rawValue)
                if !blocked.isEmpty { lines += text.wrap(blocked.joined(separator: ", "), lead: margin + "Blocks: ", indent: margin.count + 8) }
            }
        }

        let disabled = Dictionary(report.platforms.filter { !$0.enabled }.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let groups = ReportGroups.groups(report)
        let width = groups.filter { disabled[$0.key] == nil }.flatMap(\.checks).map(\.id.rawValue.count).max() ?? 0
        for group in groups {
            if let platform = disabled[group.key], group.checks.allSatisfy({ $0.status == .skip }) {
                lines.append("")
                lines += text.wrap(platform.reason, lead: style.bold(group.title) + ": not checked. ", leadWidth: group.title.count + 15, indent: 2).map(style.dim)
                continue
            }
            lines.append("")
            lines.append(style.bold(group.title))
            for check in group.checks {
                let id = check.id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
                var message = check.message
                if options.verbose { message += " (\(check.durationMs) ms)" }
                let row = text.wrap(message, lead: "  \(style.mark(check.status)) \(id)  ", leadWidth: width + 6, indent: width + 6)
                lines += check.status == .skip ? row.map(style.dim) : row
                if check.status == .fail || check.status == .error || check.status == .warn, let action = check.fix.action,
                    !rootCauseIDs.contains(check.id) || check.status == .warn
                {
                    lines += text.wrap(action, lead: "      fix: ", indent: 11)
                    lines += text.wrap("\(check.fix.title) — \(check.fix.url)", lead: "      guide: ", indent: 13)
                }
                if options.verbose, !check.evidence.isEmpty {
                    for (key, value) in check.evidence.sorted(by: { $0.key < $1.key }) {
                        lines += text.wrap(value.inlineText, lead: "      \(key): ", indent: 8).map(style.dim)
                    }
                }
            }
        }
        for platform in report.platforms where !platform.enabled && !groups.contains(where: { $0.key == platform.name }) {
            lines.append("")
            let title = ReportGroups.displayName(platform.name)
            lines += text.wrap(platform.reason, lead: style.bold(title) + ": not checked. ", leadWidth: title.count + 15, indent: 2).map(style.dim)
        }
        for note in report.notes ?? [] {
            lines.append("")
            lines += text.wrap("\(note.text) See \(note.guideTitle) — \(note.guideURL)", lead: "Note: ", indent: 6)
        }
        lines.append("")
        lines += text.wrap(recap(report), lead: "", indent: 0)
        lines.append(exitLine(report.exitCode) + (options.verbose ? " Took \(report.durationMs) ms." : ""))
        return lines.joined(separator: "\n") + "\n"
    }

    static func summaryLine(_ report: Report) -> String {
        let summary = report.summary
        return "\(summary.pass) passed, \(plural(summary.warn, "warning")), \(summary.fail) failed, \(plural(summary.error, "error")), \(summary.skip) skipped"
    }

    /// When the run happened and against what, and the options that change its verdicts.
    static func runLine(_ report: Report) -> String {
        var parts = ["Run \(report.startedAt)"]
        if let settings = report.settings {
            parts.append("Graph API \(settings.graphURL) \(settings.graphVersion)")
            let options = settings.optionsText
            parts.append(options.isEmpty ? "no options that change verdicts" : "options: \(options)")
        }
        return parts.joined(separator: " · ")
    }

    /// The last words of the report: what to fix, with the guide steps, what could not be
    /// verified, what warns; or that nothing needs doing.
    static func recap(_ report: Report) -> String {
        /// The first few checks with their guide steps; a long list ends "and N more".
        func named(_ checks: [CheckReport], limit: Int = 5) -> String {
            let shown = checks.prefix(limit).map { check in check.fix.number.map { "\(check.id) (step \($0))" } ?? check.id.rawValue }
            return shown.joined(separator: ", ") + (checks.count > limit ? " and \(checks.count - limit) more" : "")
        }
        let broken = report.rootCauses
        let failing = broken.filter { $0.status == .fail }
        let unverified = broken.filter { $0.status == .error }
        let warnings = report.checks.filter { $0.status == .warn }
        var sentences: [String] = []
        if !failing.isEmpty { sentences.append("\(failing.count) to fix: \(named(failing)).") }
        if !unverified.isEmpty {
            sentences.append("\(unverified.count) could not verify: \(named(unverified)); run again, and see the guide's \"When a check could not verify\" if it persists.")
        }
        if !warnings.isEmpty { sentences.append("\(plural(warnings.count, "warning")): \(named(warnings)).") }
        if report.interrupted { sentences.append("The run was interrupted: run it again for a full report.") }
        if sentences.isEmpty { return "Nothing to fix." }
        if !broken.isEmpty { sentences.append("See Fix first above.") }
        return sentences.joined(separator: " ")
    }

    static func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

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

/// Wraps text to a width with a hanging indent: continuation lines start under the text, and a
/// "• " bullet's continuation lines under the bullet's text. No width: no wrapping (files, pipes).
public struct TextLayout: Sendable {
    public let width: Int?

    public init(width: Int?) { self.width = width }

    /// `text` after `lead` (whose visible width is `leadWidth`, default its length); continuation
    /// lines and later paragraphs indented by `indent` columns.
    public func wrap(_ text: String, lead: String, leadWidth: Int? = nil, indent: Int) -> [String] {
        var lines: [String] = []
        for (index, paragraph) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let first = index == 0 ? lead : String(repeating: " ", count: indent)
            let firstWidth = index == 0 ? (leadWidth ?? lead.count) : indent
            let bullet = paragraph.hasPrefix("• ") ? 2 : 0
            lines += wrapParagraph(String(paragraph), first: first, firstWidth: firstWidth, indent: indent + bullet)
        }
        return lines
    }

    private func wrapParagraph(_ paragraph: String, first: String, firstWidth: Int, indent: Int) -> [String] {
        guard let width, width > indent + 10 else { return [first + paragraph] }
        var lines: [String] = []
        var line = first
        var used = firstWidth
        var empty = true
        for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
            let length = word.count
            if !empty, used + 1 + length > width {
                lines.append(line)
                line = String(repeating: " ", count: indent) + word
                used = indent + length
                continue
            }
            line += (empty ? "" : " ") + word
            used += (empty ? 0 : 1) + length
            empty = false
        }
        lines.append(line)
        return lines
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
