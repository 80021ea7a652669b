import ArgumentParser
import DoctorKit
import Foundation
import MetaChecks
import MetaConfig
import MetaGraph

extension MetaDoctorCommand {
    /// `meta-doctor fix`: plan the Graph writes that repair this run's findings; with `--apply`,
    /// make them and check again.
    public struct Fix: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Repair what one Graph API write can repair: shows the plan, changes nothing without --apply.",
            discussion: """
                Runs the checks (the same configuration and options as check), then plans one Graph write per finding it \
                can repair: the WABA or the Page not subscribed to the app, a Page subscription missing a field, the app's \
                webhook subscription missing an object or a field or calling another URL, a stale WABA callback override. \
                It never deletes, never touches tokens, roles, assets or app settings, and writes only with --apply. \
                Configuration values a finding shows wrong (an id in the wrong place whose right value a token shows, \
                ngrok's new URL) are planned as .env line changes, which --apply --write-env makes.

                Exit status without --apply: 0 nothing to change, 1 the plan has steps or configuration changes, 2 and \
                64 as for check. With --apply: 0 every repaired check passes afterwards, 1 otherwise (a write Meta \
                refused included, and a configuration change not written).
                """)

        @OptionGroup(title: "Configuration") var config: ConfigFlags
        @OptionGroup(title: "Run") var options: RunOptions
        @Flag(help: "Make the planned writes, then check the repaired checks again.") var apply = false
        @Flag(help: "With --apply, also rewrite the .env lines the plan changes (a backup is kept next to the file).")
        var writeEnv = false

        public init() {}

        public func validate() throws {
            for format in options.formats where !["human", "json"].contains(format) {
                throw ValidationError("fix prints its plan as human or json, to standard output; '\(format)' is neither.")
            }
            if writeEnv && !apply { throw ValidationError("--write-env goes with --apply.") }
            if options.formats.count > 1 || options.output != nil {
                throw ValidationError("fix prints one plan to standard output: give at most one --format and no --output.")
            }
        }

        public func run() async throws {
            let startedAt = ContinuousClock.now
            let environment = ProcessInfo.processInfo.environment
            let configuration = ConfigurationLoader(envFile: config.envFile, environment: environment, flags: config.values).load()
            var request = options.request(for: configuration, startedAt: startedAt)
            request.graphProxy = ProxySettings(environment: environment)
            let status = try await FixExecution.execute(
                request, apply: apply, configurationWrites: writeEnv ? .envFile : .none, offersWriteEnv: true, json: options.formats == ["json"])
            if status != 0 { throw ExitCode(status) }
        }
    }
}

/// The plan, the writes and the second look, shared by `fix` and `demo --fix`.
enum FixExecution {
    /// How `--apply` makes a plan's configuration changes.
    enum ConfigurationWrites {
        /// Rewrites the `.env` lines (`fix --apply --write-env`).
        case envFile
        /// Leaves them, and says so (`fix --apply`): the exit status stays 1.
        case none
        /// Sets them in the run's own configuration (`demo --fix`: the sandbox's, no file).
        case inMemory
    }

    /// Runs the checks, prints the plan and, with `apply`, writes and checks again; returns the exit
    /// status. `offersWriteEnv`: the command has `--write-env` (`demo --fix` has no .env file).
    static func execute(
        _ request: DoctorRunRequest, apply: Bool, configurationWrites: ConfigurationWrites = .none, offersWriteEnv: Bool = false,
        json: Bool
    ) async throws -> Int32 {
        let (report, repairs, configChanges) = try await DoctorRun.runWithRepairs(request)
        let redactor = Redactor(secrets: request.configuration.secretValues)
        let credentials = GraphCredentials(request.configuration)
        let plan = RepairPlan.make(report: report, repairs: repairs, configChanges: configChanges, credentials: credentials)
        if report.exitCode == 2 {
            write(FixOutput.text(plan, report: report, applied: nil, after: nil, offersWriteEnv: offersWriteEnv), json: json, plan: plan, redactor: redactor)
            return 2
        }
        let nothingPlanned = plan.steps.isEmpty && plan.configChanges.isEmpty
        guard apply, !nothingPlanned else {
            write(FixOutput.text(plan, report: report, applied: nil, after: nil, offersWriteEnv: offersWriteEnv), json: json, plan: plan, redactor: redactor)
            return nothingPlanned ? 0 : 1
        }
        let outcomes = plan.steps.isEmpty ? [] : try await DoctorRun.apply(plan, request: request)
        var envEdits: [FixOutput.EnvEdit] = []
        var written: Set<Int> = []
        let refusedWrite = outcomes.contains { $0.refusal != nil }
        if refusedWrite {
            envEdits += plan.configChanges.map {
                .init(name: $0.name, source: $0.source, done: false, text: "Not rewritten: \($0.name), as a write Meta refused comes first; run fix again.")
            }
        } else if configurationWrites == .inMemory {
            written = Set(plan.configChanges.indices)
            envEdits += plan.configChanges.map {
                .init(name: $0.name, source: $0.source, done: true, text: "Set \($0.name)=\($0.to) in the run's configuration (no file to rewrite).")
            }
        } else if configurationWrites == .envFile {
            // One rewrite a file, so its backup is the file as it was before this run.
            let files = plan.configChanges.indices.compactMap { plan.configChanges[$0].file }
            for file in files.enumerated().filter({ files.firstIndex(of: $0.element) == $0.offset }).map(\.element) {
                let indices = plan.configChanges.indices.filter { plan.configChanges[$0].file == file }
                let changes = indices.map { plan.configChanges[$0] }
                do throws(EnvFileEditor.EditError) {
                    let backup = try EnvFileEditor.apply(changes)
                    written.formUnion(indices)
                    envEdits += changes.map { .init(name: $0.name, source: $0.source, done: true, text: "Rewrote \($0.name) in \($0.source) (the old file is \(backup)).") }
                } catch {
                    envEdits += changes.map { .init(name: $0.name, source: $0.source, done: false, text: "Not rewritten: \(error.description)") }
                }
            }
        }
        let unwritten = plan.configChanges.indices.filter { !written.contains($0) }.map { plan.configChanges[$0] }
        if !refusedWrite {
            envEdits += unwritten.filter { $0.file == nil }.map {
                .init(name: $0.name, source: $0.source, done: false, text: "\($0.name) is set in \($0.source): change it there.")
            }
        }
        if configurationWrites == .none, offersWriteEnv, unwritten.contains(where: { $0.file != nil }) {
            envEdits.append(.init(name: nil, source: nil, done: false, text: "The configuration lines were not rewritten: add --write-env, or change them by hand."))
        }
        // Run again (with their prerequisites): the checks the writes repaired, and those whose only
        // repair is configuration now all written. They run with every planned value, as the
        // "After the changes" header says; a change left unwritten still makes the exit status 1.
        let byChangesOnly = Set(plan.configChanges.compactMap(\.check)).subtracting(plan.steps.map(\.check))
        let fullyWritten = byChangesOnly.filter { check in !unwritten.contains { $0.check == check } }
        var again = request
        again.configuration = request.configuration.replacing(plan.configChanges.map { ($0.key, $0.to) })
        let repaired = Set(outcomes.filter { $0.refusal == nil }.map(\.step.check)).union(fullyWritten)
        again.selection = Selection(only: repaired.map(\.rawValue).sorted())
        again.deadline = nil
        let after = again.selection.only.isEmpty ? nil : try await DoctorRun.run(again)
        write(
            FixOutput.text(plan, report: report, applied: outcomes, after: after, offersWriteEnv: offersWriteEnv)
                + envEdits.map { $0.text + "\n" }.joined(), json: json,
            plan: plan, applied: outcomes, after: after, envEdits: envEdits, redactor: redactor)
        let refused = outcomes.contains { $0.refusal != nil }
        let stillFailing = (plan.steps.map(\.check) + byChangesOnly).contains { check in
            after?.checks.first { $0.id == check }?.status != .pass
        }
        return refused || stillFailing || !unwritten.isEmpty ? 1 : 0
    }

    private static func write(
        _ text: String, json: Bool, plan: RepairPlan, applied: [DoctorRun.WriteOutcome]? = nil, after: Report? = nil,
        envEdits: [FixOutput.EnvEdit]? = nil, redactor: Redactor
    ) {
        let output = json ? FixOutput.json(plan, applied: applied, after: after, envEdits: envEdits) : text
        _ = Terminal.writeOut(redactor.redact(output))
    }
}

/// How a plan reads, for people and for scripts (reports/fix-plan.schema.json).
enum FixOutput {
    /// What `--write-env` did with a configuration change (or, without a name, a note).
    struct EnvEdit: Encodable {
        let name: String?
        let source: String?
        let done: Bool
        let text: String
    }

    static func text(
        _ plan: RepairPlan, report: Report, applied: [DoctorRun.WriteOutcome]?, after: Report?, offersWriteEnv: Bool = false
    ) -> String {
        var lines: [String] = []
        let count = plan.steps.count
        let edits = plan.configChanges.count
        // Lines fix can rewrite: set in a .env file, by a command that has --write-env.
        let writable = offersWriteEnv && plan.configChanges.contains { $0.file != nil }
        // A plan of configuration changes alone writes nothing to Meta: it counts its lines.
        let planned = count == 0 && edits > 0
            ? "\(edits) configuration change\(edits == 1 ? "" : "s")" : "\(count) change\(count == 1 ? "" : "s")"
        if applied == nil {
            lines.append(
                count == 0 && edits == 0
                    ? "meta-doctor fix: nothing to change."
                    : "meta-doctor fix: \(planned) planned; nothing is written without --apply\(count == 0 && writable ? " --write-env" : "").")
        } else {
            lines.append("meta-doctor fix --apply: \(planned) planned.")
        }
        for (index, step) in plan.steps.enumerated() {
            lines.append("")
            lines.append("\(index + 1). \(step.check) — \(step.finding)")
            let parameters = step.parameters.keys.sorted().map { "\($0)=\(step.parameters[$0]!)" }.joined(separator: " ")
            lines.append("   \(step.method) \(step.path) (\(step.token))\(parameters.isEmpty ? "" : " " + parameters)")
            lines.append("   Changes: \(step.change)")
            if let note = step.note { lines.append("   Note: \(note)") }
            if let outcome = applied?.first(where: { $0.step.check == step.check && $0.step.change == step.change }) {
                if let refusal = outcome.refusal {
                    lines.append("   ✗ Meta refused it: \(refusal.message)\(refusal.code.map { " (code \($0))" } ?? "")"
                        + (refusal.fbtraceID.map { ", fbtrace_id \($0)" } ?? "") + ".")
                    lines.append("     Needed: \(requirement(of: step))")
                } else {
                    lines.append("   ✓ Done.")
                }
            } else if applied != nil {
                lines.append("   - Not attempted: an earlier write was refused.")
            }
        }
        if !plan.configChanges.isEmpty {
            lines += ["", "Configuration to change"]
            for change in plan.configChanges {
                lines.append("  - \(change.source): \(change.from) → \(change.to)")
                lines.append(
                    change.file == nil
                        ? "    Set outside a .env file: change it there."
                        : offersWriteEnv
                        ? "    fix --apply --write-env rewrites that line; a backup of the file is kept next to it."
                        : "    Change that line in the file.")
            }
        }
        if !plan.blocked.isEmpty {
            lines += ["", "Blocked (fix the blocker first)"]
            // Checks blocked for the same reason share a line.
            var reasons: [String] = []
            var checks: [String: [String]] = [:]
            for item in plan.blocked {
                if checks[item.reason] == nil { reasons.append(item.reason) }
                checks[item.reason, default: []].append(item.check.rawValue)
            }
            lines += reasons.map { "  - \(checks[$0]!.joined(separator: ", ")): \($0)" }
        }
        if !plan.manual.isEmpty {
            lines += ["", "Cannot be fixed here"]
            lines += plan.manual.map { "  - \($0.check) (\($0.status.rawValue)): \($0.finding)\n    Guide: \($0.guide)" }
        }
        if let after {
            lines += ["", "After the changes" + (plan.configChanges.isEmpty ? "" : " (checked with " + plan.configChanges.map { "\($0.name)=\($0.to)" }.joined(separator: ", ") + ")")]
            var shown: Set<CheckID> = []
            for check in plan.steps.map(\.check) + plan.configChanges.compactMap(\.check) where shown.insert(check).inserted {
                let before = report.checks.first { $0.id == check }?.status.rawValue ?? "?"
                let now = after.checks.first { $0.id == check }
                lines.append("  \(check): \(before) → \(now?.status.rawValue ?? "not run")\(now.map { " — \($0.message)" } ?? "")")
            }
        } else if applied == nil, count > 0 {
            lines += ["", "Run `meta-doctor fix --apply\(writable ? " --write-env" : "")` to make these changes."]
        } else if applied == nil, writable {
            lines += ["", "Run `meta-doctor fix --apply --write-env` to rewrite these lines."]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The token and permission a write needs, as Meta's references name them (MB-G8, MB-G19, MB-G20).
    static func requirement(of step: RepairPlan.Step) -> String {
        switch (step.path.hasSuffix("/subscriptions"), step.token) {
        case (true, _):
            "the app token, and a callback that answers Meta's verification request with the challenge for the verify token (step 15 of the guide)"
        case (false, let token) where token.contains("Page"):
            "a Page token with pages_manage_metadata from a person who can perform the MODERATE task on the Page"
        default:
            "a system user's token with whatsapp_business_management for the WABA"
        }
    }

    static func json(_ plan: RepairPlan, applied: [DoctorRun.WriteOutcome]?, after: Report?, envEdits: [EnvEdit]? = nil) -> String {
        struct Applied: Encodable {
            let check: CheckID
            let change: String
            let done: Bool
            let error: String?
            let code: Int?
            let fbtraceId: String?
        }
        struct Document: Encodable {
            let schemaVersion = 1
            let steps: [RepairPlan.Step]
            let blocked: [RepairPlan.Unrepaired]
            let manual: [RepairPlan.Unrepaired]
            let configChanges: [ConfigChange]
            let applied: [Applied]?
            let envEdits: [EnvEdit]?
            let after: [String: CheckStatus]?
        }
        let document = Document(
            steps: plan.steps, blocked: plan.blocked, manual: plan.manual, configChanges: plan.configChanges,
            applied: applied?.map {
                Applied(
                    check: $0.step.check, change: $0.step.change, done: $0.refusal == nil, error: $0.refusal?.message,
                    code: $0.refusal?.code, fbtraceId: $0.refusal?.fbtraceID)
            },
            envEdits: envEdits,
            after: after.map { report in
                Dictionary(
                    (plan.steps.map(\.check) + plan.configChanges.compactMap(\.check)).compactMap { check in
                        report.checks.first { $0.id == check }.map { (check.rawValue, $0.status) }
                    },
                    uniquingKeysWith: { first, _ in first })
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(document), as: UTF8.self)).map { $0 + "\n" } ?? "{}\n"
    }
}
