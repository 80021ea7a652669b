import DoctorKit
import Foundation

/// What changed between two reports, in the sections a reviewer reads: what broke, what was
/// fixed, what still fails, what could not be verified, and what this run did not check. A check
/// that is skipped now (blocked, not selected) is "not checked", never "fixed"; `pass -> error` is
/// "could not verify", which alone does not fail a CI gate. Only `broke` exits 1.
public struct ReportDiff: Sendable, Equatable {
    /// One run of the two: when, and which tool made it.
    public struct Run: Sendable, Equatable, Encodable {
        public let startedAt: String
        public let tool: String

        init(_ report: Report) {
            startedAt = report.startedAt
            tool = "\(report.tool.name) \(report.tool.version)"
        }
    }

    public struct Change: Sendable, Equatable, Encodable {
        public let id: CheckID
        public let before: String
        public let after: String
        public let message: String
        /// The earlier message, when a check still failing says something else now.
        public let previousMessage: String?
    }

    public let old: Run
    public let new: Run
    public let broke: [Change]
    public let fixed: [Change]
    public let stillFailing: [Change]
    public let couldNotVerify: [Change]
    public let notChecked: [Change]
    /// Every other status change (a new warning, a check that runs again and passes).
    public let otherChanges: [Change]

    public init(old: Report, new: Report) {
        self.old = Run(old)
        self.new = Run(new)
        let previous = Dictionary(old.checks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var sections = Sections()
        for check in new.checks {
            sections.add(before: previous[check.id], after: check)
        }
        let current = Set(new.checks.map(\.id))
        for check in old.checks where !current.contains(check.id) {
            sections.add(before: check, after: nil)
        }
        broke = sections.broke
        fixed = sections.fixed
        stillFailing = sections.stillFailing
        couldNotVerify = sections.couldNotVerify
        notChecked = sections.notChecked
        otherChanges = sections.otherChanges
    }

    private struct Sections {
        var broke: [Change] = []
        var fixed: [Change] = []
        var stillFailing: [Change] = []
        var couldNotVerify: [Change] = []
        var notChecked: [Change] = []
        var otherChanges: [Change] = []

        mutating func add(before: CheckReport?, after: CheckReport?) {
            let beforeLabel = before.map(ReportDiff.label) ?? "absent"
            let afterLabel = after.map(ReportDiff.label) ?? "absent"
            let message = after?.message ?? "No longer reported."
            func change(previous: String? = nil) -> Change {
                Change(id: (after ?? before)!.id, before: beforeLabel, after: afterLabel, message: message, previousMessage: previous)
            }
            let was = before?.status
            switch after?.status {
            case .fail?:
                if was == .fail {
                    stillFailing.append(change(previous: before?.message == after?.message ? nil : before?.message))
                } else {
                    broke.append(change())
                }
            case .error?:
                couldNotVerify.append(change())
            case .skip?, nil:
                if let was, was != .skip { notChecked.append(change()) }
            case .pass?, .warn?:
                if was == .fail || was == .error {
                    fixed.append(change())
                } else if beforeLabel != afterLabel {
                    otherChanges.append(change())
                }
            }
        }
    }

    static func label(_ check: CheckReport) -> String {
        check.skipReason.map { "skip (\($0.rawValue))" } ?? check.status.rawValue
    }

    /// 1 when something new fails, else 0: a check that could not verify or was not checked is no
    /// regression by itself.
    public var exitCode: Int { broke.isEmpty ? 0 : 1 }

    private var sections: [(title: String, changes: [Change])] {
        [
            ("Broke", broke), ("Fixed", fixed), ("Still failing", stillFailing), ("Could not verify", couldNotVerify),
            ("Not checked this time", notChecked), ("Other changes", otherChanges),
        ]
    }

    var header: String {
        "Comparing \(old.startedAt) (\(old.tool)) with \(new.startedAt) (\(new.tool))."
    }

    public func humanText() -> String {
        var lines = [header]
        for (title, changes) in sections where !changes.isEmpty {
            lines += ["", "\(title):"]
            for change in changes {
                lines.append("  \(change.id): \(change.before) -> \(change.after)\(changedNote(change)). \(change.message)")
                if let previous = change.previousMessage { lines.append("    before: \(previous)") }
            }
        }
        if sections.allSatisfy(\.changes.isEmpty) { lines += ["", "No check changed."] }
        return lines.joined(separator: "\n") + "\n"
    }

    public func markdown() -> String {
        var lines = ["# meta-doctor report diff", "", header]
        for (title, changes) in sections where !changes.isEmpty {
            lines += ["", "## \(title)", "", "| check | before | after | message |", "| --- | --- | --- | --- |"]
            for change in changes {
                var message = MarkdownRenderer.cell(change.message)
                if let previous = change.previousMessage { message += " (before: \(MarkdownRenderer.cell(previous)))" }
                lines.append("| `\(change.id)` | \(change.before) | \(change.after)\(changedNote(change)) | \(message) |")
            }
        }
        if sections.allSatisfy(\.changes.isEmpty) { lines += ["", "No check changed."] }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() -> String { JSONRenderer.encode(JSONForm(self)) }

    private func changedNote(_ change: Change) -> String { change.previousMessage == nil ? "" : ", changed" }

    /// The JSON form: both runs, the sections and the exit status.
    private struct JSONForm: Encodable {
        let old: Run
        let new: Run
        let broke: [Change]
        let fixed: [Change]
        let stillFailing: [Change]
        let couldNotVerify: [Change]
        let notChecked: [Change]
        let otherChanges: [Change]
        let exitCode: Int

        init(_ diff: ReportDiff) {
            old = diff.old
            new = diff.new
            broke = diff.broke
            fixed = diff.fixed
            stillFailing = diff.stillFailing
            couldNotVerify = diff.couldNotVerify
            notChecked = diff.notChecked
            otherChanges = diff.otherChanges
            exitCode = diff.exitCode
        }
    }
}
