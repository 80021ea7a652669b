import ArgumentParser
import DoctorKit
import Foundation
import MetaChecks
import MetaConfig
import MetaGraph
import Synchronization

extension MetaDoctorCommand {
    /// `meta-doctor fleet MANIFEST`: check many integrations in one run.
    public struct Fleet: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Check many integrations in one run, within Meta's rate limits, and group the root causes.",
            discussion: """
                The manifest is a JSON Lines file, one integration a line: a stable "id", the ids and URLs under \
                their usual names as strings, and secrets only by reference, {"env": "NAME"} or {"file": "path"} \
                (relative to the manifest's directory):
                  {"id":"acme","META_APP_ID":"123","META_APP_SECRET":{"env":"ACME_SECRET"}}
                A directory of .env files is read too (one integration per file, its name the id). The whole \
                manifest is checked before any call; every bad line is reported. Options given here apply to every \
                integration.

                Output: one NDJSON line per integration as it finishes, {"id": …, "report": <check's JSON report>}, \
                on standard output (or --format ndjson:PATH); a summary by outcome and by root cause on standard \
                error, and with --format markdown[:PATH] or json[:PATH].

                Examples:
                  meta-doctor fleet fleet.jsonl > out.ndjson
                  meta-doctor fleet fleet.jsonl --format markdown:summary.md > out.ndjson
                  meta-doctor fleet fleet.jsonl --shard 2/4 --format ndjson:part-2.ndjson
                  meta-doctor fleet fleet.jsonl --resume out.ndjson --format ndjson:out.ndjson

                Exit status: 0 every integration passed; 1 an integration failed (or its configuration is unusable); \
                2 the manifest is unusable (nothing ran); 3 none failed but some could not be verified (a rate \
                limit, the network); 64 usage error; 74 an output could not be written; 130 interrupted (Ctrl-C; \
                the lines written so far stay); 143 terminated (SIGTERM).
                """)

        @Argument(help: ArgumentHelp("A JSON Lines manifest, or a directory of .env files.", valueName: "manifest"), completion: .file())
        var manifest: String

        @Option(help: ArgumentHelp("How many integrations run at once (1 to 256).", valueName: "n"))
        var concurrency: Int = 8

        @Option(help: ArgumentHelp("Check only shard K of N: the integrations whose stable hash of id falls in it.", valueName: "k/n"))
        var shard: String?

        @Option(help: ArgumentHelp("Skip the ids already in this earlier NDJSON output (a file not there yet holds none).", valueName: "file"), completion: .file())
        var resume: String?

        @Option(
            name: .customLong("format"),
            help: ArgumentHelp(
                "Output, optionally to a file: FORMAT[:PATH] (repeatable). ndjson (the reports; default, to standard output), markdown or json (the summary).",
                valueName: "format[:path]"))
        var formats: [String] = []

        @Option(name: .customLong("platform"), help: ArgumentHelp("Check only this platform (repeatable): messenger, whatsapp, instagram."))
        var platforms: [String] = []
        @Option(help: ArgumentHelp("Run only these checks and their prerequisites (ids or globs; repeatable, comma lists).", valueName: "ids"))
        var only: [String] = []
        @Option(help: ArgumentHelp("Skip these checks (ids or globs; repeatable, comma lists).", valueName: "ids"))
        var skip: [String] = []
        @Flag(help: "An integration with warnings counts as failed.") var strict = false
        @Option(help: ArgumentHelp("Time limit of each integration, in seconds (0.5 to 3600).", valueName: "seconds"))
        var timeout: Double = 30
        @Option(help: ArgumentHelp("META_GRAPH_URL for every integration.", valueName: "url")) var graphURL: String?
        @Option(help: ArgumentHelp("META_GRAPH_VERSION for every integration.", valueName: "version")) var graphVersion: String?
        @Option(help: ArgumentHelp("Base URL of the setup guide that fixes link to.", valueName: "url"))
        var docsURL: String = DoctorRunRequest.defaultDocsURL
        @Option(help: ArgumentHelp("Extra trust roots (PEM) for every HTTPS connection.", valueName: "pem"), completion: .file())
        var caFile: String?
        @Option(help: ArgumentHelp("Send connections for HOST:PORT to HOST2:PORT2 (repeatable, as curl's).", valueName: "host:port:host2:port2"))
        var connectTo: [String] = []

        public init() {}

        enum Output: Equatable {
            case ndjson, markdown, json
        }

        /// `--format` parsed: at most one without a path; ndjson on standard output when none names it.
        func outputs() throws -> [(Output, String?)] {
            var outputs: [(Output, String?)] = []
            for argument in formats {
                let parts = argument.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let output: Output
                switch parts[0].lowercased() {
                case "ndjson": output = .ndjson
                case "markdown": output = .markdown
                case "json": output = .json
                default: throw ValidationError("Unknown format '\(parts[0])'; fleet writes ndjson, markdown or json.")
                }
                if parts.count == 2, parts[1].isEmpty { throw ValidationError("'\(argument)' names no file after the colon.") }
                outputs.append((output, parts.count == 2 ? parts[1] : nil))
            }
            if !outputs.contains(where: { $0.0 == .ndjson }) { outputs.insert((.ndjson, outputs.contains { $0.1 == nil } ? "/dev/null" : nil), at: 0) }
            guard outputs.filter({ $0.1 == nil }).count <= 1 else {
                throw ValidationError("At most one --format may go to standard output; give the others a path (FORMAT:PATH).")
            }
            let paths = outputs.compactMap(\.1).filter { $0 != "/dev/null" }.map(OutputTarget.canonicalPath)
            guard Set(paths).count == paths.count else { throw ValidationError("Two --format outputs name the same file; give each its own.") }
            let manifestPath = OutputTarget.canonicalPath(manifest)
            let resumePath = resume.map(OutputTarget.canonicalPath)
            for case (let output, let path?) in outputs where path != "/dev/null" {
                let canonical = OutputTarget.canonicalPath(path)
                if canonical == manifestPath || canonical.hasPrefix(manifestPath + "/") {
                    throw ValidationError("The \(output) output would overwrite the manifest \(manifest) (\(path)); choose another path.")
                }
                // The ndjson output may be the --resume file: the new lines are appended to it.
                if canonical == resumePath, output != .ndjson {
                    throw ValidationError(
                        "The \(output) output would overwrite the --resume file \(resume ?? path); only the ndjson output may go there (appended).")
                }
                if let problem = OutputTarget.writeProblem(path) { throw ValidationError("Cannot write the \(output) output to \(path): \(problem).") }
            }
            return outputs
        }

        public func validate() throws {
            guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 256.") }
            if let shard, FleetShard(argument: shard) == nil {
                throw ValidationError("--shard '\(shard)' is not K/N with 1 <= K <= N (e.g. 2/4).")
            }
            guard timeout >= RunOptions.minimumTimeout, timeout <= 3600 else {
                throw ValidationError("--timeout must be between \(RunOptions.minimumTimeout) and 3600 seconds.")
            }
            for name in platforms.flatMap(RunOptions.splitList) where Platform(rawValue: name.lowercased()) == nil {
                throw ValidationError("Unknown platform '\(name)'; use messenger, whatsapp or instagram.")
            }
            for rule in connectTo where ConnectTo(argument: rule) == nil {
                throw ValidationError("--connect-to '\(rule)' is not HOST:PORT:HOST2:PORT2.")
            }
            if let caFile {
                // Read once here, as `check` does, so a bad file stops the run before any call
                // instead of ending every integration (each run loads it again).
                if let problem = RegularFile.problem(caFile) { throw ValidationError("--ca-file \(caFile) cannot be read: \(problem).") }
                guard let inspector = try? TLSInspector(caFile: caFile), !inspector.extraRoots.isEmpty else {
                    throw ValidationError("--ca-file \(caFile) holds no PEM certificate (-----BEGIN CERTIFICATE-----).")
                }
            }
            _ = try outputs()
        }

        var selection: Selection {
            Selection(only: only.flatMap(RunOptions.splitList), skip: skip.flatMap(RunOptions.splitList))
        }
        var platformFilter: Set<Platform>? {
            let names = platforms.flatMap(RunOptions.splitList)
            return names.isEmpty ? nil : Set(names.compactMap { Platform(rawValue: $0.lowercased()) })
        }

        public func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            try MetaCatalogPatterns.validate(selection, platforms: platformFilter)
            let outputs = try outputs()
            var index: FleetManifestIndex
            do { index = try FleetManifest.load(manifest, environment: environment) } catch let error as FleetManifestError {
                Terminal.writeErr("meta-doctor: \(error)\n")
                throw ExitCode(Int32(ExitStatus.unusableInputs))
            }
            // The entries move out of the index: --shard and --resume then free what they leave out.
            var entries = index.entries
            index.entries = []
            // What reaches stderr from here on is an integration's own text, redacted with its own
            // secrets where it is made (its report, its "could not start" line), and the summary
            // of those reports. The net under it holds the apps' secrets, which many integrations
            // share: a redactor over every token of the fleet would keep about 16 bytes per secret
            // byte for the whole run, which a fleet's memory must not grow by.
            Terminal.redactStderr(with: Redactor(secrets: Array(index.appSecrets)))
            let (selection, platforms, strict, docsURL) = (selection, platformFilter, strict, docsURL)
            let runTimeout = Duration.milliseconds(Int(timeout * 1000))
            let transport = AHCTransport.Settings(caFile: caFile, connectTo: connectTo.compactMap(ConnectTo.init(argument:)))
            var request = FleetRunRequest(entries: []) { configuration, start in
                var request = DoctorRunRequest(configuration: configuration)
                request.selection = selection
                request.platforms = platforms
                request.strict = strict
                request.runTimeout = runTimeout
                request.deadline = start.advanced(by: runTimeout)
                request.checkTimeout = min(.seconds(20), runTimeout)
                request.docsURL = docsURL
                request.transport = transport
                return request
            }
            if let shard = shard.flatMap(FleetShard.init(argument:)) {
                let before = entries.count
                entries = entries.filter { shard.contains($0.id) }
                request.skipped.otherShards = before - entries.count
            }
            var resumeFileHasLines = false
            if let resume {
                let finished: Set<String>
                do { finished = try FleetResume.finishedIDs(in: resume) } catch let error as FleetManifestError {
                    Terminal.writeErr("meta-doctor: \(error.problems.joined(separator: " "))\n")
                    throw ExitCode(Int32(ExitStatus.unusableInputs))
                }
                resumeFileHasLines = !finished.isEmpty
                let before = entries.count
                entries = entries.filter { !finished.contains($0.id) }
                request.skipped.resumed = before - entries.count
            }
            request.entries = entries
            request.environment = environment
            request.concurrency = concurrency
            if let graphURL { request.flags[.graphURL] = graphURL }
            if let graphVersion { request.flags[.graphVersion] = graphVersion }

            // The reports: appended to the --resume file when it is also the ndjson output.
            let ndjsonPath = outputs.first { $0.0 == .ndjson }?.1
            let appending = ndjsonPath != nil && resume != nil && resumeFileHasLines
                && OutputTarget.canonicalPath(ndjsonPath!) == OutputTarget.canonicalPath(resume!)
            let sink = try NDJSONSink(path: ndjsonPath, appending: appending)

            // One pool for every integration in flight: a check's share of connections for each
            // (with 8 at once, a check's 32 would queue half the requests behind the others),
            // bounded so a large --concurrency stays within the usual limit of open files.
            var settings = transport
            settings.connectionsPerHost = min(AHCTransport.Settings.connectionsPerCheck * concurrency, 512)
            let webTransport = try AHCTransport(settings: settings)
            if case .success(let proxy?) = ProxyConfiguration.parse(environment: environment) { settings.proxy = ProxySettings(proxy) }
            let graphTransport = try AHCTransport(settings: settings)
            let shared = SharedRunResources(graphTransport: graphTransport, webTransport: webTransport, pacer: UsagePacer())
            let fleetRequest = request
            let runTask = Task {
                await FleetRun.run(fleetRequest, shared: shared, log: { Terminal.writeErr("meta-doctor: \($0)\n") }) { line in
                    sink.write(line.encoded)
                }
            }
            let received = Mutex<Int32?>(nil)
            let interrupt = InterruptHandler(signals: [SIGINT, SIGTERM]) { signal in
                received.withLock { $0 = $0 ?? signal }
                runTask.cancel()
            }
            var summary = await runTask.value
            interrupt.cancel()
            await graphTransport.shutdown()
            await webTransport.shutdown()
            sink.close()
            if received.withLock({ $0 }) == SIGTERM, summary.interrupted { summary.exitCode = ExitStatus.terminated }
            Terminal.writeErr(FleetSummaryRenderer.text(summary))
            var problems = sink.problem.map { [$0] } ?? []
            for case (let output, let path) in outputs where output != .ndjson {
                let text = output == .markdown ? FleetSummaryRenderer.markdown(summary) : FleetSummaryRenderer.json(summary)
                if let path {
                    do { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) } catch {
                        problems.append("Cannot write the \(output) summary to \(path): \(FileReadError.describe(error)).")
                    }
                } else if let failure = Terminal.writeOut(text) {
                    problems.append("Cannot write the \(output) summary to standard output: \(failure).")
                }
            }
            for problem in problems { Terminal.writeErr("meta-doctor: \(problem)\n") }
            let status = problems.isEmpty ? summary.exitCode : ExitStatus.outputFailed
            if status != 0 { throw ExitCode(Int32(status)) }
        }
    }
}

/// Where the NDJSON lines go: standard output or a file, each line written whole as it comes (no
/// buffering: a line written is a line a reader or `--resume` sees). The first failure is kept and
/// later lines are dropped.
final class NDJSONSink: Sendable {
    private let handle: FileHandle?
    private let failure = Mutex<String?>(nil)
    private let label: String

    init(path: String?, appending: Bool) throws {
        label = path ?? "standard output"
        guard let path else {
            handle = nil
            return
        }
        let files = FileManager.default
        if path == "/dev/null" {
            // The reports are not wanted: the summary took standard output.
            handle = FileHandle(forWritingAtPath: path)
            return
        }
        if !appending || !files.fileExists(atPath: path) {
            guard files.createFile(atPath: path, contents: nil) else { throw ValidationError("Cannot create \(path).") }
        }
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let end = try handle.seekToEnd()
        if appending, end > 0 {
            // A line cut short by an earlier interruption ends here, so the next line starts clean.
            try handle.seek(toOffset: end - 1)
            if try handle.read(upToCount: 1) != Data("\n".utf8) { try handle.write(contentsOf: Data("\n".utf8)) }
        }
        self.handle = handle
    }

    func write(_ line: String) {
        guard failure.withLock({ $0 }) == nil else { return }
        let problem: String?
        if let handle {
            do {
                try handle.write(contentsOf: Data(line.utf8))
                problem = nil
            } catch { problem = FileReadError.describe(error) }
        } else {
            problem = Terminal.writeOut(line)
        }
        if let problem { failure.withLock { $0 = "Cannot write the reports to \(label): \(problem)." } }
    }

    var problem: String? { failure.withLock { $0 } }

    func close() { try? handle?.close() }
}
