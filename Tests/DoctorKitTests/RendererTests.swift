import DoctorKit
import Foundation
import Reports
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A report with every outcome and text that needs escaping in every format.
func awkwardReport() -> Report {
    let base = report(statuses: [("config", .pass), ("app.secret", .fail), ("app.subscriptions", .skip), ("graph.version", .warn), ("whatsapp.token", .error)])
    var subject = base
    subject.checks[1].message = "Bad <secret> & \"quotes\" | pipes\nnew line, 100% sure: ünïcödé"
    subject.checks[2].blockedBy = ["app.secret"]
    subject.checks[4].platform = "whatsapp"
    subject.platforms = [PlatformStatus(name: "whatsapp", enabled: true, reason: "Credentials present.")]
    return subject
}

@Suite("Report formats")
struct RendererTests {
    @Test("Markdown: a message or fix quoting hostile text opens no HTML tag and makes no link or image")
    func markdownHostileText() {
        var subject = awkwardReport()
        subject.checks[1].message = "Meta said: <img src=x onerror=alert(1)> [click](https://evil.example) ![i](https://evil.example/i.png) & more"
        subject.checks[1].fix.action = "Answer <b>now</b> at [this link](https://evil.example)"
        let text = MarkdownRenderer.render(subject, options: RenderOptions())
        #expect(text.contains("Meta said: &lt;img src=x onerror=alert(1)> \\[click\\](https://evil.example) !\\[i\\](https://evil.example/i.png) & more"), "\(text)")
        #expect(text.contains("**Fix:** Answer &lt;b>now&lt;/b> at \\[this link\\](https://evil.example)"), "\(text)")
        #expect(!text.contains("<img"))
        #expect(!text.contains("[click]("))
    }

    @Test("JUnit parses, with one failure per failed check, one error per errored check, skips with reasons")
    func junitParses() throws {
        let xml = JUnitRenderer.render(awkwardReport(), options: RenderOptions())
        let document = try XMLDocument(data: Data(xml.utf8))
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.compactMap { $0.attribute(forName: "name")?.stringValue } == ["general", "whatsapp"])
        let cases = suites.flatMap { $0.elements(forName: "testcase") }
        #expect(cases.count == 5)
        #expect(cases.flatMap { $0.elements(forName: "failure") }.count == 1)
        #expect(cases.flatMap { $0.elements(forName: "error") }.count == 1)
        let failure = try #require(cases.first { $0.attribute(forName: "classname")?.stringValue == "app.secret" })
        #expect(failure.attribute(forName: "name")?.stringValue == "Title of app.secret")
        let message = failure.elements(forName: "failure").first?.attribute(forName: "message")?.stringValue
        #expect(message == "Bad <secret> & \"quotes\" | pipes\nnew line, 100% sure: ünïcödé", "every value XML-escaped and restored")
        #expect(failure.elements(forName: "failure").first?.stringValue?.contains("Fix: do it") == true)
        let skipped = cases.flatMap { $0.elements(forName: "skipped") }
        #expect(skipped.first?.attribute(forName: "message")?.stringValue?.hasPrefix("blocked:") == true)
        #expect(!xml.contains("hostname") && !xml.contains("timestamp"))
    }

    @Test("Markdown has the summary, the fix-first list, collapsible details and a coloured mermaid graph")
    func markdown() {
        let text = MarkdownRenderer.render(awkwardReport(), options: RenderOptions())
        #expect(text.contains("| pass | warn | fail | error | skip |"))
        #expect(text.contains("## Fix first"))
        #expect(text.contains("<details>"))
        #expect(text.contains("```mermaid\nflowchart LR"))
        #expect(text.contains("classDef fail"))
        #expect(text.contains("\\| pipes new line"), "pipes and newlines cannot break a table row")
    }

    @Test("GitHub annotations: an error per failure or error, a warning per warning, escaped")
    func github() {
        let text = GitHubRenderer.render(awkwardReport(), options: RenderOptions())
        let lines = text.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("::error ") }.count == 2)
        #expect(lines.filter { $0.hasPrefix("::warning ") }.count == 1)
        #expect(text.contains("100%25 sure") && text.contains("pipes%0Anew line"))
        #expect(text.contains("title=meta-doctor app.secret%3A Title of app.secret::"))
    }
}
