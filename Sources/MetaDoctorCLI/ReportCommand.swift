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

/// Reads a saved JSON report, with a message that names the file on any problem.
func readReport(_ path: String) throws -> Report {
    let data: Data
    do {
        data = try RegularFile.read(path, maxBytes: maxReportBytes)
    } catch let error where error.reason.hasPrefix("it is larger") {
        throw ValidationError("\(path) is larger than \(maxReportBytes >> 20) MiB: not a meta-doctor report.")
    } catch {
        throw ValidationError("Cannot read \(path): \(error.reason).")
    }
    do {
        // The file comes from outside: its text is redacted and neutralised like a run's.
        return Redactor.textOnly.redact(try JSONRenderer.decode(data))
    } catch {
        throw ValidationError("\(path) is not a meta-doctor JSON report (schemaVersion \(Report.currentSchemaVersion)): \(error)")
    }
}

extension MetaDoctorCommand.ReportCommand {
    /// `meta-doctor report [render] FILE.json --format …`.
    public struct Render: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Render a saved JSON report in any format (what a customer sent, for example).")

        @Argument(help: "A report written by `meta-doctor check --format json`.") var file: String
        @Option(name: .customLong("format"), help: ArgumentHelp("FORMAT[:PATH] (repeatable): human, json, junit, markdown, github.", valueName: "format[:path]"))
        var formats: [String] = []
        @Option(name: .shortAndLong, help: ArgumentHelp("Write the report that has no path here.", valueName: "file")) var output: String?
        @Flag(name: .customLong("no-color"), help: "No colour.") var noColor = false
        @Flag(name: .shortAndLong, help: "Show timings and evidence.") var verbose = false

        public init() {}

        public func run() throws {
            let targets = try OutputTarget.validated(formats, output: output, input: (file, "the report read"))
            let report = try readReport(file)
            let color = Terminal.useColor(noColorFlag: noColor, environment: ProcessInfo.processInfo.environment)
            let outcome = ReportOutput(targets: targets, options: RenderOptions(color: color, verbose: verbose)).write(report)
            for problem in outcome.problems { Terminal.writeErr("meta-doctor: \(problem)\n") }
            if !outcome.problems.isEmpty { throw ExitCode(Int32(ExitStatus.outputFailed)) }
        }
    }

    /// `meta-doctor report diff OLD.json NEW.json`.
    public struct Diff: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "What got fixed, what broke and what changed between two reports; exits 1 when something new fails.")

        @Argument(help: "The earlier report.") var old: String
        @Argument(help: "The later report.") var new: String

        public init() {}

        public func run() throws {
            let diff = ReportDiff(old: try readReport(old), new: try readReport(new))
            Terminal.writeOut(diff.humanText())
            if diff.exitCode != 0 { throw ExitCode(Int32(diff.exitCode)) }
        }
    }
}
