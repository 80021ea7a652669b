import DoctorKit
import DoctorTestSupport
import Foundation
import Reports
import Testing

func report(statuses: [(CheckID, CheckStatus)], strict: Bool = false, interrupted: Bool = false, inputChecks: Set<CheckID> = ["config"]) -> Report {
    let checks = statuses.map { id, status in
        CheckReport(
            id: id, title: "Title of \(id)", platform: nil, status: status, skipReason: status == .skip ? .blocked : nil,
            message: "message", durationMs: 1, prerequisites: [], blockedBy: [], evidence: [:],
            fix: .init(step: "step", title: "Step", url: "https://example.com#step", action: status == .pass ? nil : "do it"))
    }
    let code = ExitStatus.code(for: checks, strict: strict, inputChecks: inputChecks, interrupted: interrupted)
    return Report(
        tool: .init(name: "meta-doctor", version: "test"), startedAt: "2026-11-25T00:00:00Z", durationMs: 5, exitCode: code,
        interrupted: interrupted, platforms: [], checks: checks)
}

@Suite("Exit status and report model")
struct ReportTests {
    @Test(
        "The exit status follows the worst outcome",
        arguments: [
            ([CheckStatus.pass, .pass], false, false, 0),
            ([.pass, .warn], false, false, 0),
            ([.pass, .warn], true, false, 1),
            ([.pass, .fail, .error], false, false, 1),
            ([.pass, .error, .skip], false, false, 3),
            ([.warn, .error], true, false, 1),
            ([.pass, .pass], false, true, 130),
        ])
    func exitStatus(statuses: [CheckStatus], strict: Bool, interrupted: Bool, expected: Int) {
        let ids = statuses.indices.map { CheckID("check\($0)") }
        #expect(report(statuses: Array(zip(ids, statuses)), strict: strict, interrupted: interrupted).exitCode == expected)
    }

    @Test("A failed input check means exit 2, whatever else failed")
    func inputCheckFailure() {
        #expect(report(statuses: [("config", .fail), ("other", .fail)]).exitCode == 2)
        #expect(report(statuses: [("config", .warn), ("other", .error)]).exitCode == 3)
    }

    @Test("The JSON report round-trips without loss and validates against the schema")
    func jsonRoundTrip() throws {
        var original = report(statuses: [("config", .pass), ("app.secret", .fail), ("app.other", .skip)])
        original.checks[1].evidence = ["code": 1, "scopes": ["a", "b"], "nested": ["ok": true], "none": .null]
        original.checks[2].blockedBy = ["app.secret"]
        let json = JSONRenderer.render(original, options: RenderOptions())
        let decoded = try JSONRenderer.decode(Data(json.utf8))
        #expect(decoded == original)
        #expect(try SchemaValidator.reportSchema().validate(Data(json.utf8)) == [])
        #expect(json.contains("\"platform\" : null"), "cross-platform checks carry an explicit null platform")
    }

    @Test("The validator rejects a report that breaks the contract")
    func validatorRejects() throws {
        let json = JSONRenderer.render(report(statuses: [("config", .pass)]), options: RenderOptions())
        let broken = json.replacingOccurrences(of: "\"status\" : \"pass\"", with: "\"status\" : \"green\"")
        #expect(try SchemaValidator.reportSchema().validate(Data(broken.utf8)).contains { $0.contains("status") })
    }

    @Test("Redaction removes secrets from every string of a report")
    func redaction() {
        var original = report(statuses: [("config", .fail)])
        original.checks[0].message = "token EAAsecret123 rejected"
        original.checks[0].evidence = ["echo": ["EAAsecret123"]]
        original.checks[0].fix.action = "replace EAAsecret123"
        let redacted = Redactor(secrets: ["EAAsecret123"]).redact(original)
        let json = JSONRenderer.render(redacted, options: RenderOptions())
        #expect(!json.contains("EAAsecret123"))
        #expect(json.contains(Redactor.mask))
    }

    @Test("A report read from a file is untrusted in every field: control characters in its id, platform, tool and date are neutralised")
    func redactionOfEveryField() {
        var original = report(statuses: [("config", .fail)])
        original.checks[0].id = "config\u{1B}[2J"
        original.checks[0].platform = "whatsapp\u{1B}]0;title\u{07}"
        original.tool.name = "meta-doctor\u{1B}[31m"
        original.tool.version = "0.2.0\u{1B}[0m"
        original.startedAt = "2026-12-01T10:00:00Z\u{1B}[1A"
        let redacted = Redactor.textOnly.redact(original)
        let json = JSONRenderer.render(redacted, options: RenderOptions())
        #expect(!json.contains("\u{1B}") && !json.contains("\\u001b") && !json.contains("\\u001B"), "\(json)")
        #expect(redacted.checks[0].id.rawValue == "config␛[2J")
        #expect(redacted.tool.name == "meta-doctor␛[31m")
    }

    @Test("The human report puts root causes first, without colour unless asked")
    func humanReport() {
        var subject = report(statuses: [("config", .pass), ("app.secret", .fail), ("app.next", .skip)])
        subject.checks[2].blockedBy = ["app.secret"]
        let plain = HumanRenderer.render(subject, options: RenderOptions(color: false))
        #expect(plain.contains("Fix first"))
        #expect(plain.contains("Blocks: app.next"))
        #expect(!plain.contains("\u{1B}["), "no escape codes without colour")
        #expect(HumanRenderer.render(subject, options: RenderOptions(color: true)).contains("\u{1B}["))
    }
}
