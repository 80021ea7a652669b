import DoctorTestSupport
import Foundation
import MetaConfig
import Testing

extension SandboxRuns {
    /// `meta-doctor fix` as a user runs it, against a `meta-doctor sandbox` process: an id in the
    /// wrong place is repaired by rewriting its .env line, not by a Graph write.
    @Suite("meta-doctor fix on the command line", .timeLimit(.minutes(2)))
    struct FixCommandTests {
        /// A `meta-doctor sandbox` process for `scenario`, a .env file with its values, and `fix` run
        /// on that file against it.
        struct Setup {
            let sandbox: SandboxProcess
            let directory: URL
            let file: String
            let original: String

            init(scenario: String) async throws {
                try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 starts the sandbox with signals unblocked")
                sandbox = try await SandboxProcess.start(scenario: scenario)
                directory = try makeTemporaryDirectory()
                file = directory.appendingPathComponent(".env").path
                original = SandboxRuns.WatchTests.dotenv(sandbox.environment)
                try original.write(toFile: file, atomically: true, encoding: .utf8)
            }

            func fix(_ arguments: [String]) async throws -> CommandResult {
                try await MetaDoctorBinary.run(["fix", "--env-file", file, "--no-color"] + arguments + sandbox.flags)
            }

            /// On every path: a failed expectation that throws must not leave the sandbox serving.
            func cleanUp() {
                if sandbox.process.isRunning { kill(sandbox.process.processIdentifier, SIGTERM) }
                try? FileManager.default.removeItem(at: directory)
            }
        }

        @Test("A display number as the phone number id: the plan names the line, --apply alone leaves it, --apply --write-env rewrites it and check passes")
        func misplacedIDRewritten() async throws {
            let setup = try await Setup(scenario: "whatsapp-display-number-as-id")
            defer { setup.cleanUp() }
            let (sandbox, file, original, fix) = (setup.sandbox, setup.file, setup.original, setup.fix)
            let line = try #require(original.split(separator: "\n").firstIndex { $0.hasPrefix("WHATSAPP_PHONE_NUMBER_ID=") }) + 1

            let planned = try await fix([])
            #expect(planned.status == 1, "a plan with a change: \(planned.stderr)")
            #expect(planned.stdout.hasPrefix(
                "meta-doctor fix: 1 configuration change planned; nothing is written without --apply --write-env.\n"))
            #expect(planned.stdout.contains(
                "  - WHATSAPP_PHONE_NUMBER_ID (\(file):\(line)): 15550104242 → 1205000000000001\n"
                    + "    fix --apply --write-env rewrites that line; a backup of the file is kept next to it.\n"), "\(planned.stdout)")
            #expect(planned.stdout.hasSuffix("Run `meta-doctor fix --apply --write-env` to rewrite these lines.\n"))
            #expect(!planned.stdout.contains("  - whatsapp.phone-number (fail)"), "not a manual step: \(planned.stdout)")

            let withoutWriting = try await fix(["--apply"])
            #expect(withoutWriting.status == 1, "the line is still wrong")
            #expect(withoutWriting.stdout.contains("The configuration lines were not rewritten: add --write-env, or change them by hand.\n"))
            #expect(try String(contentsOfFile: file, encoding: .utf8) == original)

            let applied = try await fix(["--apply", "--write-env", "--format", "json"])
            #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
            let schema = try SchemaValidator(
                schemaData: Data(contentsOf: RepositoryPaths.root.appendingPathComponent("reports/fix-plan.schema.json")))
            #expect(schema.validate(Data(applied.stdout.utf8)) == [])
            let document = try #require(try JSONSerialization.jsonObject(with: Data(applied.stdout.utf8)) as? [String: Any])
            let edits = try #require(document["envEdits"] as? [[String: Any]])
            #expect(edits.count == 1 && edits[0]["name"] as? String == "WHATSAPP_PHONE_NUMBER_ID" && edits[0]["done"] as? Bool == true)
            #expect((document["after"] as? [String: String]) == ["whatsapp.phone-number": "pass"])
            #expect(try String(contentsOfFile: file, encoding: .utf8) == original.replacingOccurrences(
                of: "WHATSAPP_PHONE_NUMBER_ID=15550104242\n", with: "WHATSAPP_PHONE_NUMBER_ID=1205000000000001\n"))
            #expect(try String(contentsOfFile: file + ".meta-doctor-backup", encoding: .utf8) == original)

            let checked = try await MetaDoctorBinary.run(["check", "--env-file", file, "--no-color"] + sandbox.flags)
            await sandbox.stop()
            #expect(checked.status == 0, "\(checked.stdout)")
        }

        @Test("ngrok's new URL: fix --apply moves the callbacks but exits 1 while WEBHOOK_BASE_URL is stale; --apply --write-env then rewrites it and exits 0")
        func ngrokURLNeedsTheLine() async throws {
            let setup = try await Setup(scenario: "ngrok-new-url")
            defer { setup.cleanUp() }
            let (sandbox, file, original, fix) = (setup.sandbox, setup.file, setup.original, setup.fix)

            let planned = try await fix([])
            #expect(planned.status == 1)
            #expect(planned.stdout.hasSuffix("Run `meta-doctor fix --apply --write-env` to make these changes.\n"), "\(planned.stdout)")

            let moved = try await fix(["--apply"])
            #expect(moved.status == 1, "the callbacks moved, but the .env line is stale: \(moved.stdout)")
            #expect(moved.stdout.contains("The configuration lines were not rewritten: add --write-env, or change them by hand.\n"))
            #expect(try String(contentsOfFile: file, encoding: .utf8) == original)

            let rewritten = try await fix(["--apply", "--write-env"])
            #expect(rewritten.status == 0, "\(rewritten.stdout)")
            #expect(rewritten.stdout.contains("Rewrote WEBHOOK_BASE_URL in "))
            #expect(try String(contentsOfFile: file, encoding: .utf8).contains("WEBHOOK_BASE_URL=https://ef567890.ngrok-free.app\n"))
            await sandbox.stop()
        }
    }
}
