import DoctorKit
import DoctorTestSupport
import Foundation
@testable import MetaChecks
import MetaConfig
import MetaDoctorCLI
import MetaGraph
import MetaSandbox
import Reports
import Testing

// Issue #12, "Hardening": one test (or property test) per guarantee; docs/reliability.md names them.

/// Random secrets and the encodings other parties print them in.
enum SecretForms {
    static let alphabet: [Character] =
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/=%&?#:@!$'\"\\ ,;|<>[]{}éß€🙂") + ["\r", "\n", "\u{0}", "\u{1B}", "\t"]

    static func secret(_ generator: inout SeededGenerator) -> String {
        let length = Int.random(in: 8...60, using: &generator)
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// The encodings: as printed by URL libraries, JSON encoders and string escapers.
    static let encodings: [(name: String, encode: @Sendable (String) -> String)] = [
        ("raw", { $0 }),
        ("percent, upper-case hex", { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }),
        ("percent, lower-case hex", { lowercaseHex($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!) }),
        ("percent, query-allowed", { $0.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)! }),
        ("form, + for space", { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!.replacingOccurrences(of: "%20", with: "+") }),
        ("JSON", { jsonString($0) }),
        ("JSON, upper-case \\u", { upperUnicodeEscapes(jsonString($0)) }),
        ("Swift debug", { String(String(reflecting: $0).dropFirst().dropLast()) }),
        ("base64", { Data("user:\($0)".utf8).base64EncodedString() }),
        ("base64url", {
            Data("k=\($0)".utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }),
    ]

    static func jsonString(_ text: String) -> String {
        let data = try! JSONEncoder().encode([text])
        return String(String(decoding: data, as: UTF8.self).dropFirst(2).dropLast(2))
    }

    static func lowercaseHex(_ text: String) -> String {
        var result = ""
        var remaining = 0
        for character in text {
            if character == "%" {
                remaining = 2
                result.append(character)
            } else if remaining > 0 {
                result += character.lowercased()
                remaining -= 1
            } else {
                result.append(character)
            }
        }
        return result
    }

    static func upperUnicodeEscapes(_ text: String) -> String {
        var result = ""
        let chars = Array(text)
        var index = 0
        while index < chars.count {
            if chars[index] == "\\", index + 5 < chars.count, chars[index + 1] == "u" {
                result += "\\u" + String(chars[(index + 2)...(index + 5)]).uppercased()
                index += 6
            } else {
                result.append(chars[index])
                index += 1
            }
        }
        return result
    }

    /// Every run of 8 characters of `secret`.
    static func windows(_ secret: String) -> [String] {
        let characters = Array(secret)
        guard characters.count >= 8 else { return [] }
        return (0...(characters.count - 8)).map { String(characters[$0..<($0 + 8)]) }
    }
}

@Suite("Hardening: secrets are never printed in any form")
struct RedactionPropertyTests {
    @Test("Random secrets, whole or cut to any piece of 8+ characters, in every encoding, never survive redaction", arguments: 0..<8)
    func everyEncodingAndCut(seed: UInt64) {
        var generator = SeededGenerator(state: seed &+ 1000)
        for _ in 0..<60 {
            let secret = SecretForms.secret(&generator)
            let redactor = Redactor(secrets: [secret])
            let characters = Array(secret)
            let start = Int.random(in: 0...(characters.count - 8), using: &generator)
            let end = Int.random(in: (start + 8)...characters.count, using: &generator)
            let piece = String(characters[start..<end])
            for encoding in SecretForms.encodings {
                for shown in [secret, piece] {
                    let encoded = encoding.encode(shown)
                    // As Meta's error message, a header cut short, a body preview, a Location header.
                    let contexts = [
                        "(#190) Invalid OAuth access token - Cannot parse access token \(encoded) rejected",
                        "X-Echo: \(encoded)…", "{\"hub.challenge\":\"\(encoded)\"}", "https://bot.example.com/cb?state=\(encoded)&x=1",
                    ]
                    for text in contexts {
                        let output = redactor.redact(text)
                        #expect(!output.contains(encoded), "\(encoding.name) of a \(shown == secret ? "whole" : "cut") secret survived")
                        if encoding.name == "raw" {
                            for window in SecretForms.windows(shown) { #expect(!output.contains(window), "a piece survived") }
                        }
                    }
                }
            }
        }
    }

    @Test("Credentials in URLs and credential parameters are redacted, whoever's they are")
    func urlCredentials() {
        let redactor = Redactor.textOnly
        let cases = [
            ("proxy https://alice:s3cret-pass@proxy.internal:3128 refused", "s3cret-pass"),
            ("Location: https://graph.example/v25.0/me?access_token=EAAunknowntoken&fields=id", "EAAunknowntoken"),
            ("GET /debug_token?input_token=EAAinputtoken123", "EAAinputtoken123"),
            ("client_secret=abc123def&grant_type=client_credentials", "abc123def"),
            ("hub.verify_token=tiny&hub.challenge=1", "tiny"),
        ]
        for (text, secret) in cases {
            let output = redactor.redact(text)
            #expect(!output.contains(secret), "\(output)")
            #expect(output.contains(Redactor.mask))
        }
        #expect(redactor.redact("https://bot.example.com/webhook?a=1") == "https://bot.example.com/webhook?a=1")
    }

    @Test("A short secret is redacted where it stands as a word, without blanking an anchor or an id that contains it")
    func shortSecrets() throws {
        let redactor = Redactor(secrets: ["hello"])
        #expect(!redactor.redact(#"{"hub.challenge":"hello"}"#).contains("hello"))
        #expect(!redactor.redact("the body was hello").contains("hello"))
        #expect(!redactor.redact("hub.verify_token=hello&x").contains("hello"))
        #expect(!redactor.redact("token%3Dhello%26").contains("hello"))
        #expect(redactor.redact("Blocked by webhook.hello.verify.") == "Blocked by webhook.hello.verify.")
        #expect(redactor.redact("see #webhook-hello-setup") == "see #webhook-hello-setup")
        var report = Report(
            tool: .init(name: "meta-doctor", version: "0"), startedAt: "", durationMs: 0, exitCode: 1, interrupted: false, platforms: [],
            checks: [
                CheckReport(
                    id: "webhook.messenger.verify", title: "Say hello", platform: "messenger", status: .fail, skipReason: nil,
                    message: "The endpoint answered hello", durationMs: 0, prerequisites: [], blockedBy: [], evidence: ["body": "hello"],
                    fix: .init(step: "hello", title: "Hello", url: "https://docs.example/guide.md#hello", action: "Do not print hello"))
            ])
        report = redactor.redact(report)
        let check = try #require(report.checks.first)
        #expect(!check.message.contains("hello") && check.evidence["body"] != "hello" && check.fix.action?.contains("hello") == false)
        #expect(check.fix.url == "https://docs.example/guide.md#hello" && check.fix.step == "hello" && check.title == "Say hello")
    }

    @Test("Text from outside never writes terminal control sequences")
    func controlSequences() throws {
        let output = Redactor.textOnly.redact("ngrok: \u{1B}]0;owned\u{07}\u{1B}[2J\u{9B}31m done\r")
        #expect(!output.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(output.contains("␛"))
        var report = Report(
            tool: .init(name: "meta-doctor", version: "0"), startedAt: "", durationMs: 0, exitCode: 1, interrupted: false,
            platforms: [PlatformStatus(name: "messenger", enabled: false, reason: "x\u{1B}[31m")],
            checks: [
                CheckReport(
                    id: "config", title: "t", platform: nil, status: .fail, skipReason: nil, message: "m\u{1B}[31m", durationMs: 0,
                    prerequisites: [], blockedBy: [], evidence: ["e": "\u{1B}[1m"], fix: .init(step: "s", title: "t", url: "u", action: "a\u{1B}"))
            ])
        report = Redactor.textOnly.redact(report)
        for format in ReportFormat.allCases {
            let text = format.render(report, options: RenderOptions(color: false, verbose: true))
            #expect(!text.contains("\u{1B}"), "\(format.rawValue)")
        }
    }
}

@Suite("Hardening: numbers from the network never trap")
struct NumericDecodingTests {
    static let extremes: [String] = [
        "0", "-1", "1", "59", "1440", "1441", "2147483648", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "1e18", "1e308", "-1e308", "1.7976931348623157e308", "0.5", "\"12\"", "\"9999999999999999999999\"", "null", "true", "[]", "{}",
        "\"NaN\"", "\"inf\"",
    ]

    @Test("estimated_time_to_regain_access of any size, sign or type is clamped to 0...1440 minutes or ignored")
    func regainAccess() {
        for value in Self.extremes {
            let header = #"{"1204000000000001":[{"type":"whatsapp","call_count":100,"estimated_time_to_regain_access":\#(value)}]}"#
            let minutes = GraphNumbers.minutesToRegainAccess(businessUseCaseUsage: header)
            if let minutes { #expect((0...1440).contains(minutes), "\(value) -> \(minutes)") }
        }
        #expect(GraphNumbers.minutesToRegainAccess(businessUseCaseUsage: #"{"1":[{"estimated_time_to_regain_access":1e18}]}"#) == 1440)
        #expect(GraphNumbers.minutesToRegainAccess(businessUseCaseUsage: #"{"1":[{"estimated_time_to_regain_access":5}]}"#) == 5)
    }

    @Test("Retry-After of any size is clamped to an hour or ignored")
    func retryAfter() {
        for value in ["0", "5", "3600", "3601", "99999999999999999999999999", "-5", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT", "", "５"] {
            if let seconds = GraphNumbers.retryAfterSeconds(value) { #expect((0...3600).contains(seconds), "\(value)") }
        }
        #expect(GraphNumbers.retryAfterSeconds("99999999999999999999999999") == 3600)
        #expect(GraphNumbers.retryAfterSeconds("7") == 7)
    }

    @Test("expires_at of any size gives a date that formats, or never")
    func timestamps() {
        for value in [Int.max, Int.min, 0, -1, 1, 253_402_300_800, 1_800_000_000] {
            let date = GraphNumbers.date(fromTimestamp: value)
            let text = date?.formatted(.iso8601) ?? ""
            if value <= 0 { #expect(date == nil) } else { #expect(text.count == 20, "\(value) -> \(text)") }
        }
    }

    @Test("A rate-limit reply with extreme numbers is a typed rate-limit error through the client, never a trap", arguments: extremes)
    func throughTheClient(value: String) async throws {
        let body = #"{"error":{"message":"(#80001) rate","type":"OAuthException","code":80001}}"#
        let headers: [(name: String, value: String)] = [
            ("X-Business-Use-Case-Usage", #"{"1":[{"estimated_time_to_regain_access":\#(value)}]}"#), ("Retry-After", value),
        ]
        let transport = ScriptedTransport(Array(repeating: json(400, body, headers: headers), count: 3))
        var graph = client(transport)
        graph = graph.until(ContinuousClock.now.advanced(by: .seconds(5)))
        do {
            _ = try await graph.me(token: Secret("EAAtoken"))
            Issue.record("a rate limit must throw")
        } catch {
            #expect(error.kind == .rateLimited)
            if let minutes = error.minutesToRegainAccess { #expect((0...1440).contains(minutes)) }
        }
    }
}

@Suite("Hardening: ids and tokens in URLs")
struct URLSafetyTests {
    @Test("A token given in an id's place never goes into a URL path")
    func tokenAsID() async throws {
        let transport = ScriptedTransport([json(200, #"{"id":"1","name":"x"}"#)])
        await #expect(throws: GraphError.self) { _ = try await GraphCalls.page("EAApastedtoken123", token: .pageToken).perform(
                with: client(transport), credentials: GraphCredentials(appID: "1", secrets: [.pageToken: Secret("EAAtoken")])) }
        #expect(transport.requests.isEmpty)
    }

    @Test("A host name that starts with 127. is a name, not loopback; addresses are parsed as addresses")
    func loopback() throws {
        #expect(try #require(URLParts("http://127.0.0.1:8080")).isLoopback)
        #expect(try #require(URLParts("http://127.1.2.3")).isLoopback)
        #expect(try #require(URLParts("http://[::1]:80")).isLoopback)
        #expect(try #require(URLParts("http://localhost")).isLoopback)
        #expect(!(try #require(URLParts("http://127.example.com")).isLoopback))
        #expect(!(try #require(URLParts("http://127.0.0.1.nip.io")).isLoopback))
        #expect(!(try #require(URLParts("http://[::2]")).isLoopback))
    }

    @Test("A punycode host stays an A-label")
    func punycode() throws {
        let parts = try #require(URLParts("https://xn--bcher-kva.example/webhook"))
        #expect(parts.host == "xn--bcher-kva.example")
        #expect(parts.authority == "xn--bcher-kva.example")
        let rule = try #require(ConnectTo(argument: "xn--bcher-kva.example:443:127.0.0.1:8443"))
        #expect(ConnectTo.rule(for: parts.host, port: parts.port, in: [rule]) == rule)
    }
}

@Suite("Hardening: the config check")
struct ConfigHardeningTests {
    static func run(_ dotenv: String, environment: [String: String] = [:]) async throws -> ProbeResult {
        try await ConfigCheckTests.run(dotenv, environment: environment)
    }

    @Test(
        "A control character in a value fails, naming the variable and the character, never the value",
        arguments: [
            ("META_APP_SECRET", "0123456789abcdef0123456789abcdef\r", "ends with a control character (carriage return \\r)"),
            ("META_APP_SECRET", "0123456789abcdef0123456789abcdef\n", "ends with a control character (line feed \\n)"),
            ("META_PAGE_ACCESS_TOKEN", "EAApage\u{0}token0000000000000", "contains a control character (NUL)"),
            ("META_VERIFY_TOKEN", "\r\nk9Jq2-random-verify", "starts with a control character"),
        ])
    func controlCharacters(name: String, value: String, expected: String) async throws {
        let result = try await Self.run(ConfigCheckTests.complete, environment: [name: value])
        #expect(result.verdict == .fail)
        #expect(result.message.contains("\(name) (environment) \(expected)"), "\(result.message)")
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines.union(.controlCharacters))
        #expect(!result.message.contains(String(trimmed.prefix(8))))
    }

    @Test("A value with a control character never reaches a request header: config fails and nothing is sent")
    func noRequestWithControlCharacters() async throws {
        let world = try await SandboxWorld.start(scenario: SandboxScenarios.healthy)
        var environment = world.environment()
        environment["WHATSAPP_ACCESS_TOKEN"] = (environment["WHATSAPP_ACCESS_TOKEN"] ?? "EAAx") + "\r\nX-Injected: 1"
        var request = DoctorRunRequest.forSandbox(world)
        request.configuration = ConfigurationLoader(envFile: nil, environment: environment).load(readingDefaultFile: false)
        let report = try await DoctorRun.run(request)
        let requests = await world.graph.requests()
        await world.stop()
        #expect(report.checks.first { $0.id == "config" }?.status == .fail)
        #expect(report.exitCode == 2)
        #expect(requests.isEmpty)
    }

    @Test(
        "Risky values warn",
        arguments: [
            ("META_VERIFY_TOKEN=abc12", "is only 5 characters long"),
            ("META_VERIFY_TOKEN=pineapplesauce", "is a single word"),
            ("META_GRAPH_URL=http://127.example.com", "plain http"),
            ("META_APP_ID=1234567890\nMETA_APP_ID=1234567890", "test.env sets META_APP_ID on lines 1, 7 and 8; the last one (line 8) is used."),
        ])
    func warns(change: String, expected: String) async throws {
        let result = try await Self.run(ConfigCheckTests.complete + "\n" + change)
        #expect(result.verdict == .warn)
        #expect(result.message.contains(expected), "\(result.message)")
    }

    @Test(
        "Unusable values fail, naming the variable",
        arguments: [
            ("META_PAGE_ID=EAApastedtoken123", "META_PAGE_ID (test.env:7) is not a numeric id"),
            (
                "WHATSAPP_PHONE_NUMBER_ID=+1 555 0100",
                "WHATSAPP_PHONE_NUMBER_ID (test.env:7) is +1 555 0100, a display phone number, not the phone number id (digits only, as API Setup shows it under the number); `meta-doctor discover` lists each number's id."
            ),
            ("WHATSAPP_PHONE_NUMBER_ID=+1 650-555-0142", "WHATSAPP_PHONE_NUMBER_ID (test.env:7) is +1 650-555-0142, a display phone number"),
            ("WHATSAPP_PHONE_NUMBER_ID=1205-0000-EAA", "WHATSAPP_PHONE_NUMBER_ID (test.env:7) is not a numeric id"),
            ("WEBHOOK_BASE_URL=https://bot.example.com:70000", "has port 70000, outside 1-65535"),
            ("WEBHOOK_BASE_URL=https://bot.example.com:0", "has port 0, outside 1-65535"),
            ("META_GRAPH_URL=https://graph.facebook.com:65536", "has port 65536, outside 1-65535"),
        ])
    func fails(change: String, expected: String) async throws {
        let result = try await Self.run(ConfigCheckTests.complete + "\n" + change)
        #expect(result.verdict == .fail)
        #expect(result.message.contains(expected), "\(result.message)")
        #expect(!result.message.contains("EAApastedtoken123"))
    }

    @Test(
        "An unusable HTTPS_PROXY is a config failure naming the variable, never its value",
        arguments: ["http://[broken", "socks5://proxy.internal:1080", "https://proxy.internal:3128", "http://proxy.internal:99999", "proxy .internal"])
    func badProxy(value: String) async throws {
        let result = try await Self.run(ConfigCheckTests.complete, environment: ["HTTPS_PROXY": value])
        #expect(result.verdict == .fail)
        #expect(result.message.contains("HTTPS_PROXY (environment)"), "\(result.message)")
        #expect(!result.message.contains("proxy.internal"))
    }

    @Test("Proxy credentials are used for the proxy's Basic authentication and are redacted as secrets")
    func proxyCredentials() throws {
        let configuration = ConfigurationLoader(envFile: nil, environment: ["HTTPS_PROXY": "http://ci-user:pr0xy-pa%24%24word@proxy.internal:3128"])
            .load(readingDefaultFile: false)
        let proxy = try #require(configuration.proxy)
        #expect(proxy.host == "proxy.internal" && proxy.port == 3128 && proxy.username == "ci-user")
        #expect(proxy.password?.exposedValue == "pr0xy-pa$$word")
        let settings = ProxySettings(proxy)
        #expect(settings.username == "ci-user" && settings.password?.exposedValue == "pr0xy-pa$$word")
        #expect(configuration.secretValues.contains("pr0xy-pa$$word"))
        #expect(configuration.loadProblems.isEmpty)
    }
}

/// Runs the binary with its standard output connected to `stdout`, ended after `limit`.
func runBinary(
    _ arguments: [String], stdout: FileHandle? = nil, environment: [String: String] = [:], directory: URL? = nil,
    limit: Duration = .seconds(30)
) async throws -> (status: Int32, reason: Process.TerminationReason, stdout: String, stderr: String, elapsed: Duration) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: MetaDoctorBinary.path)
    process.arguments = arguments
    var base = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
    base.merge(environment) { _, new in new }
    process.environment = base
    process.currentDirectoryURL = directory ?? FileManager.default.temporaryDirectory
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = stdout ?? out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    let started = ContinuousClock.now
    try process.run()
    let watchdog = Task {
        try await Task.sleep(for: limit)
        process.terminate()
    }
    let outReader = stdout == nil ? PipeReader(out) : nil
    let errReader = PipeReader(err)
    let outBytes = await outReader?.untilEnd() ?? Data()
    let errBytes = await errReader.untilEnd()
    await process.exited()
    let elapsed = started.duration(to: .now)
    watchdog.cancel()
    return (
        process.terminationStatus, process.terminationReason, String(decoding: outBytes, as: UTF8.self),
        String(decoding: errBytes, as: UTF8.self), elapsed
    )
}

extension SandboxRuns {
    @Suite("Hardening: the process", .timeLimit(.minutes(3)))
    struct ProcessHardeningTests {
        @Test("A closed standard output never crashes and never loses the --format FORMAT:PATH files; the exit status is theirs")
        func closedStdout() async throws {
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let pipe = Pipe()
            try pipe.fileHandleForReading.close()
            let path = directory.appendingPathComponent("report.json").path
            let result = try await runBinary(
                ["demo", "--scenario", "onboarding", "--format", "human", "--format", "json:\(path)"], stdout: pipe.fileHandleForWriting)
            #expect(result.reason == .exit, "no signal: SIGPIPE is handled")
            let report = try JSONRenderer.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(Int(result.status) == report.exitCode && report.exitCode == 1)
            #expect(result.stderr.contains("Cannot write the human report to standard output"))
        }

        @Test("A failing standard output (/dev/full) never crashes: files are written; alone, it is exit 74")
        func fullStdout() async throws {
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
            let path = directory.appendingPathComponent("report.json").path
            let withFile = try await runBinary(["demo", "--scenario", "healthy", "--format", "json:\(path)"], stdout: full)
            #expect(withFile.reason == .exit && withFile.status == 0)
            #expect(try JSONRenderer.decode(try Data(contentsOf: URL(fileURLWithPath: path))).exitCode == 0)
            let alone = try await runBinary(["demo", "--scenario", "healthy"], stdout: full)
            #expect(alone.reason == .exit && alone.status == 74)
            #expect(alone.stderr.contains("Cannot write the human report to standard output"))
        }

        @Test("A report file that cannot be written: exit 74, and the JSON written says 74 too")
        func unwritableFileKeepsExitCodeEqual() async throws {
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("report.json").path
            let result = try await runBinary(["demo", "--scenario", "healthy", "--format", "json:/dev/full", "--format", "json:\(path)"])
            #expect(result.status == 74)
            #expect(try JSONRenderer.decode(try Data(contentsOf: URL(fileURLWithPath: path))).exitCode == 74)
            #expect(result.stderr.contains("Cannot write the json report to /dev/full"))
        }

        @Test("--env-file, --ca-file and report FILE on a FIFO answer at once with a clear error")
        func fifos() async throws {
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let fifo = directory.appendingPathComponent("pipe").path
            #expect(mkfifo(fifo, 0o600) == 0)
            let env = try await runBinary(["check", "--env-file", fifo, "--format", "json"], limit: .seconds(20))
            #expect(env.status == 2)
            #expect(env.stdout.contains("Cannot read the env file \(fifo): it is a FIFO (named pipe), not a regular file."))
            let ca = try await runBinary(["check", "--ca-file", fifo], limit: .seconds(20))
            #expect(ca.status == 64 && ca.stderr.contains("--ca-file \(fifo) cannot be read: it is a FIFO"), "\(ca.stderr)")
            let report = try await runBinary(["report", fifo], limit: .seconds(20))
            #expect(report.status == 2 && report.stderr.contains("Cannot read \(fifo): it is a FIFO"), "\(report.stderr)")
            let device = try await runBinary(["check", "--env-file", "/dev/zero", "--format", "json"], limit: .seconds(20))
            #expect(device.status == 2 && device.stdout.contains("it is a character device, not a regular file"))
        }

        @Test("SIGTERM ends like Ctrl-C: the partial report with interrupted: true, exit 143")
        func sigterm() async throws {
            let (process, output) = try await interruptedDemo { $0.terminate() }
            #expect(process.terminationReason == .exit && process.terminationStatus == 143)
            let report = try JSONRenderer.decode(output)
            #expect(report.interrupted && report.exitCode == 143)
            #expect(try SchemaValidator.reportSchema().validate(output) == [])
        }

        @Test("--timeout bounds the whole process, a silent webhook included (generous bound)")
        func wholeProcessTimeout() async throws {
            let result = try await runBinary(["demo", "--scenario", "webhook-slow", "--timeout", "3", "--format", "json"])
            #expect(result.elapsed < .milliseconds(4500), "took \(result.elapsed)")
            let report = try JSONRenderer.decode(Data(result.stdout.utf8))
            #expect(Int(result.status) == report.exitCode)
        }

        @Test(
            "Output targets and selections are checked before any network call: usage errors with the reason",
            arguments: [
                (["check", "--format", "json:/tmp"], "Cannot write the json report to /tmp: it is a directory"),
                (["check", "--format", "json:/nonexistent-dir/r.json"], "the directory /nonexistent-dir does not exist"),
                (["check", "--format", "json:r.json", "--format", "junit:./r.json"], "The json and junit reports both go to ./r.json"),
                (["check", "--env-file", "my.env", "--format", "json:my.env"], "would overwrite the env file my.env"),
                (["check", "--format", "json:"], "names no file after the colon"),
                (["check", "--output", "", "--format", "json"], "--output names no file"),
                (["check", "--skip", "config"], "--skip config removes config, which every check needs"),
                (["check", "--skip", "*"], "removes config, which every check needs"),
                (["check", "--only", "app.secret", "--skip", "app.secret"], "--skip removes every check --only names"),
                (["check", "--only", "whatsapp.*", "--platform", "messenger"], "--only selects whatsapp checks only, but --platform messenger"),
                (["check", "--timeout", "0.4"], "--timeout must be between 0.5 and 3600 seconds"),
                (["check", "--timeout", "nan"], "--timeout must be between 0.5 and 3600 seconds"),
                (["report", "r.json", "--format", "json:r.json"], "would overwrite the report read r.json"),
            ])
        func usageErrors(arguments: [String], message: String) async throws {
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            try Data("META_APP_ID=1\n".utf8).write(to: directory.appendingPathComponent("my.env"))
            try Data("{}".utf8).write(to: directory.appendingPathComponent("r.json"))
            let result = try await runBinary(arguments, directory: directory)
            #expect(result.status == 64, "\(result.stderr)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }

        @Test("report on a file with control sequences writes none to the terminal")
        func reportNeutralisesControls() async throws {
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            var report = Report(
                tool: .init(name: "meta-doctor", version: "0.1.0"), startedAt: "2026-12-01T00:00:00Z", durationMs: 1, exitCode: 1,
                interrupted: false, platforms: [],
                checks: [
                    CheckReport(
                        id: "config", title: "The configuration is complete", platform: nil, status: .fail, skipReason: nil,
                        message: "evil \u{1B}]0;title\u{07}\u{1B}[2J", durationMs: 0, prerequisites: [], blockedBy: [],
                        evidence: ["body": "\u{1B}[31mred"], fix: .init(step: "s", title: "t", url: "https://u", action: "\u{1B}[5m"))
                ])
            report.exitCode = 1
            let path = directory.appendingPathComponent("evil.json").path
            try Data(JSONRenderer.render(report, options: RenderOptions()).utf8).write(to: URL(fileURLWithPath: path))
            for format in ReportFormat.allCases {
                let result = try await runBinary(["report", path, "--format", format.rawValue, "--verbose"])
                #expect(result.status == 0)
                #expect(!result.stdout.contains("\u{1B}"), "\(format.rawValue)")
            }
        }
    }
}

@Suite("Hardening: reports and tokens")
struct ReportHardeningTests {
    @Test("A 20,000-check report, every check failing and blocking the next, renders in every format in time linear in its size")
    func largeReport() throws {
        // 20,000 root causes, each blocking one check: a renderer that looks up dependents or root
        // causes per check does 20,000 x 20,000 comparisons per lookup and takes minutes.
        var checks: [CheckReport] = []
        for index in 0..<20_000 {
            checks.append(
                CheckReport(
                    id: CheckID("bulk.check-\(index)"), title: "Check \(index)", platform: nil, status: .fail, skipReason: nil,
                    message: "Message \(index)", durationMs: 1, prerequisites: [],
                    blockedBy: index == 0 ? [] : [CheckID("bulk.check-\(index - 1)")], evidence: ["n": .int(index)],
                    fix: .init(step: "s", title: "t", url: "https://u", action: "fix")))
        }
        let report = Report(
            tool: .init(name: "meta-doctor", version: "0"), startedAt: "", durationMs: 0, exitCode: 1, interrupted: false, platforms: [],
            checks: checks)
        let started = ContinuousClock.now
        for format in ReportFormat.allCases { _ = format.render(Redactor.textOnly.redact(report), options: RenderOptions(verbose: true)) }
        // Generous for a debug build on a shared machine; the quadratic renderers took minutes.
        #expect(started.duration(to: .now) < .seconds(10))
    }
}

@Suite("Hardening: a token whose expiry has passed")
struct ExpiredTokenTests {
    static func info(_ json: String) throws -> DebugTokenInfo {
        try JSONDecoder().decode(DebugTokenInfo.self, from: Data(json.utf8))
    }

    @Test("Meta calls it valid, but expires_at is in the past: a failure, not 'expires in 0 days'")
    func validButExpired() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let expired = try Self.info(#"{"app_id":"1","type":"PAGE","is_valid":true,"expires_at":1799990000,"scopes":[]}"#)
        let problem = try #require(
            TokenInspection.basicProblem(expired, token: Secret("EAAtoken"), appID: "1", label: "Page token", source: nil, now: now, renew: "Renew."))
        #expect(problem.verdict == .fail)
        #expect(problem.message.contains("has expired"))
        let current = try Self.info(#"{"app_id":"1","type":"PAGE","is_valid":true,"expires_at":1800090000,"scopes":[]}"#)
        #expect(TokenInspection.basicProblem(current, token: Secret("EAAtoken"), appID: "1", label: "Page token", source: nil, now: now, renew: "") == nil)
        let never = try Self.info(#"{"app_id":"1","type":"PAGE","is_valid":true,"expires_at":0,"scopes":[]}"#)
        #expect(TokenInspection.basicProblem(never, token: Secret("EAAtoken"), appID: "1", label: "Page token", source: nil, now: now, renew: "") == nil)
    }

    @Test("An expires_at of any size formats as a date or 'never'")
    func extremeExpiry() {
        for value in [Int.max, Int.min, 0, 1, 253_402_300_800] {
            #expect(!TokenInspection.expiryText(value).isEmpty)
        }
        #expect(TokenInspection.expiryText(0) == "never")
    }
}

