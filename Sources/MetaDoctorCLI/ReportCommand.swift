import ArgumentParser
import DoctorKit
import Foundation
import MetaConfig
import Reports

extension MetaDoctorCommand {
    /// `meta-doctor report`: work with saved JSON reports.
    public struct ReportCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "report", abstract: "Re-render a saved JSON report, or compare two.",
            subcommands: [Render.self, Diff.self], defaultSubcommand: Render.self)

        public init() {}
    }
}

/// The most a saved report may weigh; a report of this catalog is a few dozen KiB.
let maxReportBytes = 16 << 20

/// A run-time failure of a command: said in one sentence on stderr, without the usage line that
/// belongs to usage errors, and ending the process with its own status.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let exitCode: Int32

    var description: String { message }

    /// Runs `body`; a `CommandFailure` is written to stderr and becomes its exit status.
    static func reported<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as CommandFailure {
            Terminal.writeErr("meta-doctor: \(failure.message)\n")
            throw ExitCode(failure.exitCode)
        }
    }
}

/// Reads a saved JSON report. A file that cannot be read, or is not a report, is an unusable
/// input (exit 2) said in one sentence that names the file; never a usage error or a decoding dump.
func readReport(_ path: String) throws(CommandFailure) -> Report {
    func unusable(_ text: String) -> CommandFailure { CommandFailure(message: text, exitCode: Int32(ExitStatus.unusableInputs)) }
    let data: Data
    do {
        data = try RegularFile.read(path, maxBytes: maxReportBytes)
    } catch let error where error.reason.hasPrefix("it is larger") {
        throw unusable("\(path) is larger than \(maxReportBytes >> 20) MiB: not a meta-doctor report.")
    } catch {
        throw unusable("Cannot read \(path): \(error.reason).")
    }
    do {
        // The file comes from outside: its text is redacted and neutralised like a run's.
        return Redactor.textOnly.redact(try JSONRenderer.decode(data))
    } catch {
        throw unusable("\(path) is not a meta-doctor report: \(notAReportReason(data)).")
    }
}

/// Why bytes that did not decode as a report are not one, in words.
func notAReportReason(_ data: Data) -> String {
    guard let object = try? JSONSerialization.jsonObject(with: data) else {
        return data.isEmpty ? "it is empty" : "it is not JSON"
    }
    guard let fields = object as? [String: Any] else { return "it is JSON, but not an object" }
    guard let version = fields["schemaVersion"] as? Int else {
        return "it has no schemaVersion (`meta-doctor check --format json` writes reports)"
    }
    if version != Report.currentSchemaVersion {
        return "it has schemaVersion \(version), and this meta-doctor reads \(Report.currentSchemaVersion)"
    }
    return "a required field is missing or has the wrong type (reports/report.schema.json describes them)"
}

extension MetaDoctorCommand.ReportCommand {
    /// `meta-doctor report [render] FILE.json --format …`.
    public struct Render: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Render a saved JSON report in any format (what a customer sent, for example).")

        @Argument(help: "A report written by `meta-doctor check --format json`.", completion: .file(extensions: ["json"])) var file: String
        @Option(name: .customLong("format"), help: ArgumentHelp("FORMAT[:PATH] (repeatable): human, json, junit, markdown, github.", valueName: "format[:path]"))
        var formats: [String] = []
        @Option(name: .shortAndLong, help: ArgumentHelp("Write the report that has no path here.", valueName: "file")) var output: String?
        @Flag(name: .customLong("no-color"), help: "No colour.") var noColor = false
        @Flag(name: .shortAndLong, help: "Show timings and evidence.") var verbose = false

        public init() {}

        public func run() throws {
            let targets = try OutputTarget.validated(formats, output: output, input: (file, "the report read"))
            let report = try CommandFailure.reported { try readReport(file) }
            let environment = ProcessInfo.processInfo.environment
            let color = Terminal.useColor(noColorFlag: noColor, environment: environment)
            let renderOptions = RenderOptions(color: color, verbose: verbose, width: Terminal.width(of: STDOUT_FILENO))
            let outcome = ReportOutput(targets: targets, options: renderOptions, stepSummary: environment["GITHUB_STEP_SUMMARY"]).write(report)
            for problem in outcome.problems { Terminal.writeErr("meta-doctor: \(problem)\n") }
            if !outcome.problems.isEmpty { throw ExitCode(Int32(ExitStatus.outputFailed)) }
        }
    }

    /// `meta-doctor report diff OLD.json NEW.json`.
    public struct Diff: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "What broke, what was fixed, what still fails and what could not be verified between two reports.",
            discussion: """
                Exits 1 when a check fails now that did not fail before, else 0: a check that could not verify \
                (pass -> error) or was not checked this time (blocked, not selected) is no regression by itself.
                """)

        /// The formats a diff can be written in.
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case human, json, markdown
        }

        @Argument(help: "The earlier report.", completion: .file(extensions: ["json"])) var old: String
        @Argument(help: "The later report.", completion: .file(extensions: ["json"])) var new: String
        @Option(help: "human, json or markdown.") var format: Format = .human

        public init() {}

        public func run() throws {
            let diff = try CommandFailure.reported { ReportDiff(old: try readReport(old), new: try readReport(new)) }
            switch format {
            case .human: Terminal.writeOut(diff.humanText())
            case .json: Terminal.writeOut(diff.json())
            case .markdown: Terminal.writeOut(diff.markdown())
            }
            if diff.exitCode != 0 { throw ExitCode(Int32(diff.exitCode)) }
        }
    }
}
