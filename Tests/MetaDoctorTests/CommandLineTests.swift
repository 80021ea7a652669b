import DoctorKit
import DoctorTestSupport
import Foundation
import MetaChecks
import Reports
import Testing

extension SandboxRuns {
@Suite("The command line, as a user runs it", .timeLimit(.minutes(2)))
struct CommandLineTests {
    @Test("--version prints the version")
    func version() async throws {
        let result = try await MetaDoctorBinary.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test("list --format json prints every check with its prerequisites and step")
    func listJSON() async throws {
        let result = try await MetaDoctorBinary.run(["list", "--format", "json"])
        #expect(result.status == 0)
        struct Listing: Decodable {
            struct Entry: Decodable {
                let id: String
                let title: String
                let platform: String?
                let prerequisites: [String]
                let step: String
            }
            let checks: [Entry]
        }
        let listing = try JSONDecoder().decode(Listing.self, from: Data(result.stdout.utf8))
        #expect(listing.checks.map(\.id) == MetaCatalog.descriptions.map(\.id.rawValue))
        #expect(listing.checks.first { $0.id == "whatsapp.health" }?.prerequisites == ["whatsapp.phone-number"])
        #expect(result.stdout.contains("\"platform\" : null"), "cross-platform checks list a null platform")
    }

    @Test("explain describes a check: what it checks, its calls, permissions and fix", arguments: MetaCatalog.descriptions.map(\.id.rawValue))
    func explain(id: String) async throws {
        let result = try await MetaDoctorBinary.run(["explain", id])
        #expect(result.status == 0)
        for label in ["Runs after:", "Calls:", "Fix:", "Guide:"] { #expect(result.stdout.contains(label)) }
    }

    @Test("explain of an unknown id is a usage error with suggestions")
    func explainUnknown() async throws {
        let result = try await MetaDoctorBinary.run(["explain", "whatsapp.tokens"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("whatsapp.token"))
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

    @Test(
        "Usage errors exit 64 with a clear message",
        arguments: [
            (["check", "--only", "nosuch.check"], "No check matches 'nosuch.check'"),
            (["check", "--platform", "telegram"], "Unknown platform 'telegram'"),
            (["check", "--format", "xml"], "Unknown format 'xml'"),
            (["check", "--format", "json", "--format", "human"], "At most one --format may go to standard output"),
            (["check", "--connect-to", "a:b"], "is not HOST:PORT:HOST2:PORT2"),
            (["check", "--ca-file", "/etc/hostname"], "holds no PEM certificate"),
            (["check", "--only", "whatsapp.health", "--skip", "app.*"], "--skip app.* removes app.secret, which --only whatsapp.health needs"),
            (["check", "--timeout", "0"], "--timeout must be between 0.5 and 3600 seconds"),
            (["demo", "--scenario", "nosuch"], "Unknown scenario 'nosuch'"),
        ])
    func usageErrors(arguments: [String], message: String) async throws {
        let result = try await MetaDoctorBinary.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
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

    @Test("report on a file that is not a report says so and exits 64")
    func reportGarbage() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("garbage.json").path
        try Data("{\"hello\": 1}".utf8).write(to: URL(fileURLWithPath: path))
        let result = try await MetaDoctorBinary.run(["report", path])
        #expect(result.status == 64)
        #expect(result.stderr.contains("is not a meta-doctor JSON report"))
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: MetaDoctorBinary.path)
        process.arguments = ["demo", "--scenario", "graph-hang", "--format", "json"]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Wait until the demo announces its run, then interrupt while graph-hang keeps three checks
        // waiting 10 s on the Graph API.
        let announced = await Task.detached {
            var seen = ""
            while !seen.contains("demo against the sandbox") {
                let chunk = stderr.fileHandleForReading.availableData
                if chunk.isEmpty { return false }
                seen += String(decoding: chunk, as: UTF8.self)
            }
            return true
        }.value
        #expect(announced)
        try await Task.sleep(for: .seconds(1))
        process.interrupt()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let report = try JSONRenderer.decode(output)
        #expect(report.interrupted && report.exitCode == 130)
        #expect(report.checks.contains { $0.status == .error && $0.message.contains("Interrupted") })
    }
}

extension SandboxRuns.CommandLineTests {
    @Test(
        "On a terminal: a live progress line and colour; NO_COLOR removes the colour",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs util-linux's script for a pseudo-terminal"))
    func terminal() async throws {
        let command = "\(MetaDoctorBinary.path) demo --scenario healthy"
        let colored = try await MetaDoctorBinary.runTool("/usr/bin/script", ["-qc", command, "/dev/null"])
        #expect(colored.stdout.contains("\r\u{1B}[2K"), "the progress line redraws itself")
        #expect(colored.stdout.contains("running: "))
        #expect(colored.stdout.contains("\u{1B}[32m✓"), "passes are green")
        let plain = try await MetaDoctorBinary.runTool("/usr/bin/script", ["-qc", command, "/dev/null"], environment: ["NO_COLOR": "1"])
        #expect(!plain.stdout.contains("\u{1B}[32m"))
        #expect(plain.stdout.contains("✓ config"))
    }
}
