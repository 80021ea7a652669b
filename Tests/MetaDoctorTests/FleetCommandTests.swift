import DoctorTestSupport
import Foundation
import MetaSandbox
import Testing

/// `meta-doctor fleet` as a job runner calls it: the built binary against a `meta-doctor sandbox
/// --fleet` process (a separate process: the binary against an in-process sandbox would share the
/// test's thread pool).
@Suite("meta-doctor fleet on the command line", .serialized, .timeLimit(.minutes(2)))
struct FleetCommandTests {
    /// Starts `sandbox --fleet size` and returns it with the manifest's path once it is written.
    static func startSandbox(size: Int, directory: URL) async throws -> (Process, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: MetaDoctorBinary.path)
        process.arguments = ["sandbox", "--fleet", "\(size)", "--fleet-dir", directory.path]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let printed = await PipeReader(stdout).wait(until: { $0.hasSuffix("\n") })
        return (process, printed.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func ids(_ ndjson: String) -> [String] {
        ndjson.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        }
    }

    @Test("Shards 1/3, 2/3, 3/3 cover every id once; --resume skips the finished ids and appends the rest; the exit status is the worst")
    func shardsAndResume() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (sandbox, manifest) = try await Self.startSandbox(size: 24, directory: directory)
        // Stopped on every path; the end of the test also waits for it, off the pool.
        defer { sandbox.interrupt() }
        #expect(manifest.hasSuffix("/manifest.jsonl"))
        let secretFile = directory.appendingPathComponent("secrets/customer-0001.META_PAGE_ACCESS_TOKEN").path
        let mode = try FileManager.default.attributesOfItem(atPath: secretFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let generated = SandboxFleet(size: 24).integrations
        let all = generated.map(\.id)
        let broken = Set(generated.filter { $0.breakage != nil }.map(\.id))
        #expect(broken.count == 4)

        var sharded: [String] = []
        for k in 1...3 {
            let result = try await MetaDoctorBinary.run(["fleet", manifest, "--shard", "\(k)/3"])
            let ids = Self.ids(result.stdout)
            #expect(result.status == (ids.contains(where: broken.contains) ? 1 : 0), "shard \(k): \(result.stderr)")
            sharded += ids
            #expect(result.stderr.contains("of other shards"))
        }
        #expect(sharded.sorted() == all)

        // An interrupted run left 5 lines (the last one cut short); --resume runs the rest.
        let full = try await MetaDoctorBinary.run(["fleet", manifest, "--format", "json:\(directory.path)/summary.json"])
        let lines = full.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 24)
        // A value's source is its manifest line, as check names a .env file's.
        #expect(lines[0].contains("\"META_APP_ID\":\"META_APP_ID (\(manifest):"))
        let output = directory.appendingPathComponent("out.ndjson")
        try Data((lines.prefix(4).joined(separator: "\n") + "\n" + lines[4].prefix(40)).utf8).write(to: output)
        let resumed = try await MetaDoctorBinary.run(["fleet", manifest, "--resume", output.path, "--format", "ndjson:\(output.path)"])
        #expect(resumed.stdout.isEmpty, "the reports went to the file")
        #expect(resumed.stderr.contains("4 already in the --resume file"))
        let after = Self.ids(try String(contentsOf: output, encoding: .utf8))
        #expect(after.count == 24)
        #expect(after.sorted() == all)
        #expect(Array(after.prefix(4)) == Self.ids(lines.prefix(4).joined(separator: "\n")))

        // The summary alone on standard output, when markdown takes it.
        let markdown = try await MetaDoctorBinary.run(["fleet", manifest, "--format", "markdown"])
        #expect(markdown.stdout.hasPrefix("## meta-doctor fleet\n\n24 integrations in "))
        #expect(!markdown.stdout.contains("\"report\""))

        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("summary.json"))) as? [String: Any]
        #expect(summary?["integrations"] as? Int == 24)
        #expect(summary?["exitCode"] as? Int == 1)
        sandbox.interrupt()
        await sandbox.exited()
    }

    @Test("An output that is the manifest or the --resume file (but ndjson) is a usage error, and a --ca-file without PEM stops the run before any call")
    func outputsNeverOverwriteInputs() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = directory.appendingPathComponent("fleet.jsonl")
        let text = "{\"id\": \"a\", \"META_APP_ID\": \"1\", \"META_GRAPH_URL\": \"http://127.0.0.1:9\"}\n"
        try Data(text.utf8).write(to: manifest)
        let earlier = directory.appendingPathComponent("out.ndjson")
        try Data("{\"id\":\"a\",\"report\":{}}\n".utf8).write(to: earlier)
        let cases: [([String], String)] = [
            (["--format", "json:\(manifest.path)"], "The json output would overwrite the manifest \(manifest.path)"),
            (["--format", "ndjson:\(directory.path)/./fleet.jsonl"], "The ndjson output would overwrite the manifest \(manifest.path)"),
            (["--resume", earlier.path, "--format", "markdown:\(earlier.path)"], "The markdown output would overwrite the --resume file \(earlier.path)"),
        ]
        for (arguments, message) in cases {
            let result = try await MetaDoctorBinary.run(["fleet", manifest.path] + arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(try String(contentsOf: manifest, encoding: .utf8) == text)
        #expect(try String(contentsOf: earlier, encoding: .utf8) == "{\"id\":\"a\",\"report\":{}}\n")

        let notPEM = directory.appendingPathComponent("ca.pem")
        try Data("not a certificate\n".utf8).write(to: notPEM)
        let badCA = try await MetaDoctorBinary.run(["fleet", manifest.path, "--ca-file", notPEM.path])
        #expect(badCA.status == 64)
        #expect(badCA.stderr.contains("--ca-file \(notPEM.path) holds no PEM certificate"), "\(badCA.stderr)")
        #expect(badCA.stdout.isEmpty)
    }

    @Test("A manifest with a bad line runs nothing: exit 2, every problem on stderr, nothing on stdout")
    func badManifest() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = directory.appendingPathComponent("fleet.jsonl")
        // The good line points at a closed port: had it run, it would have reported a network error (exit 3).
        try Data("""
            {"id": "good", "META_APP_ID": "1", "META_GRAPH_URL": "http://127.0.0.1:9", "META_APP_SECRET": {"env": "S"}}
            {"id": "bad", "META_APP_ID": "1", "META_APP_SECRET": "inline-secret-value"}

            """.utf8).write(to: manifest)
        let result = try await MetaDoctorBinary.run(["fleet", manifest.path], environment: ["S": "env-secret-value"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("line 2: META_APP_SECRET is a secret given inline"))
        #expect(!result.stderr.contains("inline-secret-value"))
        let usage = try await MetaDoctorBinary.run(["fleet", manifest.path, "--shard", "4/3"])
        #expect(usage.status == 64)
    }
}
