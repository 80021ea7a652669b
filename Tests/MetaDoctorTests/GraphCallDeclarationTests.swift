import DoctorKit
import Foundation
import MetaChecks
import MetaConfig
import MetaDoctorCLI
import MetaGraph
import MetaSandbox
import Testing

extension SandboxRuns {
/// The calls the probes declare are the requests the sandbox receives: `explain`, the run's reads
/// planned ahead and the benchmark's count all derive from the same values.
@Suite("Declared Graph calls are the requests sent")
struct GraphCallDeclarationTests {
    /// "GET /v25.0/1204000000000001/phone_numbers fields=id,…": a request as the sandbox recorded it.
    static func signature(method: String, path: String, query: String?) -> String {
        let fields = (query ?? "").split(separator: "&").first { $0.hasPrefix("fields=") }
            .map { String($0.dropFirst("fields=".count)).removingPercentEncoding ?? "" } ?? ""
        return "\(method) \(path) \(fields)"
    }

    @Test("A healthy full check sends exactly the declared reads, each once, 13 in all")
    func declaredReadsAreSent() async throws {
        let (report, requests, configuration, _) = try await runScenario(try #require(SandboxScenarios.named("healthy")))
        #expect(report.exitCode == 0)
        let declared = MetaCatalog.plannedReads(
            configuration: configuration, enabledPlatforms: Set(Platform.allCases), willRun: { _ in true })
        let expected = Set(declared.map { read in
            Self.signature(
                method: read.request.method.rawValue, path: "/\(configuration.graphVersion)\(read.request.path)",
                query: read.request.fields.isEmpty ? nil : "fields=" + read.request.fields.joined(separator: ","))
        })
        let sent = requests.map { Self.signature(method: $0.method, path: $0.path, query: $0.query) }
        #expect(Set(sent) == expected, "sent but not declared: \(Set(sent).subtracting(expected)); declared but not sent: \(expected.subtracting(sent))")
        let whole = requests.map { "\($0.method) \($0.path) \($0.query ?? "") \($0.body)" }
        #expect(whole.count == Set(whole).count, "no request twice")
        #expect(requests.count == 13, "the healthy check's request count does not grow")
    }

    @Test("explain prints each check's declared calls, secrets by name only")
    func explainShowsDeclaredCalls() throws {
        let description = try #require(MetaCatalog.descriptions.first { $0.id == WhatsAppTokenCheck.id })
        #expect(description.calls == ["GET /debug_token?input_token={system user's token} (app token)"])
        let phone = try #require(MetaCatalog.descriptions.first { $0.id == PhoneNumberCheck.id })
        #expect(phone.calls.first == "GET /{waba-id}?fields=id,name,account_review_status,business_verification_status (system user's token)")
        #expect(
            phone.calls.last
                == "only when Meta reads WHATSAPP_BUSINESS_ACCOUNT_ID as a Business: GET /{business-id}/owned_whatsapp_business_accounts?fields=id,name (system user's token)")
    }

    @Test("Every Graph read starts once graph.version has passed, not when its own check's prerequisites are done")
    func readsStartTogether() async throws {
        // debug_token never answers, so whatsapp.token and messenger.page-token never pass. A read that
        // waited for its check's prerequisites (the WABA's numbers wait for whatsapp.token, the Page's
        // subscribed apps for messenger.page-token) would never be sent; planned ahead, they all are.
        let (report, requests, configuration, _) = try await runScenario(try #require(SandboxScenarios.named("graph-hang"))) {
            $0.checkTimeout = .seconds(2)
        }
        #expect(report.check("whatsapp.token")?.status == .error)
        #expect(report.check("whatsapp.phone-number")?.skipReason == .blocked)
        let paths = Set(requests.map(\.path))
        let version = configuration.graphVersion
        for path in [
            "/\(version)/\(SandboxIDs.wabaID)/phone_numbers", "/\(version)/\(SandboxIDs.wabaID)/subscribed_apps",
            "/\(version)/\(SandboxIDs.pageID)/subscribed_apps", "/\(version)/\(SandboxIDs.phoneNumberID)",
        ] {
            #expect(paths.contains(path), "\(path) was not requested")
        }
        // The report is unchanged: a check whose prerequisite did not pass is blocked, its read unused.
        #expect(report.check("whatsapp.waba-subscribed")?.skipReason == .blocked)
    }
}
}
