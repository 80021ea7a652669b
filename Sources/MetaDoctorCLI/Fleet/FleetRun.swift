import DoctorKit
import Foundation
import MetaConfig
import MetaChecks
import MetaGraph

/// A fleet run's inputs, already validated: the integrations to check (after `--shard` and
/// `--resume`) and how one integration's run request is made.
public struct FleetRunRequest: Sendable {
    public var entries: [FleetEntry]
    /// How many integrations run at once.
    public var concurrency = 8
    /// What `--shard` and `--resume` left out, for the summary.
    public var skipped = FleetSummary.Skipped()
    /// Values given on the command line (`--graph-url` …), over every integration's own.
    public var flags: [ConfigKey: String] = [:]
    /// The environment a manifest's `{"env": "NAME"}` references are read from.
    public var environment: [String: String] = [:]
    /// One integration's run request, from its configuration and the instant it starts: its
    /// deadline counts from there, as `check`'s does from its start.
    public var request: @Sendable (MetaConfiguration, ContinuousClock.Instant) -> DoctorRunRequest

    public init(entries: [FleetEntry], request: @escaping @Sendable (MetaConfiguration, ContinuousClock.Instant) -> DoctorRunRequest) {
        self.entries = entries
        self.request = request
    }
}

/// One line of the NDJSON output: the manifest's id and the integration's whole report (the schema
/// of `check --format json`, reports/report.schema.json).
public struct FleetLine: Sendable, Codable, Equatable {
    public let id: String
    public let report: Report

    /// The line, compact, keys sorted, with its newline.
    public var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// Runs a fleet: every integration with the same checks, deadlines and bounds as `check`, at most
/// `concurrency` at once, over shared connections, shared app-level reads and one pacer.
public enum FleetRun {
    /// `deliver` gets each finished integration's line, one at a time, as it finishes; nothing of
    /// it is kept but its part of the summary. Cancelling (Ctrl-C) starts no further integration;
    /// the ones cut short are not delivered (a later `--resume` runs them again). An integration
    /// whose run cannot start (its run throws) ends as could-not-verify, `couldNotStart`'s report,
    /// and `log` gets its message, redacted; the others go on.
    public static func run(
        _ fleet: FleetRunRequest, shared: SharedRunResources, log: (String) -> Void = { _ in }, deliver: (FleetLine) -> Void
    ) async -> FleetSummary {
        let startedAt = Date()
        let started = ContinuousClock.now
        var builder = FleetSummaryBuilder()
        var interrupted = false
        let flags = Dictionary(uniqueKeysWithValues: fleet.flags.map { ($0.key, (name: "--\($0.key.name)", value: $0.value)) })
        await withTaskGroup(of: FleetLine.self) { group in
            var pending = fleet.entries.makeIterator()
            func start(_ entry: FleetEntry) {
                let (makeRequest, environment) = (fleet.request, fleet.environment)
                group.addTask {
                    let loader: ConfigurationLoader
                    do throws(FleetManifestError) { loader = try Self.loader(for: entry, flags: flags, environment: environment) } catch {
                        let unread = ConfigurationLoader(envFile: nil, environment: [:], flags: flags).load(readingDefaultFile: false)
                        return FleetLine(
                            id: entry.id,
                            report: Self.couldNotStart(
                                makeRequest(unread, ContinuousClock.now), error: error.problems.joined(separator: " "), configurationRead: false))
                    }
                    var request = makeRequest(loader.load(readingDefaultFile: false), ContinuousClock.now)
                    request.shared = shared
                    do { return FleetLine(id: entry.id, report: try await DoctorRun.run(request)) } catch {
                        return FleetLine(id: entry.id, report: Self.couldNotStart(request, error: "\(error)"))
                    }
                }
            }
            for _ in 0..<max(1, fleet.concurrency) {
                guard let entry = pending.next() else { break }
                start(entry)
            }
            while let line = await group.next() {
                if line.report.interrupted || Task.isCancelled {
                    interrupted = true
                } else {
                    if line.report.checks.isEmpty, let note = line.report.notes?.first { log("\(line.id): \(note.text)") }
                    deliver(line)
                    builder.add(id: line.id, report: line.report)
                }
                if !Task.isCancelled, let entry = pending.next() { start(entry) }
            }
        }
        interrupted = interrupted || Task.isCancelled
        var summary = builder.summary(startedAt: startedAt, duration: started.duration(to: .now), interrupted: interrupted, skipped: fleet.skipped)
        let paced = shared.pacer.statistics
        summary.pacing = FleetSummary.Pacing(
            waits: paced.waits, waitedMs: Int(paced.waited.components.seconds * 1000 + paced.waited.components.attoseconds / 1_000_000_000_000_000),
            notSent: paced.refused)
        return summary
    }

    /// The report of an integration whose run could not start (its trust roots could not be
    /// loaded, say): no check ran, so nothing was verified (exit 3) and the note says why. The
    /// shape is `check`'s JSON report with no checks, so every NDJSON line keeps one schema.
    /// `configurationRead`: false when the integration's values could not be read, so no platform
    /// can be said to be configured or not.
    static func couldNotStart(_ request: DoctorRunRequest, error: String, configurationRead: Bool = true) -> Report {
        var style = Date.ISO8601FormatStyle()
        style.timeZone = TimeZone(identifier: "UTC")!
        let states = request.configuration.platformStates(restrictedTo: request.platforms)
        var report = Report(
            tool: MetaDoctorVersion.tool, startedAt: request.now().formatted(style), durationMs: 0, exitCode: ExitStatus.couldNotVerify,
            interrupted: false,
            platforms: configurationRead ? states.map { PlatformStatus(name: $0.platform.rawValue, enabled: $0.enabled, reason: $0.reason) } : [],
            checks: [])
        let step = GuideSteps.couldNotVerify
        // Notes are redacted as the project's own text: the error's text is redacted here.
        let redactor = Redactor(secrets: request.configuration.secretValues)
        report.notes = [
            ReportNote(
                text: "No check ran: the run could not start: \(redactor.redact(error))", guideTitle: step.heading,
                guideURL: "\(request.docsURL)#\(step.anchor)")
        ]
        report.settings = RunSettings(
            graphURL: request.configuration.graphURL, graphVersion: request.configuration.graphVersion, strict: request.strict,
            only: request.selection.only, skip: request.selection.skip, platforms: request.platforms.map { $0.map(\.rawValue).sorted() })
        return redactor.redact(report)
    }

    /// An integration's configuration: its manifest line's values (read again now, with the line
    /// as their source) or its .env file, and the command line's flags over them; never the
    /// process environment, whose values only `{"env": "NAME"}` references read.
    static func loader(
        for entry: FleetEntry, flags: [ConfigKey: (name: String, value: String)], environment: [String: String]
    ) throws(FleetManifestError) -> ConfigurationLoader {
        func given(_ values: [String: String], file: String, line: Int) -> ConfigurationLoader {
            var loader = ConfigurationLoader(envFile: nil, environment: [:], flags: flags)
            loader.given = values.map { ($0.key, $0.value, ConfigSource.dotenv(file: file, line: line)) }
            return loader
        }
        switch entry.source {
        case .envFile(let path):
            return ConfigurationLoader(envFile: path, environment: [:], flags: flags)
        case .values(let values, let file, let line):
            return given(values, file: file, line: line)
        case .manifestLine(let line):
            return given(try FleetManifest.values(of: line, id: entry.id, environment: environment), file: line.file, line: line.number)
        }
    }
}
