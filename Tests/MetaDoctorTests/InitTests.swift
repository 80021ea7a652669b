import DoctorKit
import DoctorTestSupport
import Foundation
import MetaChecks
import MetaConfig
@testable import MetaDoctorCLI
import Synchronization
import Testing

/// Answers questions from a script, in order, and records them.
final class ScriptedPrompter: InitPrompter {
    private let state: Mutex<(answers: [String], asked: [(question: String, secret: Bool)])>

    init(_ answers: [String]) { state = Mutex((answers, [])) }

    func ask(_ question: String, secret: Bool) async -> String? {
        state.withLock { state in
            state.asked.append((question, secret))
            return state.answers.isEmpty ? nil : state.answers.removeFirst()
        }
    }

    var asked: [(question: String, secret: Bool)] { state.withLock { $0.asked } }
}

/// Records what discovery was given and answers `found`.
final class StubDiscovery: Sendable {
    let found: [ConfigKey: String]
    private let seen = Mutex<[MetaConfiguration]>([])

    init(_ found: [ConfigKey: String]) { self.found = found }

    var discovery: ValueDiscovery {
        { [self] request in
            seen.withLock { $0.append(request.configuration) }
            return found
        }
    }

    var configurations: [MetaConfiguration] { seen.withLock { $0 } }
}

@Suite("meta-doctor init writes a .env the rest of the tool reads")
struct InitTests {
    static func flow(
        platforms: Set<Platform>?, environment: [String: String] = [:], prompter: ScriptedPrompter? = nil, discovery: StubDiscovery = StubDiscovery([:])
    ) -> InitFlow {
        InitFlow(
            platforms: platforms, given: ConfigurationLoader(environment: environment).load(readingDefaultFile: false), prompter: prompter,
            discovery: discovery.discovery, request: { DoctorRunRequest(configuration: $0) })
    }

    @Test("Each platform brings its variables; every one has a comment naming a dashboard and its guide step")
    func variablesAndComments() throws {
        #expect(EnvTemplate(platforms: [.messenger]).keys.map(\.name) == [
            "META_APP_ID", "META_APP_SECRET", "META_PAGE_ID", "META_PAGE_ACCESS_TOKEN", "META_VERIFY_TOKEN", "WEBHOOK_BASE_URL",
        ])
        #expect(EnvTemplate(platforms: [.whatsapp]).keys.map(\.name) == [
            "META_APP_ID", "META_APP_SECRET", "WHATSAPP_BUSINESS_ACCOUNT_ID", "WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_ACCESS_TOKEN",
            "META_VERIFY_TOKEN", "WEBHOOK_BASE_URL",
        ])
        #expect(EnvTemplate(platforms: [.instagram], instagramAPI: .instagramLogin).keys.map(\.name) == [
            "META_APP_ID", "META_APP_SECRET", "INSTAGRAM_API", "INSTAGRAM_ACCOUNT_ID", "INSTAGRAM_ACCESS_TOKEN", "META_VERIFY_TOKEN",
            "WEBHOOK_BASE_URL",
        ])
        let text = EnvTemplate(platforms: [.whatsapp]).render(docsURL: "https://docs.example/guide.md")
        let lines = text.components(separatedBy: "\n")
        let phone = try #require(lines.firstIndex(of: "WHATSAPP_PHONE_NUMBER_ID="))
        #expect(lines[phone - 1] == "# The Phone number ID (not the number): WhatsApp > API Setup, under From (step 9: https://docs.example/guide.md#whatsapp-phone-number)")
        let token = try #require(lines.firstIndex(of: "WHATSAPP_ACCESS_TOKEN="))
        #expect(lines[token - 1].hasPrefix("# Secret. A system user token: business.facebook.com > Business settings > Users > System users"))
        #expect(lines[token - 1].hasSuffix("(step 8: https://docs.example/guide.md#whatsapp-system-user-token)"))
        for (index, line) in lines.enumerated() where line.contains("=") && !line.hasPrefix("#") {
            #expect(lines[index - 1].hasPrefix("# ") && lines[index - 1].contains("(step "), "\(line) has its comment")
        }
    }

    @Test("The file round-trips through the .env parser and the loader, whatever the characters of a value")
    func roundTrip() throws {
        let values: [ConfigKey: String] = [
            .appID: "1234567890", .appSecret: "s3cr3t with spaces # and a hash", .pageID: "111",
            .pageAccessToken: "EAA'quoted\"both$HOME\\", .verifyToken: "plain-token_1.2|x", .webhookBaseURL: "https://bot.example.com",
        ]
        let text = EnvTemplate(platforms: [.messenger], values: values).render()
        let parsed = try DotEnv.parse(text, file: ".env")
        #expect(parsed.values == Dictionary(uniqueKeysWithValues: values.map { ($0.key.name, $0.value) }))
        let configuration = loader(dotenv: text, path: ".env").load()
        #expect(configuration.loadProblems.isEmpty && configuration.loadWarnings.isEmpty)
        #expect(configuration.pageAccessToken?.exposedValue == "EAA'quoted\"both$HOME\\")
        #expect(configuration.platformStates().first { $0.platform == .messenger }?.enabled == true)
    }

    @Test("A value left empty makes config say it is empty and where, not that something is malformed")
    func placeholdersAreNamed() async throws {
        let text = EnvTemplate(platforms: [.messenger], values: [.appID: "1234567890", .appSecret: "0123456789abcdef"]).render()
        let configuration = loader(dotenv: text, path: ".env").load()
        let result = try await ConfigCheck().run(TestEnvironment.offline(configuration), CheckContext(facts: Facts(), timeLimit: .seconds(5)))
        #expect(result.verdict == .warn)
        #expect(result.message.hasPrefix(
            "META_PAGE_ID (.env:11), META_PAGE_ACCESS_TOKEN (.env:14), META_VERIFY_TOKEN (.env:17), WEBHOOK_BASE_URL (.env:20) are empty: fill them in"))
        let noApp = loader(dotenv: EnvTemplate(platforms: [.whatsapp]).render(), path: ".env").load()
        let failed = try await ConfigCheck().run(TestEnvironment.offline(noApp), CheckContext(facts: Facts(), timeLimit: .seconds(5)))
        #expect(failed.verdict == .fail)
        #expect(failed.message.hasPrefix("META_APP_ID (.env:5) is empty: fill it in"), "\(failed.message)")
    }

    @Test("On a terminal: the platforms, then the credentials (secrets hidden), then discovery, then the rest with its suggestions")
    func asksInOrderAndUsesDiscovery() async throws {
        let prompter = ScriptedPrompter(["whatsapp", "1234567890", "app-secret-typed", "EAAsystemusertoken", "", "", "verify-typed-1"])
        let discovery = StubDiscovery([.whatsappBusinessAccountID: "102290129340398", .whatsappPhoneNumberID: "106540352242922", .pageID: "999"])
        let template = await Self.flow(platforms: nil, environment: ["WEBHOOK_BASE_URL": "https://given.example"], prompter: prompter, discovery: discovery).template()
        #expect(prompter.asked.map { String($0.question.prefix { $0 != "," && $0 != " " }) } == [
            "Platforms", "META_APP_ID", "META_APP_SECRET", "WHATSAPP_ACCESS_TOKEN", "WHATSAPP_BUSINESS_ACCOUNT_ID", "WHATSAPP_PHONE_NUMBER_ID",
            "META_VERIFY_TOKEN",
        ])
        #expect(prompter.asked.map(\.secret) == [false, false, true, true, false, false, true])
        #expect(prompter.asked[4].question.contains("[102290129340398, found from the token]"))
        // Discovery saw the token typed, and its WABA and phone number became the answers to Enter.
        #expect(discovery.configurations.map { $0.whatsappAccessToken?.exposedValue } == ["EAAsystemusertoken"])
        #expect(template.values == [
            .appID: "1234567890", .appSecret: "app-secret-typed", .whatsappAccessToken: "EAAsystemusertoken",
            .whatsappBusinessAccountID: "102290129340398", .whatsappPhoneNumberID: "106540352242922", .verifyToken: "verify-typed-1",
            .webhookBaseURL: "https://given.example",
        ])
        #expect(template.platforms == [.whatsapp])
    }

    @Test("Without a terminal: values from the environment (aliases too) and discovery, nothing asked, the rest empty")
    func nonInteractive() async throws {
        let discovery = StubDiscovery([.pageID: "1202000000000001", .appID: "should-not-win"])
        let template = await Self.flow(
            platforms: nil, environment: ["APP_ID": "1234567890", "PAGE_ACCESS_TOKEN": "EAApagetoken"], discovery: discovery
        ).template()
        #expect(template.platforms == [.messenger], "the platform something was given for")
        #expect(template.values == [.appID: "1234567890", .pageAccessToken: "EAApagetoken", .pageID: "1202000000000001"])
        #expect(template.placeholders.map(\.name) == ["META_APP_SECRET", "META_VERIFY_TOKEN", "WEBHOOK_BASE_URL"])
        let nothing = await Self.flow(platforms: nil, discovery: discovery).template()
        #expect(nothing.platforms == Set(Platform.allCases))
        #expect(discovery.configurations.count == 1, "no token, no discovery")
    }

    @Test("README and the setup guide put init first")
    func documentedFirst() throws {
        let readme = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let usage = try #require(readme.range(of: "## Usage\n"))
        let firstBlock = try #require(readme.range(of: "```sh\n", range: usage.upperBound..<readme.endIndex))
        #expect(readme[firstBlock.upperBound...].hasPrefix("meta-doctor init "))
        let guide = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("docs/setup-guide.md"), encoding: .utf8)
        let initStep = try #require(guide.range(of: "<a id=\"init\"></a>\n### 0. Start with `meta-doctor init`"))
        let firstMetaStep = try #require(guide.range(of: "<a id=\"create-meta-app\"></a>"))
        #expect(initStep.lowerBound < firstMetaStep.lowerBound)
    }

    @Test("The file is created with mode 0600; an existing file is never replaced without --force")
    func writesSafely() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(".env").path
        let previous = umask(0)
        defer { umask(previous) }
        try EnvFileWriter.write("A=1\n", to: path, force: false)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(throws: EnvFileWriter.WriteError.self) { try EnvFileWriter.write("A=2\n", to: path, force: false) }
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) == "A=1\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try EnvFileWriter.write("A=3\n", to: path, force: true)
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) == "A=3\n")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [".env"], "no temporary file left")
        #expect(EnvFileWriter.problem(directory.path, force: true) == "\(directory.path) exists and is not a regular file")
    }
}

/// A `meta-doctor sandbox` process: its .env values and the flags that reach it. The binary talks
/// to it across processes, so nothing waits on this test process's threads.
struct SandboxProcess {
    let process: Process
    let environment: [String: String]
    let flags: [String]

    static func start(scenario: String) async throws -> SandboxProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = SandboxRuns.SandboxCommandTests.asFromAShell + [MetaDoctorBinary.path, "sandbox", "--scenario", scenario]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let printed = await PipeReader(stdout).wait(until: { $0.contains("\(ConfigKey.whatsappPhoneNumberID.name)=") && $0.hasSuffix("\n") })
        let hint = await PipeReader(stderr).wait(until: { $0.contains("--ngrok-api") && $0.hasSuffix("\n") })
        let environment = try DotEnv.parse(printed, file: "sandbox's output").values
        let command = try #require(hint.split(separator: "\n").first { $0.contains("--ngrok-api") })
        let flags = command.split(separator: " ").drop { !$0.hasPrefix("--connect-to") }.map(String.init)
        return SandboxProcess(process: process, environment: environment, flags: flags)
    }

    func stop() async {
        kill(process.processIdentifier, SIGTERM)
        await process.exited()
    }
}

/// The binary on a pseudo-terminal whose input the test types, after the prompt it waits for
/// has appeared (as a person would: typed earlier, a secret would be echoed before echo is off).
final class InteractiveTerminal: Sendable {
    private let process: Process
    private let input: Pipe
    private let screen: PipeReader

    /// `then`: a shell command run on the same terminal after the binary ended (instead of `exec`).
    init(_ arguments: String, environment: [String: String], directory: URL, then: String? = nil, columns: Int = 200) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        // The shell ignores Ctrl-C, to live on after the binary.
        let command = then.map { "trap '' INT; \(MetaDoctorBinary.path) \(arguments); \($0)" } ?? "exec \(MetaDoctorBinary.path) \(arguments)"
        process.arguments = ["-qc", "stty cols \(columns) rows 60; \(command)", "/dev/null"]
        var base = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": NSTemporaryDirectory(), "TERM": "xterm"]
        base.merge(environment) { _, new in new }
        process.environment = base
        process.currentDirectoryURL = directory
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        screen = PipeReader(output)
    }

    var text: String { screen.text }

    /// Waits (up to a generous minute) until `prompt` shows after what was already answered.
    func waitFor(_ prompt: String, after offset: Int) async throws -> Int {
        for _ in 0..<1200 {
            let shown = text
            if let range = shown.range(of: prompt, range: shown.index(shown.startIndex, offsetBy: min(offset, shown.count))..<shown.endIndex) {
                return shown.distance(from: shown.startIndex, to: range.upperBound)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("'\(prompt)' never showed; the screen: \(text)")
        throw CancellationError()
    }

    func type(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }

    /// Waits for the process to end; its status and everything it showed.
    func finish() async -> (status: Int32, screen: String) {
        await process.exited()
        try? input.fileHandleForWriting.close()
        await screen.untilEnd()
        return (process.terminationStatus, text)
    }
}

extension SandboxRuns {
    @Suite("meta-doctor init, as a user runs it", .timeLimit(.minutes(3)))
    struct InitCommandTests {

        @Test("Without a terminal: the file from the environment and flags, mode 0600, no secret printed; a second init refuses without --force")
        func nonInteractive() async throws {
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let secret = "app-secret-from-the-environment-0001"
            let environment = ["META_APP_SECRET": secret, "WHATSAPP_ACCESS_TOKEN": "EAAsystem-user-token-from-env-0002"]
            let first = try await MetaDoctorBinary.run(["init", "--app-id", "1234567890", "--no-check"], environment: environment, directory: directory)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout == """
                Wrote .env (mode 0600) for WhatsApp: 3 of 7 values set.
                Still empty: WHATSAPP_BUSINESS_ACCOUNT_ID, WHATSAPP_PHONE_NUMBER_ID, META_VERIFY_TOKEN, WEBHOOK_BASE_URL. Each has a comment in .env saying where to find it.
                Run `meta-doctor check` when it is filled in.

                """)
            let path = directory.appendingPathComponent(".env").path
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
            let written = try String(contentsOfFile: path, encoding: .utf8)
            #expect(written.contains("\nMETA_APP_SECRET=\(secret)\n") && written.contains("\nMETA_APP_ID=1234567890\n"))
            for text in [first.stdout, first.stderr] {
                #expect(!text.contains(secret) && !text.contains("EAAsystem"))
            }

            let again = try await MetaDoctorBinary.run(["init", "--non-interactive", "--no-check"], directory: directory)
            #expect(again.status == 64)
            #expect(again.stderr.contains("Error: .env already exists; meta-doctor init never overwrites it without --force."))
            #expect(try String(contentsOfFile: path, encoding: .utf8) == written, "untouched")
            let forced = try await MetaDoctorBinary.run(["init", "--force", "--platform", "messenger", "--no-check"], directory: directory)
            #expect(forced.status == 0)
            #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\nMETA_PAGE_ID=\n"))
        }

        @Test(
            "init --non-interactive against a sandbox process: the file it writes passes check (exit 0), then check --env-file accepts it")
        func nonInteractiveAgainstSandbox() async throws {
            try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 starts the commands with signals unblocked")
            let sandbox = try await SandboxProcess.start(scenario: "healthy")
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let result = try await MetaDoctorBinary.run(
                ["init", "--output", "sandbox.env", "--no-color"] + sandbox.flags, environment: sandbox.environment, directory: directory)
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            #expect(result.stdout.hasPrefix("Wrote sandbox.env (mode 0600) for Messenger, WhatsApp, Instagram: 13 of 13 values set.\n"))
            #expect(result.stdout.contains("Exit 0: no check failed."))
            let check = try await MetaDoctorBinary.run(["check", "--env-file", "sandbox.env", "--no-color"] + sandbox.flags, directory: directory)
            #expect(check.status == 0, "\(check.stdout)")
            await sandbox.stop()
        }

        @Test(
            "Discovery fills in the ids from the tokens: init --non-interactive given only the app, the tokens and the webhook passes check")
        func discoveryFillsIDs() async throws {
            try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 starts the commands with signals unblocked")
            let sandbox = try await SandboxProcess.start(scenario: "healthy")
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let ids = [ConfigKey.pageID, .whatsappBusinessAccountID, .whatsappPhoneNumberID, .instagramAccountID].map(\.name)
            let given = sandbox.environment.filter { !ids.contains($0.key) }
            let result = try await MetaDoctorBinary.run(
                ["init", "--non-interactive", "--platform", "messenger,whatsapp,instagram", "--no-color"] + sandbox.flags, environment: given,
                directory: directory)
            await sandbox.stop()
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            #expect(result.stdout.hasPrefix("Wrote .env (mode 0600) for Messenger, WhatsApp, Instagram: 13 of 13 values set.\n"))
            let written = try DotEnv.parse(try String(contentsOfFile: directory.appendingPathComponent(".env").path, encoding: .utf8), file: ".env")
            #expect(written.values["META_PAGE_ID"] == "1202000000000001")
            #expect(written.values["INSTAGRAM_ACCOUNT_ID"] == "17841400000000001")
            #expect(written.values["WHATSAPP_BUSINESS_ACCOUNT_ID"] == sandbox.environment["WHATSAPP_BUSINESS_ACCOUNT_ID"])
            #expect(written.values["WHATSAPP_PHONE_NUMBER_ID"] == sandbox.environment["WHATSAPP_PHONE_NUMBER_ID"])
        }

        @Test(
            "On a terminal: init asks, hides every secret typed, offers the ids discovery found, writes the file and ends with a check that passes against a sandbox process",
            .enabled(if: PseudoTerminal.available, "needs util-linux's script for a pseudo-terminal"))
        func interactiveAgainstSandbox() async throws {
            try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 starts the commands with signals unblocked")
            let sandbox = try await SandboxProcess.start(scenario: "healthy")
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let values = sandbox.environment
            // Only the Graph URLs come from the environment; the rest is typed.
            let terminal = try InteractiveTerminal(
                (["init", "--no-color"] + sandbox.flags).joined(separator: " "),
                environment: [ConfigKey.graphURL.name: values["META_GRAPH_URL"]!, ConfigKey.instagramGraphURL.name: values["INSTAGRAM_GRAPH_URL"]!],
                directory: directory)
            let answers: [(prompt: String, answer: String)] = [
                ("Platforms to set up (messenger, whatsapp, instagram) [all]: ", ""),
                ("Instagram API: page (a Page token) or instagram-login (an IGAA token) [page]: ", ""),
                ("META_APP_ID, the app's App ID [Enter: leave empty]: ", values["META_APP_ID"]!),
                ("META_APP_SECRET, the App Secret (hidden) [Enter: leave empty]: ", values["META_APP_SECRET"]!),
                ("META_PAGE_ACCESS_TOKEN, the Page access token (hidden) [Enter: leave empty]: ", values["META_PAGE_ACCESS_TOKEN"]!),
                ("WHATSAPP_ACCESS_TOKEN, the system user's WhatsApp token (hidden) [Enter: leave empty]: ", values["WHATSAPP_ACCESS_TOKEN"]!),
                // Discovery read the ids from the tokens typed: Enter takes each.
                ("META_PAGE_ID, the Facebook Page's id [1202000000000001, found from the token]: ", ""),
                ("WHATSAPP_BUSINESS_ACCOUNT_ID, the WhatsApp Business Account id [\(values["WHATSAPP_BUSINESS_ACCOUNT_ID"]!), found from the token]: ", ""),
                ("WHATSAPP_PHONE_NUMBER_ID, the phone number id (not the number) [\(values["WHATSAPP_PHONE_NUMBER_ID"]!), found from the token]: ", ""),
                ("INSTAGRAM_ACCOUNT_ID, the Instagram account id [17841400000000001, found from the token]: ", ""),
                ("META_VERIFY_TOKEN, the verify token your webhook expects (hidden) [Enter: leave empty]: ", values["META_VERIFY_TOKEN"]!),
                ("WEBHOOK_BASE_URL, your webhooks' public https origin [Enter: leave empty]: ", values["WEBHOOK_BASE_URL"]!),
            ]
            var offset = 0
            for (prompt, answer) in answers {
                offset = try await terminal.waitFor(prompt, after: offset)
                terminal.type(answer)
            }
            let (status, screen) = await terminal.finish()
            await sandbox.stop()
            #expect(status == 0, "\(screen)")
            #expect(screen.contains("Wrote .env (mode 0600) for Messenger, WhatsApp, Instagram: 13 of 13 values set."))
            #expect(screen.contains("Exit 0: no check failed."))
            for key in ConfigKey.allCases where key.isSecret {
                guard let secret = values[key.name] else { continue }
                #expect(!screen.contains(secret), "\(key.name) was shown")
            }
            #expect(screen.contains(values["META_APP_ID"]!), "what is not secret is echoed as typed")
            let path = directory.appendingPathComponent(".env").path
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
            let written = try DotEnv.parse(try String(contentsOfFile: path, encoding: .utf8), file: ".env").values
            #expect(written == values.merging(["INSTAGRAM_API": "page"]) { old, _ in old })
        }

        @Test(
            "Ctrl-C at a hidden question ends init with 130, echo back on and no file written",
            .enabled(if: PseudoTerminal.available, "needs util-linux's script for a pseudo-terminal"))
        func interruptedAtASecret() async throws {
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            // The shell goes on after init on the same terminal and shows its mode.
            let terminal = try InteractiveTerminal(
                "init --platform messenger", environment: [:], directory: directory,
                then: "echo \"status=$?\"; stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\?echo'")
            var offset = try await terminal.waitFor("META_APP_ID, the app's App ID [Enter: leave empty]: ", after: 0)
            terminal.type("1234567890")
            offset = try await terminal.waitFor("META_APP_SECRET, the App Secret (hidden) [Enter: leave empty]: ", after: offset)
            terminal.type("half-typed-secret\u{03}")
            let (_, screen) = await terminal.finish()
            let lines = PseudoTerminal.screenLines(screen).map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(lines.contains("status=130"), "\(screen)")
            #expect(lines.contains("echo") && !lines.contains("-echo"), "echo is on again: \(screen)")
            #expect(!screen.contains("half-typed-secret"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [])
        }
    }
}
