import DoctorKit
import Foundation
import Reports

/// What a fleet run came to, across its integrations: counts by outcome and the root causes
/// grouped (check, status, guide step) with the ids that share each. It holds a few ids per group
/// and counts for the rest, so its size does not grow with the fleet. reports/fleet-summary.schema.json
/// describes its JSON.
public struct FleetSummary: Sendable, Codable, Equatable {
    public static let currentSchemaVersion = 1
    /// The most ids a group lists; the rest are counted in `more`.
    public static let listedIDs = 20

    public var schemaVersion = FleetSummary.currentSchemaVersion
    public var tool: Report.Tool
    public var startedAt: String
    public var durationMs: Int
    /// 1 when an integration failed (or its configuration is unusable); else 3 when one could not be
    /// verified; else 0; 130/143 when interrupted.
    public var exitCode: Int
    public var interrupted: Bool
    /// Integrations checked in this run.
    public var integrations: Int
    /// Integrations of the manifest this run left out: another shard's, or already in `--resume`'s file.
    public var skipped: Skipped
    public var outcomes: Outcomes
    /// Most integrations first, then check id.
    public var rootCauses: [RootCause]
    /// What pacing by Meta's usage headers did to the run (MB-G42).
    public var pacing = Pacing()

    public struct Pacing: Sendable, Codable, Equatable {
        /// Requests held back (above the threshold, or until a throttled subject's access returns),
        /// and their total wait.
        public var waits = 0
        public var waitedMs = 0
        /// Requests not sent because the wait would pass their integration's deadline.
        public var notSent = 0
    }

    public struct Skipped: Sendable, Codable, Equatable {
        public var otherShards = 0
        public var resumed = 0
    }

    /// Integrations by their report's exit status.
    public struct Outcomes: Sendable, Codable, Equatable {
        /// Exit 0 without a warning.
        public var passed = IDGroup()
        /// Exit 0 with warnings.
        public var warned = IDGroup()
        /// Exit 1: a check failed.
        public var failed = IDGroup()
        /// Exit 2: the integration's configuration is unusable.
        public var unusable = IDGroup()
        /// Exit 3: nothing failed, but something could not be verified (a rate limit, the network).
        public var couldNotVerify = IDGroup()
    }

    /// A count and the `listedIDs` first ids in sorted order, whatever order the integrations
    /// finished in, so two runs of one fleet list the same ids.
    public struct IDGroup: Sendable, Codable, Equatable {
        public var count = 0
        public var ids: [String] = []
        /// How many ids are not listed.
        public var more: Int { count - ids.count }

        mutating func add(_ id: String) {
            count += 1
            let position = ids.firstIndex { $0 > id } ?? ids.endIndex
            guard position < FleetSummary.listedIDs else { return }
            ids.insert(id, at: position)
            if ids.count > FleetSummary.listedIDs { ids.removeLast() }
        }

        enum CodingKeys: String, CodingKey { case count, ids, more }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            count = try container.decode(Int.self, forKey: .count)
            ids = try container.decode([String].self, forKey: .ids)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(count, forKey: .count)
            try container.encode(ids, forKey: .ids)
            try container.encode(more, forKey: .more)
        }
    }

    /// One check's verdict shared by integrations: "whatsapp.waba-subscribed fail" with its guide step.
    public struct RootCause: Sendable, Codable, Equatable {
        public var check: String
        public var status: String
        public var title: String
        /// The first integration's message, as an example (ids differ between integrations).
        public var example: String
        public var fix: CheckReport.Fix
        public var integrations: IDGroup
    }
}

/// Adds up the integrations' reports as they finish; keeps only the summary's own data.
struct FleetSummaryBuilder {
    private var outcomes = FleetSummary.Outcomes()
    private var causes: [String: FleetSummary.RootCause] = [:]
    private(set) var count = 0

    mutating func add(id: String, report: Report) {
        count += 1
        switch report.exitCode {
        case ExitStatus.success: report.summary.warn > 0 ? outcomes.warned.add(id) : outcomes.passed.add(id)
        case ExitStatus.unusableInputs: outcomes.unusable.add(id)
        case ExitStatus.couldNotVerify: outcomes.couldNotVerify.add(id)
        default: outcomes.failed.add(id)
        }
        for check in report.rootCauses + report.checks.filter({ $0.status == .warn }) {
            let key = "\(check.id.rawValue) \(check.status.rawValue) \(check.fix.step)"
            // The step is shared; the action names one integration's ids.
            var fix = check.fix
            fix.action = nil
            var cause =
                causes[key]
                ?? FleetSummary.RootCause(
                    check: check.id.rawValue, status: check.status.rawValue, title: check.title, example: "\(id): \(check.message)",
                    fix: fix, integrations: FleetSummary.IDGroup())
            cause.integrations.add(id)
            causes[key] = cause
        }
    }

    func summary(startedAt: Date, duration: Duration, interrupted: Bool, skipped: FleetSummary.Skipped) -> FleetSummary {
        let exitCode: Int
        if interrupted {
            exitCode = ExitStatus.interrupted
        } else if outcomes.failed.count + outcomes.unusable.count > 0 {
            exitCode = ExitStatus.failed
        } else if outcomes.couldNotVerify.count > 0 {
            exitCode = ExitStatus.couldNotVerify
        } else {
            exitCode = ExitStatus.success
        }
        let ordered = causes.values.sorted {
            ($0.integrations.count, $1.check, $1.status) > ($1.integrations.count, $0.check, $0.status)
        }
        var style = Date.ISO8601FormatStyle()
        style.timeZone = TimeZone(identifier: "UTC")!
        return FleetSummary(
            tool: MetaDoctorVersion.tool, startedAt: startedAt.formatted(style),
            durationMs: Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000),
            exitCode: exitCode, interrupted: interrupted, integrations: count, skipped: skipped, outcomes: outcomes, rootCauses: ordered)
    }
}

/// The summary as text (stderr), markdown and JSON.
public enum FleetSummaryRenderer {
    public static func text(_ summary: FleetSummary) -> String {
        var lines = ["meta-doctor fleet: \(summary.integrations) integration\(summary.integrations == 1 ? "" : "s") in \(seconds(summary.durationMs)): " + outcomeLine(summary)]
        if summary.skipped.otherShards + summary.skipped.resumed > 0 {
            lines.append("  left out: \(summary.skipped.otherShards) of other shards, \(summary.skipped.resumed) already in the --resume file")
        }
        if summary.interrupted { lines.append("  interrupted: the integrations not finished have no report") }
        if let pacing = pacingLine(summary.pacing) { lines.append("  \(pacing)") }
        if !summary.rootCauses.isEmpty { lines.append("Root causes across the fleet:") }
        for cause in summary.rootCauses {
            lines.append("  \(cause.integrations.count) × \(cause.check) \(verdict(cause.status)) (it checks: \(cause.title))")
            lines.append("      \(idList(cause.integrations))")
            lines.append("      e.g. \(cause.example)")
            lines.append("      fix: \(cause.fix.title): \(cause.fix.url)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func markdown(_ summary: FleetSummary) -> String {
        var lines = [
            "## meta-doctor fleet", "",
            "\(summary.integrations) integrations in \(seconds(summary.durationMs)): \(outcomeLine(summary)). Exit status \(summary.exitCode).",
            "",
        ]
        if summary.skipped.otherShards + summary.skipped.resumed > 0 {
            lines += ["Left out: \(summary.skipped.otherShards) of other shards, \(summary.skipped.resumed) already in the --resume file.", ""]
        }
        if let pacing = pacingLine(summary.pacing) { lines += [pacing.prefix(1).uppercased() + pacing.dropFirst() + ".", ""] }
        if !summary.rootCauses.isEmpty {
            lines += ["| Integrations | Check | Status | Fix | Ids |", "|---:|---|---|---|---|"]
            for cause in summary.rootCauses {
                lines.append(
                    "| \(cause.integrations.count) | `\(cause.check)` \(escape(cause.title)) | \(cause.status) | [\(escape(cause.fix.title))](\(cause.fix.url)) | \(escape(idList(cause.integrations))) |"
                )
            }
            lines.append("")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ summary: FleetSummary) -> String { JSONRenderer.encode(summary) }

    static func outcomeLine(_ summary: FleetSummary) -> String {
        let outcomes = summary.outcomes
        return [
            (outcomes.passed.count, "passed"), (outcomes.warned.count, "passed with warnings"), (outcomes.failed.count, "failed"),
            (outcomes.unusable.count, "with an unusable configuration"), (outcomes.couldNotVerify.count, "could not be verified"),
        ].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ").ifEmpty("none checked")
    }

    /// A check's status as a root cause's line says it: the check's title, which follows, says
    /// what should hold ("The app secret is valid"), so "fail: The app secret is valid" misread.
    static func verdict(_ status: String) -> String {
        switch status {
        case CheckStatus.fail.rawValue: "failed"
        case CheckStatus.error.rawValue: "could not verify"
        case CheckStatus.warn.rawValue: "warned"
        default: status
        }
    }

    /// Why a run took longer than its integrations: nil when the pacer held nothing back.
    static func pacingLine(_ pacing: FleetSummary.Pacing) -> String? {
        guard pacing.waits + pacing.notSent > 0 else { return nil }
        let waited = pacing.waits == 0
            ? nil : "\(pacing.waits) request\(pacing.waits == 1 ? "" : "s") slowed, \(seconds(pacing.waitedMs)) in all"
        let refused = pacing.notSent == 0 ? nil : "\(pacing.notSent) not sent (the wait would pass the deadline)"
        return "paced by Meta's usage headers: " + [waited, refused].compactMap { $0 }.joined(separator: "; ")
    }

    static func idList(_ group: FleetSummary.IDGroup) -> String {
        group.ids.joined(separator: ", ") + (group.more > 0 ? " and \(group.more) more" : "")
    }

    static func seconds(_ milliseconds: Int) -> String { String(format: "%.1f s", Double(milliseconds) / 1000) }

    /// Ids come from the manifest and can hold anything: escaped as untrusted text.
    static func escape(_ text: String) -> String { MarkdownRenderer.inlineText(text) }
}

extension String {
    fileprivate func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
