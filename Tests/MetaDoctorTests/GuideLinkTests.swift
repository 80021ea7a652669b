import DoctorKit
import Foundation
import MetaChecks
@testable import MetaDoctorCLI
import MetaSandbox
import Reports
import Testing

extension SandboxRuns {
    /// Where reports send the reader: could-not-verify verdicts to the guide's section on them,
    /// interrupted checks to another run, and the development-mode note after Page checks pass.
    @Suite("Guide links")
    struct GuideLinkTests {
        @Test("Every error verdict links to 'When a check could not verify'", arguments: ["graph-rate-limited", "graph-unavailable", "graph-malformed"])
        func errorsLinkToCouldNotVerify(name: String) async throws {
            let (report, _, _, _) = try await runScenario(try #require(SandboxScenarios.named(name)))
            let errors = report.checks.filter { $0.status == .error }
            #expect(!errors.isEmpty)
            for check in errors {
                #expect(check.fix.step == GuideSteps.couldNotVerify.anchor, "\(check.id)")
                #expect(check.fix.title == "When a check could not verify")
            }
        }

        @Test("An interrupted check asks for another run, not its setup remedy")
        func interruptedSaysRunAgain() async throws {
            let scenario = try #require(SandboxScenarios.named("graph-hang"))
            let world = try await SandboxWorld.start(scenario: scenario)
            let task = Task { try await DoctorRun.run(DoctorRunRequest.forSandbox(world)) }
            // Cancelled once the run is waiting on the hanging Graph API, not after a guessed pause.
            for _ in 0..<3000 where await world.graph.requests().isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            try #require(await !world.graph.requests().isEmpty, "the run reached the Graph API within a minute")
            task.cancel()
            let report = try await task.value
            await world.stop()
            let interrupted = report.checks.filter { $0.message.hasPrefix("Interrupted") }
            #expect(!interrupted.isEmpty)
            for check in interrupted {
                #expect(check.fix.action?.hasPrefix("Run meta-doctor again") == true, "\(check.id): \(check.fix.action ?? "")")
            }
        }

        @Test("When Messenger or Instagram checks pass, a note says development mode limits who can message the Page")
        func developmentModeNote() async throws {
            let (healthy, _, _, _) = try await runScenario(try #require(SandboxScenarios.named("healthy")))
            let note = try #require(healthy.notes?.first)
            #expect(note.text.contains("development mode") && note.text.contains("role on the app"))
            #expect(note.guideTitle == GuideSteps.developmentMode.heading)
            #expect(note.guideURL.hasSuffix("#development-and-live-mode"))
            var failing = healthy
            failing.checks = healthy.checks.map { check in
                var check = check
                if DoctorRun.pageMessagingChecks.contains(check.id) { check.status = .fail }
                return check
            }
            #expect(DoctorRun.notes(for: failing, docsURL: "https://example.com").isEmpty)
        }
    }
}

@Suite("Folded platforms")
struct FoldedPlatformTests {
    @Test("A platform that is not checked is one line, its rows folded away; config's sentence names what runs")
    func foldsUncheckedPlatform() throws {
        let checks = [
            CheckReport(
                id: "config", title: "Config", platform: nil, status: .pass, skipReason: nil,
                message: "App 1: this run checks Messenger; not WhatsApp (not configured).", durationMs: 0, prerequisites: [],
                blockedBy: [], evidence: [:], fix: .init(step: "configuration", title: "19. Configure meta-doctor", url: "u", action: nil)),
            CheckReport(
                id: "whatsapp.token", title: "Token", platform: "whatsapp", status: .skip, skipReason: .notApplicable,
                message: "WhatsApp is not configured.", durationMs: 0, prerequisites: ["config"], blockedBy: [], evidence: [:],
                fix: .init(step: "s", title: "t", url: "u", action: nil)),
            CheckReport(
                id: "whatsapp.health", title: "Health", platform: "whatsapp", status: .skip, skipReason: .notApplicable,
                message: "WhatsApp is not configured.", durationMs: 0, prerequisites: ["whatsapp.token"], blockedBy: [], evidence: [:],
                fix: .init(step: "s", title: "t", url: "u", action: nil)),
        ]
        let report = Report(
            tool: .init(name: "meta-doctor", version: "test"), startedAt: "2026-12-01T00:00:00Z", durationMs: 0, exitCode: 0, interrupted: false,
            platforms: [
                PlatformStatus(name: "whatsapp", enabled: false, reason: "Not configured: WHATSAPP_ACCESS_TOKEN not set."),
                PlatformStatus(name: "instagram", enabled: false, reason: "Not selected by --platform."),
            ],
            checks: checks)
        let text = HumanRenderer.render(report, options: RenderOptions())
        #expect(text.contains("\nWhatsApp: not checked. Not configured: WHATSAPP_ACCESS_TOKEN not set.\n"))
        #expect(text.contains("\nInstagram: not checked. Not selected by --platform.\n"))
        #expect(!text.contains("whatsapp.token") && !text.contains("whatsapp.health"))
        #expect(text.hasSuffix("Nothing to fix.\nExit 0: no check failed.\n"))
    }
}
