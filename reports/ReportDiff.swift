import DoctorKit

/// What changed between two reports: fixed (failed or errored before, not now), broke (not failed
/// or errored before, now is), and other status changes. A CI gate on regressions fails on `broke`.
public struct ReportDiff: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public let id: CheckID
        public let before: String
        public let after: String
        public let message: String
    }

    public let fixed: [Change]
    public let broke: [Change]
    public let changed: [Change]

    public init(old: Report, new: Report) {
        let previous = Dictionary(old.checks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var fixed: [Change] = []
        var broke: [Change] = []
        var changed: [Change] = []
        for check in new.checks {
            let before = previous[check.id]
            let beforeLabel = before.map(Self.label) ?? "absent"
            let afterLabel = Self.label(check)
            let change = Change(id: check.id, before: beforeLabel, after: afterLabel, message: check.message)
            let wasBroken = before.map(Self.isBroken) ?? false
            if wasBroken, !Self.isBroken(check) {
                fixed.append(change)
            } else if !wasBroken, Self.isBroken(check) {
                broke.append(change)
            } else if beforeLabel != afterLabel {
                changed.append(change)
            }
        }
        let current = Set(new.checks.map(\.id))
        for check in old.checks where !current.contains(check.id) {
            let change = Change(id: check.id, before: Self.label(check), after: "absent", message: "No longer reported.")
            if Self.isBroken(check) { fixed.append(change) } else { changed.append(change) }
        }
        self.fixed = fixed
        self.broke = broke
        self.changed = changed
    }

    static func isBroken(_ check: CheckReport) -> Bool { check.status == .fail || check.status == .error }

    static func label(_ check: CheckReport) -> String {
        check.skipReason.map { "skip (\($0.rawValue))" } ?? check.status.rawValue
    }

    /// 1 when something new fails, else 0.
    public var exitCode: Int { broke.isEmpty ? 0 : 1 }

    public func humanText() -> String {
        var lines: [String] = []
        for (title, changes) in [("Fixed", fixed), ("Broke", broke), ("Changed", changed)] where !changes.isEmpty {
            lines.append("\(title):")
            for change in changes { lines.append("  \(change.id): \(change.before) -> \(change.after). \(change.message)") }
        }
        if lines.isEmpty { lines.append("No check changed.") }
        return lines.joined(separator: "\n") + "\n"
    }
}
