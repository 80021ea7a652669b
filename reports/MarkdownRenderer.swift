import DoctorKit
import Foundation

/// Markdown for `$GITHUB_STEP_SUMMARY`, a pull-request comment or a support ticket: what was run
/// against, a summary table, the "Fix first" list with each fix's text, every check that did not
/// pass (the passes fold into a count), a collapsible section per failing check, and a mermaid
/// flowchart of the check graph coloured by outcome.
public enum MarkdownRenderer: ReportRenderer {
    public static let identifier = "markdown"

    static func icon(_ status: CheckStatus) -> String {
        switch status {
        case .pass: "✅ pass"
        case .warn: "⚠️ warn"
        case .fail: "❌ fail"
        case .error: "❓ error"
        case .skip: "⏭️ skip"
        }
    }

    public static func render(_ report: Report, options: RenderOptions) -> String {
        let summary = report.summary
        var lines = [
            "# meta-doctor report", "",
            "\(report.tool.name) \(report.tool.version) · exit \(report.exitCode)\(report.interrupted ? " · interrupted, partial" : "")", "",
            HumanRenderer.runLine(report), "",
            "| pass | warn | fail | error | skip |", "| ---: | ---: | ---: | ---: | ---: |",
            "| \(summary.pass) | \(summary.warn) | \(summary.fail) | \(summary.error) | \(summary.skip) |", "",
        ]
        let roots = report.rootCauses
        let dependents = report.dependentsByBlocker
        if !roots.isEmpty {
            lines += ["## Fix first", ""]
            for (number, check) in roots.enumerated() {
                lines.append("\(number + 1). \(icon(check.status)) **`\(check.id)`** \(cell(check.message))")
                if let action = check.fix.action { lines.append("   - **Fix:** " + cell(action)) }
                lines.append("   - **Guide:** [\(cell(check.fix.title))](\(check.fix.url))")
                let blocked = (dependents[check.id] ?? []).map { "`\($0.id)`" }
                if !blocked.isEmpty { lines.append("   - Blocks \(blocked.joined(separator: ", "))") }
            }
            lines.append("")
        }
        let passed = report.checks.filter { $0.status == .pass }
        let others = report.checks.filter { $0.status != .pass }
        lines += ["## Checks", ""]
        if !others.isEmpty {
            lines += ["| check | status | message |", "| --- | --- | --- |"]
            for check in others {
                lines.append("| `\(check.id)` | \(icon(check.status))\(check.skipReason.map { " (\($0.rawValue))" } ?? "") | \(cell(check.message)) |")
            }
            lines.append("")
        }
        if !passed.isEmpty {
            lines += [
                "<details>", "<summary>\(icon(.pass)): \(passed.count) \(passed.count == 1 ? "check" : "checks")</summary>", "",
                passed.map { "`\($0.id)`" }.joined(separator: " · "), "", "</details>",
            ]
        }
        let disabled = report.platforms.filter { !$0.enabled }
        if !disabled.isEmpty {
            lines.append("")
            for platform in disabled { lines.append("- \(ReportGroups.displayName(platform.name)) not checked: \(cell(platform.reason))") }
        }
        if let notes = report.notes, !notes.isEmpty {
            lines += ["", "## Notes", ""]
            for note in notes { lines.append("- \(cell(note.text)) See [\(cell(note.guideTitle))](\(note.guideURL)).") }
        }
        let detailed = report.checks.filter { $0.status == .fail || $0.status == .error || $0.status == .warn }
        if !detailed.isEmpty {
            lines += ["", "## Details", ""]
            for check in detailed {
                lines += ["<details>", "<summary>\(icon(check.status)) <code>\(html(check.id.rawValue))</code> — \(html(check.title))</summary>", ""]
                lines.append(block(check.message))
                if let action = check.fix.action { lines += ["", "**Fix:** " + block(action)] }
                lines += ["", "**Guide:** [\(cell(check.fix.title))](\(check.fix.url))"]
                if !check.evidence.isEmpty {
                    lines += ["", "| evidence | value |", "| --- | --- |"]
                    for (key, value) in check.evidence.sorted(by: { $0.key < $1.key }) {
                        lines.append("| \(cell(key)) | \(cell(value.inlineText)) |")
                    }
                }
                lines += ["", "</details>", ""]
            }
        }
        lines += ["", "## Check graph", "", "```mermaid", MermaidGraph.render(report), "```"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text in a table cell: no pipes or line breaks, and no HTML or link (see `plain`).
    static func cell(_ text: String) -> String {
        plain(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// Messages and fixes quote Meta's and the webhook's words, which are untrusted: they must not
    /// open an HTML tag or make a link or image in a rendered report. Other punctuation stays as it
    /// is (a `>` opens no tag; menu paths are full of them), so the markdown file stays readable.
    static func plain(_ text: String) -> String {
        text.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "[", with: "\\[")
            .replacingOccurrences(of: "]", with: "\\]")
    }

    /// Untrusted text (a manifest's id, a message from Meta) inline in markdown, in a table cell
    /// too: every character that could start markup, a link, an image or HTML is backslash-escaped
    /// (CommonMark lets any ASCII punctuation be escaped), and line breaks become spaces.
    public static func inlineText(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "!", "&", "~", "#", "(", ")": escaped += "\\\(character)"
            case "\n", "\r", "\r\n": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static func block(_ text: String) -> String { plain(text).replacingOccurrences(of: "\n", with: "  \n") }

    static func html(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// The check graph as a mermaid flowchart, each node coloured by its outcome when a report is given.
public enum MermaidGraph {
    public static func render(_ report: Report) -> String {
        render(nodes: report.checks.map { ($0.id, $0.title, $0.prerequisites, $0.status) })
    }

    public static func render(nodes: [(id: CheckID, title: String, prerequisites: [CheckID], status: CheckStatus?)]) -> String {
        var lines = ["flowchart LR"]
        for node in nodes {
            lines.append("  \(key(node.id))[\"\(node.id.rawValue)\"]")
        }
        for node in nodes {
            for prerequisite in node.prerequisites { lines.append("  \(key(prerequisite)) --> \(key(node.id))") }
        }
        let classes: [CheckStatus: String] = [
            .pass: "fill:#d4edda,stroke:#28a745", .warn: "fill:#fff3cd,stroke:#ffc107", .fail: "fill:#f8d7da,stroke:#dc3545",
            .error: "fill:#e2d9f3,stroke:#6f42c1", .skip: "fill:#eeeeee,stroke:#999999",
        ]
        let used = Set(nodes.compactMap(\.status))
        for status in CheckStatus.allCases where used.contains(status) {
            lines.append("  classDef \(status.rawValue) \(classes[status]!)")
            let members = nodes.filter { $0.status == status }.map { key($0.id) }
            lines.append("  class \(members.joined(separator: ",")) \(status.rawValue)")
        }
        return lines.joined(separator: "\n")
    }

    /// Mermaid node ids cannot hold dots or dashes.
    static func key(_ id: CheckID) -> String {
        id.rawValue.replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_")
    }
}
