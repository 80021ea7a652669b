import Foundation

/// The report of one run: the contract every format renders from. It serializes to JSON without
/// loss, so any format can be rendered later from a saved JSON report.
public struct Report: Sendable, Codable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var tool: Tool
    /// ISO 8601, UTC.
    public var startedAt: String
    public var durationMs: Int
    public var exitCode: Int
    public var interrupted: Bool
    public var summary: Summary
    public var platforms: [PlatformStatus]
    /// What the run checked against and the options that change verdicts; absent in reports
    /// written before it existed.
    public var settings: RunSettings?
    /// What the report cannot verify but the reader should know, with the guide step that says
    /// more; absent in reports written before it existed.
    public var notes: [ReportNote]?
    public var checks: [CheckReport]

    public struct Tool: Sendable, Codable, Equatable {
        public var name: String
        public var version: String
        public init(name: String, version: String) {
            self.name = name
            self.version = version
        }
    }

    public struct Summary: Sendable, Codable, Equatable {
        public var pass = 0
        public var warn = 0
        public var fail = 0
        public var error = 0
        public var skip = 0

        public init(_ checks: [CheckReport]) {
            for check in checks {
                switch check.status {
                case .pass: pass += 1
                case .warn: warn += 1
                case .fail: fail += 1
                case .error: error += 1
                case .skip: skip += 1
                }
            }
        }
    }

    public init(
        tool: Tool, startedAt: String, durationMs: Int, exitCode: Int, interrupted: Bool,
        platforms: [PlatformStatus], checks: [CheckReport]
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.tool = tool
        self.startedAt = startedAt
        self.durationMs = durationMs
        self.exitCode = exitCode
        self.interrupted = interrupted
        self.summary = Summary(checks)
        self.platforms = platforms
        self.checks = checks
    }

    /// The root causes to fix first: failed and errored checks that block others come first,
    /// then the remaining failures and errors, in catalog order.
    public var rootCauses: [CheckReport] {
        let blocking = Set(checks.flatMap(\.blockedBy))
        let broken = checks.filter { $0.status == .fail || $0.status == .error }
        return broken.filter { blocking.contains($0.id) } + broken.filter { !blocking.contains($0.id) }
    }

    /// The checks each check blocks, for all of them at once: renderers use this, so a report
    /// renders in time linear in its size.
    public var dependentsByBlocker: [CheckID: [CheckReport]] {
        var result: [CheckID: [CheckReport]] = [:]
        for check in checks {
            for blocker in check.blockedBy { result[blocker, default: []].append(check) }
        }
        return result
    }
}

/// A remark the report makes besides the checks' verdicts.
public struct ReportNote: Sendable, Codable, Equatable {
    public var text: String
    public var guideTitle: String
    public var guideURL: String

    public init(text: String, guideTitle: String, guideURL: String) {
        self.text = text
        self.guideTitle = guideTitle
        self.guideURL = guideURL
    }
}

/// What a run was pointed at and the options that change its verdicts, so a report read later
/// says what it judged.
public struct RunSettings: Sendable, Codable, Equatable {
    public var graphURL: String
    public var graphVersion: String
    /// `--strict`: warnings fail the run.
    public var strict: Bool
    /// `--only` and `--skip` patterns.
    public var only: [String]
    public var skip: [String]
    /// `--platform`; nil: every configured platform.
    public var platforms: [String]?

    public init(graphURL: String, graphVersion: String, strict: Bool, only: [String], skip: [String], platforms: [String]?) {
        self.graphURL = graphURL
        self.graphVersion = graphVersion
        self.strict = strict
        self.only = only
        self.skip = skip
        self.platforms = platforms
    }

    /// The options as a reader would type them: `--strict --only 'webhook.*'`; empty for none.
    public var optionsText: String {
        var parts: [String] = []
        if strict { parts.append("--strict") }
        if let platforms { parts.append("--platform \(platforms.joined(separator: ","))") }
        if !only.isEmpty { parts.append("--only '\(only.joined(separator: ","))'") }
        if !skip.isEmpty { parts.append("--skip '\(skip.joined(separator: ","))'") }
        return parts.joined(separator: " ")
    }
}

/// Whether a platform is checked in this run, and why (not).
public struct PlatformStatus: Sendable, Codable, Equatable {
    public var name: String
    public var enabled: Bool
    public var reason: String

    public init(name: String, enabled: Bool, reason: String) {
        self.name = name
        self.enabled = enabled
        self.reason = reason
    }
}

/// One check in a report.
public struct CheckReport: Sendable, Codable, Equatable {
    public var id: CheckID
    public var title: String
    public var platform: String?
    public var status: CheckStatus
    public var skipReason: SkipReason?
    public var message: String
    public var durationMs: Int
    public var prerequisites: [CheckID]
    public var blockedBy: [CheckID]
    public var evidence: Evidence
    public var fix: Fix

    public struct Fix: Sendable, Codable, Equatable {
        /// The guide step's anchor.
        public var step: String
        /// The guide's heading, with its number: "8. Create a system user token for WhatsApp".
        public var title: String
        public var url: String
        /// What to do; absent on a pass.
        public var action: String?
        /// The step's number in the guide (absent for an unnumbered section, and in older reports).
        public var number: Int?

        public init(step: String, title: String, url: String, action: String?, number: Int? = nil) {
            self.step = step
            self.title = title
            self.url = url
            self.action = action
            self.number = number
        }
    }

    public init(
        id: CheckID, title: String, platform: String?, status: CheckStatus, skipReason: SkipReason?,
        message: String, durationMs: Int, prerequisites: [CheckID], blockedBy: [CheckID],
        evidence: Evidence, fix: Fix
    ) {
        self.id = id
        self.title = title
        self.platform = platform
        self.status = status
        self.skipReason = skipReason
        self.message = message
        self.durationMs = durationMs
        self.prerequisites = prerequisites
        self.blockedBy = blockedBy
        self.evidence = evidence
        self.fix = fix
    }

    private enum CodingKeys: String, CodingKey {
        case id, title, platform, status, skipReason, message, durationMs, prerequisites, blockedBy, evidence, fix
    }

    /// Writes `platform` and `skipReason` as explicit nulls: the contract has every key on every check.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(platform, forKey: .platform)
        try container.encode(status, forKey: .status)
        try container.encode(skipReason, forKey: .skipReason)
        try container.encode(message, forKey: .message)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encode(prerequisites, forKey: .prerequisites)
        try container.encode(blockedBy, forKey: .blockedBy)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(fix, forKey: .fix)
    }
}

/// Turns a run into a report.
public struct ReportBuilder: Sendable {
    public var tool: Report.Tool
    /// Where the setup guide lives; a step's URL is this plus `#anchor`.
    public var guideBaseURL: String
    /// Checks whose failure means the inputs are unusable (exit 2).
    public var inputChecks: Set<CheckID>
    public var strict: Bool
    /// The guide section every `error` verdict links to (network, proxy, rate limits, outages),
    /// unless the probe named a more specific step; nil keeps the check's own step.
    public var couldNotVerifyStep: GuideStep?

    public init(tool: Report.Tool, guideBaseURL: String, inputChecks: Set<CheckID>, strict: Bool, couldNotVerifyStep: GuideStep? = nil) {
        self.tool = tool
        self.guideBaseURL = guideBaseURL
        self.inputChecks = inputChecks
        self.strict = strict
        self.couldNotVerifyStep = couldNotVerifyStep
    }

    public func report(
        for run: RunResult, graph: CheckGraph, startedAt: Date, platforms: [PlatformStatus]
    ) -> Report {
        let checks = zip(graph.checks, run.results).map { check, result in
            checkReport(check.description, result)
        }
        let exitCode = ExitStatus.code(for: checks, strict: strict, inputChecks: inputChecks, interrupted: run.interrupted)
        return Report(
            tool: tool, startedAt: Self.timestamp(startedAt), durationMs: Int(run.duration.milliseconds.rounded()),
            exitCode: exitCode, interrupted: run.interrupted, platforms: platforms, checks: checks)
    }

    func checkReport(_ description: CheckDescription, _ result: CheckResult) -> CheckReport {
        let needsAction = result.status == .fail || result.status == .error || result.status == .warn
        let action = needsAction ? (result.action ?? description.remediation) : nil
        let step = result.guideStep ?? (result.status == .error ? couldNotVerifyStep : nil) ?? description.guideStep
        return CheckReport(
            id: description.id, title: description.title, platform: description.platform, status: result.status,
            skipReason: result.skipReason, message: result.message,
            durationMs: Int(result.duration.milliseconds.rounded()), prerequisites: description.prerequisites,
            blockedBy: result.blockedBy, evidence: result.evidence,
            fix: .init(step: step.anchor, title: step.heading, url: "\(guideBaseURL)#\(step.anchor)", action: action, number: step.number))
    }

    static func timestamp(_ date: Date) -> String {
        var style = Date.ISO8601FormatStyle()
        style.timeZone = TimeZone(identifier: "UTC")!
        return date.formatted(style)
    }
}

/// The exit status, which is also the report's `exitCode`.
public enum ExitStatus {
    public static let success = 0
    public static let failed = 1
    public static let unusableInputs = 2
    public static let couldNotVerify = 3
    /// A report could not be written (a file, or standard output when it was the only target).
    public static let outputFailed = 74
    /// Ctrl-C (SIGINT).
    public static let interrupted = 130
    /// SIGTERM: a CI cancellation or `timeout`; the report is partial as with Ctrl-C.
    public static let terminated = 143

    /// 2 when an input check failed; else 1 on any failure (with `strict`, any warning too); else 3
    /// on any error; else 0. An interrupted run is 130.
    public static func code(for checks: [CheckReport], strict: Bool, inputChecks: Set<CheckID>, interrupted: Bool) -> Int {
        if interrupted { return Self.interrupted }
        if checks.contains(where: { inputChecks.contains($0.id) && $0.status == .fail }) { return unusableInputs }
        if checks.contains(where: { $0.status == .fail || (strict && $0.status == .warn) }) { return failed }
        if checks.contains(where: { $0.status == .error }) { return couldNotVerify }
        return success
    }
}
