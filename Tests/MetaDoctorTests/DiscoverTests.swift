import DoctorKit
import DoctorTestSupport
import Foundation
import MetaChecks
import MetaConfig
import MetaDoctorCLI
import MetaSandbox
import Testing

/// Runs `discover` in process against a scenario's Graph sandbox: its result, both formats as
/// `DiscoveryOutput` renders them (unredacted), the sandbox's request log and the secrets the run held.
func runDiscovery(
    _ name: String, withUserToken: Bool = false, faults: [SandboxFault] = [], setting overrides: [String: String] = [:]
) async throws
    -> (DiscoveryResult, human: String, json: String, requests: [RecordedRequest], secrets: [String])
{
    let scenario = try #require(SandboxScenarios.named(name))
    let world = try await SandboxWorld.start(scenario: scenario, faults: faults)
    let configuration = ConfigurationLoader(envFile: nil, environment: world.environment().merging(overrides) { $1 })
        .load(readingDefaultFile: false)
    let userToken = withUserToken ? Secret(SandboxIDs.userToken) : nil
    let result: DiscoveryResult
    do {
        result = try await DiscoverExecution.discover(
            configuration: configuration, userToken: userToken, deadline: .now.advanced(by: .seconds(20)))
    } catch {
        await world.stop()
        throw error
    }
    let requests = await world.graph.requests()
    await world.stop()
    let sources = DiscoveryOutput.Sources(configuration, userTokenVariable: withUserToken ? "FB_USER_TOKEN" : nil)
    let secrets = configuration.secretValues + (userToken.map { [$0.exposedValue] } ?? [])
    // The text as the renderers make it, before the command's Redactor: a sweep of it fails when a
    // renderer puts a secret in, instead of testing the Redactor that would hide it.
    return (
        result, DiscoveryOutput.human(result, sources: sources), DiscoveryOutput.json(result, sources: sources), requests, secrets
    )
}

extension SandboxRuns {
    @Suite("discover lists what the tokens reach, read-only")
    struct DiscoverTests {
        /// Three worlds: two WABAs (one with a second page of numbers) and a user token; a Page
        /// without Instagram; a display number configured where the id goes.
        static let golden: [(scenario: String, userToken: Bool)] = [
            ("whatsapp-two-wabas", true), ("instagram-not-linked", false), ("whatsapp-display-number-as-id", false),
        ]

        @Test("Both formats, as recorded in Tests/Goldens", arguments: golden.map(\.scenario))
        func formats(scenario: String) async throws {
            let userToken = Self.golden.first { $0.scenario == scenario }!.userToken
            let (_, human, json, _, _) = try await runDiscovery(scenario, withUserToken: userToken)
            #expect(human == (try Golden.expected(human, named: "discover-\(scenario).txt")))
            #expect(json == (try Golden.expected(json, named: "discover-\(scenario).json")))
            let schema = try SchemaValidator(
                schemaData: Data(contentsOf: RepositoryPaths.root.appendingPathComponent("reports/discover.schema.json")))
            #expect(schema.validate(Data(json.utf8)) == [])
        }

        @Test("Only GET requests, no secret in a URL but debug_token's inspected token, none in either format", arguments: golden.map(\.scenario))
        func readsOnly(scenario: String) async throws {
            let userToken = Self.golden.first { $0.scenario == scenario }!.userToken
            let (_, human, json, requests, secrets) = try await runDiscovery(scenario, withUserToken: userToken)
            #expect(!requests.isEmpty)
            for request in requests {
                #expect(request.method == "GET", "\(request.method) \(request.path)")
                #expect(!request.path.hasSuffix("/oauth/access_token"))
                for secret in secrets { #expect(!urlWithoutInspectedToken(request).contains(secret), "a secret in \(request.path)") }
            }
            let keys = requests.map { "\($0.path) \($0.query ?? "")" }
            #expect(Set(keys).count == keys.count, "a request made twice")
            for secret in secrets {
                #expect(!human.contains(secret) && !json.contains(secret))
                #expect(!human.contains(String(secret.prefix(12))) && !json.contains(String(secret.prefix(12))))
            }
        }

        @Test("A healthy world's discovery sends exactly these reads, each once")
        func requests() async throws {
            let (_, _, _, requests, _) = try await runDiscovery("healthy", withUserToken: true)
            let sent = requests.map { request in
                let fields = (request.query ?? "").split(separator: "&").first { $0.hasPrefix("fields=") }
                    .map { String($0.dropFirst("fields=".count)).removingPercentEncoding ?? "" } ?? ""
                return "\(request.method) \(request.path) \(fields)"
            }
            #expect(
                sent.sorted() == [
                    "GET /v25.0/1201000000000001 id,name",
                    "GET /v25.0/1202000000000001 id,name,instagram_business_account",
                    "GET /v25.0/1204000000000001 id,name,account_review_status,business_verification_status",
                    "GET /v25.0/1204000000000001/phone_numbers id,display_phone_number,verified_name,quality_rating,code_verification_status,status,account_mode,platform_type,name_status",
                    "GET /v25.0/17841400000000001 id,username,name",
                    "GET /v25.0/debug_token ",
                    "GET /v25.0/me id,name",
                    "GET /v25.0/me id,name",
                    "GET /v25.0/me/accounts id,name",
                ])
        }

        @Test("The user token's Pages are asked for as id and name only: Meta's default would hold their tokens")
        func managedPagesWithoutTokens() async throws {
            let (result, human, _, requests, _) = try await runDiscovery("healthy", withUserToken: true)
            let accounts = try #require(requests.first { $0.path.hasSuffix("/me/accounts") })
            #expect(accounts.query?.contains("fields=id%2Cname") == true || accounts.query?.contains("fields=id,name") == true, "\(accounts.query ?? "")")
            #expect(result.managedPages?.map(\.id) == ["1202000000000001", "1202000000000002"])
            #expect(!human.contains(SandboxIDs.pageToken))
            #expect(human.contains("1202000000000002 'Other Page'"))
            // The schema leaves no room for one: a managed Page with its token is not a discovery.
            let schema = try SchemaValidator(
                schemaData: Data(contentsOf: RepositoryPaths.root.appendingPathComponent("reports/discover.schema.json")))
            let withToken = """
                {"schemaVersion": 1, "unread": [], "suggested": {}, "changes": {}, "exitCode": 0,
                 "managedPages": [{"id": "1202000000000001", "key": "META_PAGE_ID", "configured": true, "access_token": "x"}]}
                """
            #expect(!schema.validate(Data(withToken.utf8)).isEmpty)
        }

        @Test(
            "The values the reads single out, for each swap",
            arguments: [
                ("whatsapp-display-number-as-id", ConfigKey.whatsappPhoneNumberID, "1205000000000001"),
                ("whatsapp-waba-as-phone-number", .whatsappPhoneNumberID, "1205000000000001"),
                ("whatsapp-business-as-waba", .whatsappBusinessAccountID, "1204000000000001"),
                ("page-and-instagram-swapped", .pageID, "1202000000000001"),
                ("page-and-instagram-swapped", .instagramAccountID, "17841400000000001"),
            ])
        func suggestions(scenario: String, key: ConfigKey, value: String) async throws {
            let (result, human, _, _, _) = try await runDiscovery(scenario)
            #expect(result.changes[key] == value)
            #expect(human.contains("  \(key.name)=\(value)   (now "))
        }

        @Test("A display number with + and dashes, which config refuses without a call, is matched to its id here")
        func displayNumberWithPlus() async throws {
            let (result, human, _, _, _) = try await runDiscovery(
                "healthy", setting: ["WHATSAPP_PHONE_NUMBER_ID": "+1 555-010-4242"])
            #expect(result.changes == [.whatsappPhoneNumberID: "1205000000000001"])
            #expect(human.contains(
                "  ≠ WHATSAPP_PHONE_NUMBER_ID is +1 555-010-4242: none of these numbers (it is the display number of 1205000000000001)\n"))
            #expect(human.contains("  WHATSAPP_PHONE_NUMBER_ID=1205000000000001   (now +1 555-010-4242)\n"))
        }

        @Test("Two WABAs leave the choice open: no WABA is suggested over the configured one, the configured one is kept")
        func twoWABAs() async throws {
            let (result, _, _, _, _) = try await runDiscovery("whatsapp-two-wabas")
            #expect(result.whatsapp?.wabas.map(\.id) == ["1204000000000001", "1204000000000003"])
            #expect(result.whatsapp?.wabas.last?.phoneNumbers.count == 27)
            #expect(result.suggestedValues[.whatsappBusinessAccountID] == "1204000000000001")
            #expect(result.changes.isEmpty)
        }

        @Test("A rate limit is exit 3 (could not verify); a refusal is listed and still exit 0")
        func exitStatus() async throws {
            let (limited, _, _, _, _) = try await runDiscovery("healthy", faults: [SandboxFault(.rateLimit(code: 4, minutes: 1))])
            #expect(DiscoveryOutput.exitStatus(limited) == 3)
            #expect(limited.unread.contains { $0.couldNotVerify })
            let (refused, human, _, _, _) = try await runDiscovery("app-id-is-page-id")
            #expect(refused.app == nil)
            #expect(refused.unread.first?.subject == "the app (META_APP_ID with META_APP_SECRET as its app token)")
            #expect(human.contains("Could not read"))
            #expect(DiscoveryOutput.exitStatus(refused) == 0)
        }
    }
}

@Suite("discover's configuration")
struct DiscoverConfigurationTests {
    @Test("Nothing to read with, or a value that would break a request, is exit 2 before any request")
    func unusable() {
        let empty = ConfigurationLoader(envFile: nil, environment: [:]).load(readingDefaultFile: false)
        #expect(Discovery.unusable(empty, hasUserToken: false)?.hasPrefix("Nothing to read with") == true)
        #expect(Discovery.unusable(empty, hasUserToken: true) == nil)
        let broken = ConfigurationLoader(envFile: nil, environment: ["WHATSAPP_ACCESS_TOKEN": "EAAtoken\r"]).load(readingDefaultFile: false)
        #expect(Discovery.unusable(broken, hasUserToken: false)?.hasPrefix("WHATSAPP_ACCESS_TOKEN (environment)") == true)
    }
}
