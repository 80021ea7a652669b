import DoctorKit
import Foundation
import MetaChecks
import MetaConfig
import Testing

/// A loader reading `dotenv` as the file at `path`.
func loader(dotenv: String? = nil, path: String = "test.env", environment: [String: String] = [:], flags: [ConfigKey: (name: String, value: String)] = [:]) -> ConfigurationLoader {
    ConfigurationLoader(
        envFile: dotenv == nil ? nil : path, environment: environment, flags: flags,
        readFile: { requested in
            guard requested == path, let dotenv else { throw CocoaError(.fileReadNoSuchFile) }
            return dotenv
        })
}

@Suite("The .env parser reads files as dotenv does")
struct DotEnvTests {
    @Test(
        "Values are parsed as dotenv parses them",
        arguments: [
            ("A=1", "1"), ("A = spaced ", "spaced"), ("export A=exported", "exported"), ("A='single # not a comment'", "single # not a comment"),
            ("A=\"double\\nline\"", "double\nline"), ("A=unquoted # comment", "unquoted"), ("A=\"quoted\" # comment", "quoted"),
            ("A=", ""), ("A=a=b=c", "a=b=c"), ("A=\"say \\\"hi\\\"\"", "say \"hi\""), ("A=crlf\r", "crlf"), ("A=hash#inside", "hash#inside"),
        ])
    func values(line: String, expected: String) throws {
        #expect(try DotEnv.parse(line, file: ".env").values["A"] == expected)
    }

    @Test("Comments, blank lines, CRLF and multi-line double quotes")
    func wholeFile() throws {
        let text = "# comment\r\n\r\nMETA_APP_ID=123\r\nKEY=\"first\nsecond\"\r\n  # indented comment\nLAST=x"
        let parsed = try DotEnv.parse(text, file: ".env")
        #expect(parsed.values == ["META_APP_ID": "123", "KEY": "first\nsecond", "LAST": "x"])
        #expect(parsed.entries.map(\.line) == [3, 4, 7])
    }

    @Test(
        "A malformed line is an error naming the file and the line",
        arguments: [
            ("OK=1\nNO_EQUALS_HERE", 2, "no '='"), ("OK=1\n\n1BAD=x", 3, "is not a variable name"),
            ("A=\"never closed", 1, "never closed"), ("A='open", 1, "never closed"), ("A=\"x\" trailing", 1, "after the closing quote"),
            ("=value", 1, "the name before '=' is empty"), ("META_APP_SECRET s3cr3t-in-name=x", 1, "is not a variable name"),
        ])
    func malformed(text: String, line: Int, reason: String) {
        #expect {
            try DotEnv.parse(text, file: "app.env")
        } throws: { error in
            guard let error = error as? DotEnvError else { return false }
            return error.file == "app.env" && error.line == line && error.description.contains(reason)
                && error.description.hasPrefix("app.env:\(line):")
        }
    }

    @Test("The error never quotes the line, value or name", arguments: ["META_APP_SECRET=\"s3cr3t-value", "META_APP_SECRET s3cr3t-value=x"])
    func errorHidesValue(line: String) {
        #expect {
            try DotEnv.parse(line, file: ".env")
        } throws: { error in !String(describing: error).contains("s3cr3t") }
    }
}

@Suite("Configuration sources, aliases and platforms")
struct ConfigurationTests {
    @Test("Flags beat the environment, which beats the .env file")
    func precedence() {
        let configuration = loader(
            dotenv: "META_APP_ID=1\nMETA_PAGE_ID=10\nMETA_GRAPH_VERSION=v20.0", environment: ["META_PAGE_ID": "20", "META_GRAPH_VERSION": "v21.0"],
            flags: [.graphVersion: ("--graph-version", "v22.0")]
        ).load()
        #expect(configuration.appID == "1")
        #expect(configuration.values[.appID]?.source == .dotenv(file: "test.env", line: 1))
        #expect(configuration.pageID == "20")
        #expect(configuration.values[.pageID]?.source == .environment)
        #expect(configuration.graphVersion == "v22.0")
        #expect(configuration.values[.graphVersion]?.provenance == "META_GRAPH_VERSION (--graph-version)")
    }

    @Test("Every alias supplies its canonical setting", arguments: ConfigAlias.all.map(\.name))
    func alias(name: String) throws {
        let alias = try #require(ConfigAlias.all.first { $0.name == name })
        let configuration = loader(environment: [name: "value-of-\(name)"]).load()
        #expect(configuration.values[alias.key]?.value == "value-of-\(name)")
        #expect(configuration.values[alias.key]?.name == name, "the report names the alias that supplied it")
    }

    @Test("The canonical name wins over an alias, and the disagreement is reported without values")
    func canonicalWins() {
        let configuration = loader(dotenv: "META_APP_SECRET=canonical-secret", environment: ["APP_SECRET": "alias-secret"]).load()
        #expect(configuration.appSecret?.exposedValue == "canonical-secret")
        #expect(configuration.aliasConflicts.count == 1)
        let conflict = configuration.aliasConflicts.joined()
        #expect(conflict.contains("APP_SECRET") && conflict.contains("META_APP_SECRET"))
        #expect(!conflict.contains("canonical-secret") && !conflict.contains("alias-secret"))
    }

    @Test("Between two aliases, the first in the table wins")
    func aliasPriority() {
        let configuration = loader(environment: ["MESSENGER_APP_SECRET": "second", "APP_SECRET": "first"]).load()
        #expect(configuration.appSecret?.exposedValue == "first")
        #expect(configuration.aliasConflicts.count == 1)
    }

    @Test("An unreadable --env-file and a malformed line are load problems naming the file")
    func loadProblems() {
        let missing = ConfigurationLoader(envFile: "/nonexistent/meta.env", environment: [:]).load()
        #expect(missing.loadProblems.first?.contains("/nonexistent/meta.env") == true)
        let malformed = loader(dotenv: "META_APP_ID=1\nbroken line").load()
        #expect(malformed.loadProblems == ["Malformed line in test.env:2: expected NAME=value, found no '='."])
    }

    @Test("Webhook URLs derive from WEBHOOK_BASE_URL unless a platform overrides")
    func webhookURLs() {
        let configuration = loader(environment: [
            "WEBHOOK_BASE_URL": "https://abc.ngrok-free.app/", "WHATSAPP_WEBHOOK_URL": "https://wa.example.com/hook",
        ]).load()
        #expect(configuration.webhookURL(for: .messenger) == "https://abc.ngrok-free.app/webhook/messenger")
        #expect(configuration.webhookURL(for: .instagram) == "https://abc.ngrok-free.app/webhook/instagram")
        #expect(configuration.webhookURL(for: .whatsapp) == "https://wa.example.com/hook")
    }

    @Test("Platforms are enabled by their credentials, and --platform restricts")
    func platforms() {
        let configuration = loader(environment: [
            "META_PAGE_ID": "1", "META_PAGE_ACCESS_TOKEN": "EAApage", "INSTAGRAM_ACCOUNT_ID": "178",
            "WHATSAPP_ACCESS_TOKEN": "EAAwa", "WHATSAPP_BUSINESS_ACCOUNT_ID": "2",
        ]).load()
        let states = Dictionary(uniqueKeysWithValues: configuration.platformStates().map { ($0.platform, $0) })
        #expect(states[.messenger]?.enabled == true)
        #expect(states[.instagram]?.enabled == true, "Instagram uses the Page token by default")
        #expect(states[.whatsapp]?.enabled == false)
        #expect(states[.whatsapp]?.reason.contains("WHATSAPP_PHONE_NUMBER_ID") == true)
        let restricted = configuration.platformStates(restrictedTo: [.messenger])
        #expect(restricted.filter(\.enabled).map(\.platform) == [.messenger])
    }
}

@Suite("The config check")
struct ConfigCheckTests {
    static let complete = """
        META_APP_ID=1234567890
        META_APP_SECRET=0123456789abcdef0123456789abcdef
        META_VERIFY_TOKEN=k9Jq2-random-verify
        META_PAGE_ID=111
        META_PAGE_ACCESS_TOKEN=EAApagetoken0000000000000000
        WEBHOOK_BASE_URL=https://bot.example.com
        """

    static func run(_ dotenv: String, environment: [String: String] = [:]) async throws -> ProbeResult {
        let configuration = loader(dotenv: dotenv, environment: environment).load()
        return try await ConfigCheck().run(TestEnvironment.offline(configuration), CheckContext(facts: Facts(), timeLimit: .seconds(5)))
    }

    @Test("config says which platforms this run checks, and why not the others")
    func platformsSentence() {
        let configuration = loader(dotenv: Self.complete, environment: [:]).load()
        #expect(
            ConfigCheck.platformsSentence(configuration, checked: [.messenger, .instagram])
                == "this run checks Messenger, Instagram; not WhatsApp (not configured).")
        #expect(
            ConfigCheck.platformsSentence(configuration, checked: [.instagram])
                == "this run checks Instagram; not Messenger (not selected by --platform), WhatsApp (not configured).")
    }

    @Test("A complete configuration passes")
    func passes() async throws {
        let result = try await Self.run(Self.complete)
        #expect(result.verdict == .pass)
    }

    @Test(
        "What makes the run meaningless fails",
        arguments: [
            ("META_APP_ID=", "META_APP_ID (test.env:7) is empty: fill it in"),
            ("META_APP_SECRET=", "META_APP_SECRET (test.env:7) is empty: fill it in"),
            ("META_APP_ID=my-app", "is not an app id"),
            ("WEBHOOK_BASE_URL=not a url", "not a URL with a host"),
            ("broken line", "Malformed line in test.env"),
        ])
    func fails(change: String, expected: String) async throws {
        let result = try await Self.run(Self.complete + "\n" + change)
        #expect(result.verdict == .fail)
        #expect(result.message.contains(expected), "\(result.message)")
    }

    @Test(
        "What is risky warns",
        arguments: [
            ("META_PAGE_ID=\" 111 \"", "stray whitespace or quotes"),
            ("META_VERIFY_TOKEN=your_verify_token", "placeholder"),
            ("META_GRAPH_URL=http://graph.internal.example", "plain http"),
        ])
    func warns(change: String, expected: String) async throws {
        let result = try await Self.run(Self.complete + "\n" + change)
        #expect(result.verdict == .warn)
        #expect(result.message.contains(expected), "\(result.message)")
    }

    @Test(
        "A WhatsApp id of 13 digits or fewer warns that it looks like a phone number (MB-G34); 14 digits, and app and Page ids of 10 and 3, do not",
        arguments: [
            (
                "WHATSAPP_PHONE_NUMBER_ID=15550104242",
                "WHATSAPP_PHONE_NUMBER_ID (test.env:7) has 11 digits: phone number ids have 14 or more; it looks like the display number written as digits, not the phone number id (`meta-doctor discover` lists the ids the WhatsApp token reaches)."
            ),
            (
                "WHATSAPP_BUSINESS_ACCOUNT_ID=4915112345678",
                "WHATSAPP_BUSINESS_ACCOUNT_ID (test.env:7) has 13 digits: WABA ids have 14 or more; it looks like a phone number written as digits, not the WhatsApp Business Account id (`meta-doctor discover` lists the ids the WhatsApp token reaches)."
            ),
            ("WHATSAPP_PHONE_NUMBER_ID=10634295353625", nil),
            ("WHATSAPP_BUSINESS_ACCOUNT_ID=114503234599312", nil),
        ] as [(String, String?)])
    func shortWhatsAppIDs(change: String, expected: String?) async throws {
        let result = try await Self.run(Self.complete + "\n" + change)
        if let expected {
            #expect(result.verdict == .warn)
            #expect(result.message == expected)
        } else {
            #expect(result.verdict == .pass, "\(result.message)")
        }
    }

    @Test("A disagreeing alias warns")
    func aliasWarns() async throws {
        let result = try await Self.run(Self.complete, environment: ["APP_ID": "999"])
        #expect(result.verdict == .warn)
        #expect(result.message.contains("APP_ID (environment) disagrees with META_APP_ID"))
    }

    @Test("Plain http to loopback is fine for the Graph URL (the sandbox)")
    func loopbackGraph() async throws {
        let result = try await Self.run(Self.complete + "\nMETA_GRAPH_URL=http://127.0.0.1:8080")
        #expect(result.verdict == .pass)
    }

    @Test("Evidence names the source of each value, never a secret")
    func evidenceNamesSources() async throws {
        let result = try await Self.run(Self.complete)
        let text = result.evidence.values.map(\.inlineText).joined()
        #expect(text.contains("META_APP_SECRET (test.env:2)"))
        #expect(!text.contains("0123456789abcdef0123456789abcdef"))
        #expect(!text.contains("EAApagetoken"))
    }
}
