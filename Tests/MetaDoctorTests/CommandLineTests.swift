import DoctorKit
import DoctorTestSupport
import Foundation
import MetaChecks
import MetaDoctorCLI
import MetaSandbox
import Reports
import Testing

extension SandboxRuns {
@Suite("The command line, as a user runs it", .timeLimit(.minutes(2)))
struct CommandLineTests {
    @Test("--version prints the version")
    func version() async throws {
        let result = try await MetaDoctorBinary.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == MetaDoctorVersion.current)
    }

    @Test("demo --scenario bad-secret --format json: stdout is only the schema-valid JSON; app.secret blocks its dependents")
    func demoBadSecretJSON() async throws {
        let result = try await MetaDoctorBinary.run(["demo", "--scenario", "bad-secret", "--format", "json"])
        #expect(result.status == 1)
        let report = try JSONRenderer.decode(Data(result.stdout.utf8))
        #expect(try SchemaValidator.reportSchema().validate(Data(result.stdout.utf8)) == [])
        #expect(report.exitCode == 1)
        let secret = try #require(report.checks.first { $0.id == "app.secret" })
        #expect(secret.status == .fail && secret.fix.step == "app-id-and-secret")
        for check in report.checks where check.prerequisites.contains("app.secret") {
            #expect(check.skipReason == .blocked && check.blockedBy == ["app.secret"], "\(check.id)")
        }
    }

    @Test("discover --sandbox-scenario --format json: stdout is only the JSON, exit 0, no secret in either format; a user token variable that is not set is exit 2")
    func discoverSandbox() async throws {
        let result = try await MetaDoctorBinary.run([
            "discover", "--sandbox-scenario", "whatsapp-display-number-as-id", "--format", "json", "--user-token-env",
            MetaDoctorCommand.Discover.sandboxUserTokenVariable,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["changes"] as? [String: String] == ["WHATSAPP_PHONE_NUMBER_ID": "1205000000000001"])
        #expect((json["managedPages"] as? [[String: Any]])?.count == 2)
        #expect(result.stderr.contains("discover against the sandbox"))
        // What the command wrote in both formats, on both streams: no secret of the sandbox, whole or its first 12 characters.
        let human = try await MetaDoctorBinary.run([
            "discover", "--sandbox-scenario", "whatsapp-display-number-as-id", "--user-token-env", MetaDoctorCommand.Discover.sandboxUserTokenVariable,
        ])
        #expect(human.status == 0 && human.stdout.contains("WHATSAPP_PHONE_NUMBER_ID=1205000000000001"), "\(human.stderr)")
        for secret in [SandboxIDs.appSecret, SandboxIDs.systemUserToken, SandboxIDs.pageToken, SandboxIDs.userToken, SandboxIDs.verifyToken] {
            for written in [result.stdout, result.stderr, human.stdout, human.stderr] { #expect(!written.contains(String(secret.prefix(12)))) }
        }
        let missing = try await MetaDoctorBinary.run(["discover", "--sandbox-scenario", "healthy", "--user-token-env", "NO_SUCH_TOKEN"])
        #expect(missing.status == 2)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr.contains("--user-token-env NO_SUCH_TOKEN: the environment variable NO_SUCH_TOKEN is not set."))
        let nothing = try await MetaDoctorBinary.run(["discover", "--env-file", "/dev/null"])
        #expect(nothing.status == 2)
        #expect(nothing.stderr.contains("Nothing to read with"))
    }

    @Test("check --format json over the default demo is schema-valid and its exit code is the report's")
    func demoDefault() async throws {
        let result = try await MetaDoctorBinary.run(["demo", "--format", "json"])
        let report = try JSONRenderer.decode(Data(result.stdout.utf8))
        #expect(Int(result.status) == report.exitCode)
        #expect(report.exitCode == 1)
        #expect(report.summary.fail >= 1 && report.summary.warn >= 1 && report.summary.skip >= 1)
        #expect(try SchemaValidator.reportSchema().validate(Data(result.stdout.utf8)) == [])
    }

    @Test("A malformed .env line is exit 2 naming the file and line; the report is still written")
    func malformedEnv() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("META_APP_ID=123\nthis line is broken\n".utf8).write(to: directory.appendingPathComponent(".env"))
        let result = try await MetaDoctorBinary.run(["check", "--format", "json"], directory: directory)
        #expect(result.status == 2)
        let report = try JSONRenderer.decode(Data(result.stdout.utf8))
        #expect(report.exitCode == 2)
        let config = try #require(report.checks.first { $0.id == "config" })
        #expect(config.status == .fail)
        #expect(config.message.contains(".env:2"))
        #expect(report.checks.filter { $0.id != "config" }.allSatisfy { $0.status == .skip })
    }

    @Test("An unreadable --env-file is exit 2, naming the file and why")
    func unreadableEnvFile() async throws {
        for (path, reason) in [("/nonexistent/meta.env", "no such file"), ("/tmp", "it is a directory")] {
            let result = try await MetaDoctorBinary.run(["check", "--env-file", path, "--format", "json"])
            #expect(result.status == 2)
            #expect(result.stdout.contains("Cannot read the env file \(path): \(reason)."))
        }
    }

    @Test("--env-file /dev/null reads as an empty file")
    func devNull() async throws {
        let result = try await MetaDoctorBinary.run(["check", "--env-file", "/dev/null", "--only", "config", "--format", "json"],
            environment: ["META_APP_ID": "1", "META_APP_SECRET": "dev-null-test-secret"])
        #expect(result.status == 0)
    }

    @Test("A usage error exits 64 with its message on stderr and nothing on stdout")
    func usageError() async throws {
        let result = try await MetaDoctorBinary.run(["check", "--only", "nosuch.check"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("No check matches 'nosuch.check'"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("A first run with no .env and nothing set prints one short paragraph suggesting demo, and exits 2")
    func firstRun() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await MetaDoctorBinary.run(["check"], directory: directory)
        #expect(result.status == 2)
        #expect(
            result.stdout == """
                Nothing to check yet: there is no .env file here, and no META_, WHATSAPP_ or INSTAGRAM_ variable is set.
                To see what a report looks like, run `meta-doctor demo` (every check against a built-in sandbox).
                To check your own app, run `meta-doctor init`: it writes a commented .env with every variable your
                platforms need (`meta-doctor check --help` lists them; docs/setup-guide.md step 19 has an example),
                then runs `meta-doctor check` on it.

                """)
        #expect(!result.stdout.contains("not checked"))
    }

    @Test("markdown:$GITHUB_STEP_SUMMARY appends to what earlier steps wrote")
    func stepSummaryAppends() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = directory.appendingPathComponent("step-summary.md")
        try Data("## An earlier step\n".utf8).write(to: summary)
        for _ in 0..<2 {
            let result = try await MetaDoctorBinary.run(
                ["demo", "--scenario", "healthy", "--format", "markdown:\(summary.path)"], environment: ["GITHUB_STEP_SUMMARY": summary.path])
            #expect(result.status == 0)
        }
        let text = try String(contentsOf: summary, encoding: .utf8)
        #expect(text.hasPrefix("## An earlier step\n# meta-doctor report"))
        #expect(text.components(separatedBy: "# meta-doctor report\n").count == 3, "two reports after the earlier step's text")
    }

    @Test("Human output has no escape codes when not on a terminal, and none with NO_COLOR")
    func noColorOffTerminal() async throws {
        for environment in [[:], ["NO_COLOR": "1"]] {
            let result = try await MetaDoctorBinary.run(["demo", "--scenario", "healthy"], environment: environment)
            #expect(result.status == 0)
            #expect(!result.stdout.contains("\u{1B}["))
            #expect(!result.stderr.contains("\u{1B}["))
            #expect(result.stdout.contains("Exit 0"))
        }
    }

    @Test("One run writes several formats; report re-renders the saved JSON identically in each")
    func rerender() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let formats = ReportFormat.allCases.filter { $0 != .json }
        var arguments = ["demo", "--scenario", "onboarding", "--format", "json:\(directory.path)/report.json"]
        for format in formats { arguments += ["--format", "\(format.rawValue):\(directory.path)/original.\(format.rawValue)"] }
        let run = try await MetaDoctorBinary.run(arguments)
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty, "every format went to a file")
        for format in formats {
            let rendered = try await MetaDoctorBinary.run(["report", "\(directory.path)/report.json", "--format", format.rawValue])
            let original = try String(contentsOf: directory.appendingPathComponent("original.\(format.rawValue)"), encoding: .utf8)
            #expect(rendered.status == 0)
            #expect(rendered.stdout == original, "\(format.rawValue) re-renders identically")
        }
    }

    @Test("report diff: bad-secret to healthy fixes app.secret and exits 0; the reverse exits 1")
    func diff() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try await MetaDoctorBinary.run(["demo", "--scenario", "bad-secret", "--format", "json:\(directory.path)/bad.json"])
        _ = try await MetaDoctorBinary.run(["demo", "--scenario", "healthy", "--format", "json:\(directory.path)/good.json"])
        let forward = try await MetaDoctorBinary.run(["report", "diff", "\(directory.path)/bad.json", "\(directory.path)/good.json"])
        #expect(forward.status == 0)
        #expect(forward.stdout.contains("Fixed:\n  app.secret: fail -> pass"))
        let backward = try await MetaDoctorBinary.run(["report", "diff", "\(directory.path)/good.json", "\(directory.path)/bad.json"])
        #expect(backward.status == 1)
        #expect(backward.stdout.contains("Broke:\n  app.secret: pass -> fail"))
    }

    @Test("report on a file that is not a report says so in a sentence and exits 2, without the usage line")
    func reportGarbage() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("garbage.json").path
        try Data("{\"hello\": 1}".utf8).write(to: URL(fileURLWithPath: path))
        let result = try await MetaDoctorBinary.run(["report", path])
        #expect(result.status == 2)
        #expect(result.stderr == "meta-doctor: \(path) is not a meta-doctor report: it has no schemaVersion (`meta-doctor check --format json` writes reports).\n")
        let missing = try await MetaDoctorBinary.run(["report", "diff", path + ".missing", path])
        #expect(missing.status == 2)
        #expect(missing.stderr == "meta-doctor: Cannot read \(path).missing: no such file.\n")
        #expect(!missing.stderr.contains("Usage:"))
    }

    @Test("graph prints the catalog as dot and mermaid")
    func graph() async throws {
        let dot = try await MetaDoctorBinary.run(["graph", "--format", "dot"])
        #expect(dot.stdout.contains("\"app.secret\" -> \"messenger.page-token\";"))
        let mermaid = try await MetaDoctorBinary.run(["graph"])
        #expect(mermaid.stdout.hasPrefix("flowchart LR"))
        #expect(mermaid.stdout.contains("app_secret --> whatsapp_token"))
    }
}
}

extension SandboxRuns.CommandLineTests {
    @Test("Ctrl-C writes the partial report with interrupted: true and exits 130")
    func interrupt() async throws {
        let (process, output) = try await interruptedDemo { $0.interrupt() }
        #expect(process.terminationStatus == 130)
        let report = try JSONRenderer.decode(output)
        #expect(report.interrupted && report.exitCode == 130)
        #expect(report.checks.contains { $0.status == .error && $0.message.contains("Interrupted") })
    }
}

/// Runs `demo --scenario graph-hang --format json`, waits until it announces its run (graph-hang
/// then keeps three checks waiting on the Graph API), signals it with `signal`, and returns the
/// ended process and its standard output.
func interruptedDemo(_ signal: (Process) -> Void) async throws -> (Process, Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: MetaDoctorBinary.path)
    process.arguments = ["demo", "--scenario", "graph-hang", "--format", "json"]
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let output = PipeReader(stdout)
    let announced = await PipeReader(stderr).wait(until: { $0.contains("demo against the sandbox") })
    #expect(announced.contains("demo against the sandbox"))
    try await Task.sleep(for: .seconds(1))
    signal(process)
    let printed = await output.untilEnd()
    await process.exited()
    return (process, printed)
}

extension SandboxRuns.CommandLineTests {
    @Test(
        "On a terminal: a live progress line and colour; NO_COLOR removes the colour",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs util-linux's script for a pseudo-terminal"))
    func terminal() async throws {
        let command = "\(MetaDoctorBinary.path) demo --scenario healthy"
        let colored = try await MetaDoctorBinary.runTool("/usr/bin/script", ["-qc", command, "/dev/null"])
        #expect(colored.stdout.contains("\r\u{1B}[2K"), "the progress line redraws itself")
        #expect(colored.stdout.range(of: #"\d+/22 · running "#, options: .regularExpression) != nil)
        #expect(colored.stdout.contains("\u{1B}[32m✓"), "passes are green")
        let plain = try await MetaDoctorBinary.runTool("/usr/bin/script", ["-qc", command, "/dev/null"], environment: ["NO_COLOR": "1"])
        #expect(!plain.stdout.contains("\u{1B}[32m"))
        #expect(plain.stdout.contains("✓ config"))
    }
}
