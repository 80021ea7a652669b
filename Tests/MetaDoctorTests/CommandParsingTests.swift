import ArgumentParser
import DoctorKit
import DoctorTestSupport
import Foundation
import MetaChecks
import MetaConfig
@testable import MetaDoctorCLI
import MetaSandbox
import Testing

/// The commands in process: parsing and validation, `explain`, `list` and help. The few runs of the
/// binary that exit codes, signals and stream separation need are in CommandLineTests.
@Suite("Commands in process")
struct CommandParsingTests {
    /// The message and exit status ArgumentParser gives `arguments`' parse error, or nil when they parse.
    static func parseFailure(_ arguments: [String]) -> (message: String, status: Int32)? {
        do {
            _ = try MetaDoctorCommand.parseAsRoot(arguments)
            return nil
        } catch {
            return (MetaDoctorCommand.message(for: error), MetaDoctorCommand.exitCode(for: error).rawValue)
        }
    }

    @Test(
        "Usage errors found while parsing are exit 64 with a clear message",
        arguments: [
            (["check", "--platform", "telegram"], "Unknown platform 'telegram'"),
            (["check", "--format", "xml"], "Unknown format 'xml'"),
            (["check", "--format", "json", "--format", "human"], "At most one --format may go to standard output"),
            (["check", "--connect-to", "a:b"], "is not HOST:PORT:HOST2:PORT2"),
            (["check", "--ca-file", "/etc/hostname"], "holds no PEM certificate"),
            (["check", "--timeout", "0"], "--timeout must be between 0.5 and 3600 seconds"),
            (["check", "--max-concurrency", "0"], "--max-concurrency must be at least 1"),
            (["check", "--ngrok-api", "ftp://x"], "is not an http(s) URL"),
            (["demo", "--scenario", "nosuch"], "Unknown scenario 'nosuch'"),
            (["discover", "--format", "xml"], "--format for discover is human or json"),
            (["discover", "--sandbox-scenario", "nosuch"], "Unknown scenario 'nosuch'"),
            (["discover", "--timeout", "0"], "--timeout must be between 0.5 and 3600 seconds"),
            (["list", "--format", "xml"], "--format for list is human or json"),
            (["sandbox", "--fleet-share", "bad-app-secret=10"], "--fleet-share needs --fleet"),
            (["sandbox", "--fleet", "10", "--fleet-share", "expired=10"], "expected WAY=PERCENT, WAY one of waba-not-subscribed, page-token-expired"),
            (["sandbox", "--fleet", "10", "--fleet-share", "bad-app-secret=120"], "the percentage must be a number from 0 to 100"),
            (["sandbox", "--fleet", "10", "--fleet-share", "bad-app-secret=60", "--fleet-share", "page-token-expired=50"],
             "the percentages add up to more than 100"),
            (["report", "diff", "a.json", "b.json", "--format", "xml"], "xml"),
        ])
    func usageErrors(arguments: [String], message: String) throws {
        let failure = try #require(Self.parseFailure(arguments), "\(arguments) parsed")
        #expect(failure.status == 64)
        #expect(failure.message.contains(message), "\(failure.message)")
    }

    @Test("sandbox --fleet-share chooses the share of each broken setup; the ways it does not name are not broken")
    func fleetShares() throws {
        let command = try #require(
            try MetaDoctorCommand.parseAsRoot(["sandbox", "--fleet", "40", "--fleet-share", "waba-not-subscribed=25", "--fleet-share", "bad-app-secret=5"])
                as? MetaDoctorCommand.Sandbox)
        #expect(try command.fleetShares() == [.wabaNotSubscribed: 0.25, .badAppSecret: 0.05])
        let defaults = try #require(try MetaDoctorCommand.parseAsRoot(["sandbox", "--fleet", "40"]) as? MetaDoctorCommand.Sandbox)
        #expect(try defaults.fleetShares() == nil)
    }

    @Test(
        "Selections that would run nothing are usage errors",
        arguments: [
            (["nosuch.check"], [String](), "No check matches 'nosuch.check'"),
            (["whatsapp.health"], ["app.*"], "--skip app.* removes app.secret, which --only whatsapp.health needs"),
            ([String](), ["config"], "--skip config removes config"),
        ])
    func selections(only: [String], skip: [String], message: String) {
        #expect {
            try MetaCatalogPatterns.validate(Selection(only: only, skip: skip), platforms: nil)
        } throws: { error in
            MetaDoctorCommand.message(for: error).contains(message) && MetaDoctorCommand.exitCode(for: error).rawValue == 64
        }
    }

    @Test("Options parse into the run request: selection, platforms, strict, timeout")
    func parsesIntoRequest() throws {
        let parsed = try MetaDoctorCommand.parseAsRoot([
            "check", "--platform", "whatsapp,messenger", "--only", "webhook.*", "--skip", "tunnel.ngrok", "--strict", "--timeout", "12",
        ])
        let check = try #require(parsed as? MetaDoctorCommand.Check)
        let request = check.options.request(for: MetaConfiguration(values: [:]), startedAt: .now)
        #expect(request.platforms == [.whatsapp, .messenger])
        #expect(request.selection == Selection(only: ["webhook.*"], skip: ["tunnel.ngrok"]))
        #expect(request.strict)
        #expect(request.runTimeout == .seconds(12))
    }

    @Test("explain describes every check: what it checks, its calls, the fix and the guide's numbered step", arguments: MetaCatalog.descriptions.map(\.id.rawValue))
    func explain(id: String) throws {
        let command = try #require(try MetaDoctorCommand.parseAsRoot(["explain", id]) as? MetaDoctorCommand.Explain)
        let text = try command.output()
        for label in ["Runs after:", "Calls:", "Fix:", "Guide:"] { #expect(text.contains(label)) }
        let step = try #require(MetaCatalog.descriptions.first { $0.id.rawValue == id }?.guideStep)
        #expect(text.contains("Guide:         \(step.heading) — "))
    }

    @Test("explain of an unknown id is a usage error that suggests close ids")
    func explainUnknown() throws {
        let command = try #require(try MetaDoctorCommand.parseAsRoot(["explain", "whatsapp.tokens"]) as? MetaDoctorCommand.Explain)
        #expect {
            try command.output()
        } throws: { error in
            MetaDoctorCommand.exitCode(for: error).rawValue == 64 && MetaDoctorCommand.message(for: error).contains("whatsapp.token")
        }
    }

    @Test("list --format json lists every check with its prerequisites and step")
    func listJSON() throws {
        let command = try #require(try MetaDoctorCommand.parseAsRoot(["list", "--format", "json"]) as? MetaDoctorCommand.List)
        struct Listing: Decodable {
            struct Entry: Decodable {
                let id: String
                let prerequisites: [String]
                let step: String
            }
            let checks: [Entry]
        }
        let text = command.output()
        let listing = try JSONDecoder().decode(Listing.self, from: Data(text.utf8))
        #expect(listing.checks.map(\.id) == MetaCatalog.descriptions.map(\.id.rawValue))
        #expect(listing.checks.first { $0.id == "whatsapp.health" }?.prerequisites == ["whatsapp.phone-number"])
        #expect(text.contains("\"platform\" : null"), "cross-platform checks list a null platform")
    }

    @Test("list names each check's guide step by its number", arguments: [("whatsapp.token", "step 8, #whatsapp-system-user-token"), ("config", "step 19, #configuration")])
    func listHuman(id: String, step: String) throws {
        let command = try #require(try MetaDoctorCommand.parseAsRoot(["list"]) as? MetaDoctorCommand.List)
        let line = try #require(command.output().split(separator: "\n").first { $0.hasPrefix(id + " ") })
        #expect(line.hasSuffix("[\(step)]"))
    }

    @Test("check --help lists every variable it reads, marks the secrets, and gives the exit codes")
    func checkHelpNamesVariables() {
        let help = MetaDoctorCommand.helpMessage(for: MetaDoctorCommand.Check.self, columns: 100)
        for key in ConfigKey.allCases {
            let line = help.split(separator: "\n").first { $0.hasPrefix("  \(key.name) ") }
            #expect(line != nil, "\(key.name) is not listed")
            #expect(line?.contains("  secret: ") == key.isSecret, "\(key.name): \(line ?? "")")
        }
        for code in ["0 nothing failed", "2 the configuration is", "3 nothing failed but", "64 usage error", "130 interrupted"] {
            #expect(help.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: " ").contains(code), "\(code)")
        }
    }

    @Test("Help matches its goldens at 80 columns", arguments: ["root", "check", "init", "demo", "discover", "fleet", "report-diff"])
    func helpGoldens(command: String) throws {
        let type: any ParsableCommand.Type =
            switch command {
            case "root": MetaDoctorCommand.self
            case "check": MetaDoctorCommand.Check.self
            case "demo": MetaDoctorCommand.Demo.self
            case "discover": MetaDoctorCommand.Discover.self
            case "fleet": MetaDoctorCommand.Fleet.self
            case "init": MetaDoctorCommand.Init.self
            default: MetaDoctorCommand.ReportCommand.Diff.self
            }
        let help = MetaDoctorCommand.helpMessage(for: type, columns: 80) + "\n"
        let name = "help-\(command).txt"
        #expect(help == (try Golden.expected(help, named: name)), "Tests/Goldens/\(name): DOCTOR_RECORD_GOLDENS=1 swift test --filter CommandParsingTests")
    }

    @Test("Completions offer scenario names, check ids, platforms, formats and files", arguments: [CompletionShell.bash, .zsh, .fish])
    func completions(shell: CompletionShell) {
        let script = MetaDoctorCommand.completionScript(for: shell)
        for word in ["onboarding", "graph-hang", "whatsapp.token", "webhook.instagram.signature", "messenger", "markdown", "junit"] {
            #expect(script.contains(word), "\(shell): \(word)")
        }
        #expect(script.contains("env-file") && script.contains("ca-file"))
    }

    @Test("The first run with nothing configured says so in a short paragraph that suggests demo")
    func firstRun() {
        let text = MetaDoctorCommand.Check.firstRunText
        #expect(text.contains("meta-doctor demo") && text.contains("meta-doctor init") && text.contains("no .env file"))
        #expect(text.split(separator: "\n").count <= 5)
    }
}
