import DoctorKit
import DoctorTestSupport
import Foundation
import Reports
import Testing

/// Two runs of one setup, each check changing in a way a reviewer must read differently.
func diffFixture() -> (old: Report, new: Report) {
    var old = report(statuses: [
        ("config", .pass), ("app.secret", .pass), ("whatsapp.token", .fail), ("whatsapp.health", .fail),
        ("messenger.page-token", .fail), ("graph.version", .pass), ("instagram.token", .pass),
    ])
    old.checks[4].message = "The Page token lacks pages_messaging."
    old.startedAt = "2026-11-30T09:00:00Z"
    old.tool.version = "0.1.0"
    var new = report(statuses: [
        ("config", .pass), ("app.secret", .fail), ("whatsapp.token", .pass), ("whatsapp.health", .skip),
        ("messenger.page-token", .fail), ("graph.version", .error), ("instagram.token", .warn),
    ])
    new.checks[3].blockedBy = ["app.secret"]
    new.checks[4].message = "The Page token has expired."
    new.checks[5].message = "Could not verify: the Graph API rate-limited the app (code 4)."
    new.startedAt = "2026-12-01T09:00:00Z"
    new.tool.version = "0.2.0"
    return (old, new)
}

@Suite("report diff")
struct ReportDiffTests {
    @Test("Each check lands in the section its change means")
    func sections() {
        let (old, new) = diffFixture()
        let diff = ReportDiff(old: old, new: new)
        #expect(diff.broke.map(\.id) == ["app.secret"])
        #expect(diff.fixed.map(\.id) == ["whatsapp.token"])
        #expect(diff.notChecked.map(\.id) == ["whatsapp.health"], "a failure now blocked is not checked, never fixed")
        #expect(diff.stillFailing.map(\.id) == ["messenger.page-token"])
        #expect(diff.stillFailing.first?.previousMessage == "The Page token lacks pages_messaging.")
        #expect(diff.couldNotVerify.map(\.id) == ["graph.version"])
        #expect(diff.otherChanges.map(\.id) == ["instagram.token"])
        #expect(diff.exitCode == 1)
    }

    @Test("pass -> error is 'could not verify' and does not exit 1 on its own; a check dropped by --only is not checked")
    func couldNotVerifyAlone() {
        let old = report(statuses: [("config", .pass), ("app.secret", .pass), ("app.subscriptions", .fail)])
        var new = report(statuses: [("config", .pass), ("app.secret", .error), ("app.subscriptions", .skip)])
        new.checks[2].skipReason = .notSelected
        let diff = ReportDiff(old: old, new: new)
        #expect(diff.couldNotVerify.map(\.id) == ["app.secret"])
        #expect(diff.notChecked.map(\.id) == ["app.subscriptions"])
        #expect(diff.fixed.isEmpty && diff.broke.isEmpty)
        #expect(diff.exitCode == 0)
    }

    @Test("The human, markdown and JSON forms match their goldens", arguments: ["human", "markdown", "json"])
    func goldens(format: String) throws {
        let (old, new) = diffFixture()
        let diff = ReportDiff(old: old, new: new)
        let rendered: String
        let name: String
        switch format {
        case "human": (rendered, name) = (diff.humanText(), "diff.txt")
        case "markdown": (rendered, name) = (diff.markdown(), "diff.md")
        default: (rendered, name) = (diff.json(), "diff.json")
        }
        #expect(rendered == (try Golden.expected(rendered, named: name)), "Tests/Goldens/\(name): DOCTOR_RECORD_GOLDENS=1 swift test --filter ReportDiffTests")
        #expect(rendered.contains("2026-11-30T09:00:00Z") && rendered.contains("meta-doctor 0.2.0"), "the header names both runs")
    }
}

/// A report with more findings than GitHub shows, every status, a note and run settings.
func busyReport() -> Report {
    var statuses: [(CheckID, CheckStatus)] = [("config", .pass), ("app.secret", .pass)]
    statuses += (1...12).map { (CheckID("webhook.check\($0)"), CheckStatus.fail) }
    statuses += (1...11).map { (CheckID("token.check\($0)"), CheckStatus.warn) }
    statuses += [("graph.version", .error), ("whatsapp.health", .skip)]
    var subject = report(statuses: statuses)
    subject.checks[2].message = "The root cause."
    for index in subject.checks.indices where subject.checks[index].status != .pass {
        subject.checks[index].fix.number = 14
        subject.checks[index].fix.title = "14. Serve the webhook over public HTTPS"
    }
    subject.checks[subject.checks.count - 1].blockedBy = ["webhook.check2"]
    subject.settings = RunSettings(
        graphURL: "https://graph.facebook.com", graphVersion: "v25.0", strict: true, only: ["webhook.*"], skip: [], platforms: nil)
    subject.notes = [ReportNote(text: "A remark.", guideTitle: "3. Development mode and live mode", guideURL: "https://example.com#development-and-live-mode")]
    return subject
}

@Suite("Report goldens")
struct ReportGoldenTests {
    @Test("GitHub annotations: fix-first order, ten per kind, the rest in one notice")
    func annotations() throws {
        let text = GitHubRenderer.render(busyReport(), options: RenderOptions())
        #expect(text == (try Golden.expected(text, named: "annotations.github.txt")))
        let lines = text.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("::error ") }.count == 10)
        #expect(lines.filter { $0.hasPrefix("::warning ") }.count == 10)
        #expect(lines.first?.contains("webhook.check2") == true, "the check that blocks another comes first")
        #expect(text.contains("3 more errors") && text.contains("1 more warning: token.check11"))
    }

    @Test("Markdown: run header, fix-first list with the fix text, passes folded into a count")
    func markdown() throws {
        let text = MarkdownRenderer.render(busyReport(), options: RenderOptions())
        #expect(text == (try Golden.expected(text, named: "report.md")))
        #expect(text.contains("Graph API https://graph.facebook.com v25.0 · options: --strict --only 'webhook.*'"))
        #expect(text.contains("   - **Fix:** do it"))
        #expect(text.contains("✅ pass: 2 checks"))
        #expect(!text.contains("| `config` |"), "passes are not table rows")
    }

    @Test("Human: run header, numbered guide steps in the recap, and a recap as the last words before the exit line")
    func humanRecap() throws {
        let text = HumanRenderer.render(busyReport(), options: RenderOptions())
        #expect(text == (try Golden.expected(text, named: "report.txt")))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let recap = try #require(lines.dropLast(2).last)
        #expect(recap.hasPrefix("12 to fix: webhook.check2 (step 14), webhook.check1 (step 14)"))
        #expect(recap.hasSuffix("See Fix first above."))
    }
}

@Suite("JSON key order")
struct JSONKeyOrderTests {
    @Test("Each check starts with id, status and message; the report still round-trips and validates")
    func leadingKeys() throws {
        var subject = awkwardReport()
        subject.checks[0].evidence = ["nested": ["zeta": 1, "alpha": ["x", "y"]], "empty": .array([])]
        let json = JSONRenderer.render(subject, options: RenderOptions())
        let checksStart = try #require(json.range(of: "\"checks\" : [\n"))
        let checksEnd = try #require(json.range(of: "\n  ]", range: checksStart.upperBound..<json.endIndex))
        let checkStarts = ("\n" + json[checksStart.upperBound..<checksEnd.lowerBound]).components(separatedBy: "\n    {\n").dropFirst()
        #expect(checkStarts.count == subject.checks.count)
        for start in checkStarts {
            let keys = start.split(separator: "\n").prefix(3).map { $0.trimmingCharacters(in: .whitespaces).prefix { $0 != ":" } }
            #expect(keys == ["\"id\" ", "\"status\" ", "\"message\" "], "\(start.prefix(120))")
        }
        #expect(try JSONRenderer.decode(Data(json.utf8)) == subject)
        #expect(try SchemaValidator.reportSchema().validate(Data(json.utf8)) == [])
    }
}
