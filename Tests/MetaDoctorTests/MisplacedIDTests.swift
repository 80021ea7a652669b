import DoctorKit
import MetaSandbox
import Testing

extension SandboxRuns {
    /// An id pasted where another belongs: the check that fails names the mistake and, where a
    /// token can see it, the right value (docs/meta-behaviour.md MB-G30).
    @Suite("An id in the wrong place is named, with the right value")
    struct MisplacedIDTests {
        @Test(
            "Each swap: the failing check, the mistake and the right value",
            arguments: [
                (
                    "whatsapp-display-number-as-id", "whatsapp.phone-number",
                    "WHATSAPP_PHONE_NUMBER_ID is 15550104242, the display number +1 555-010-4242 written as digits, not its id; its id is 1205000000000001.",
                    "Set WHATSAPP_PHONE_NUMBER_ID=1205000000000001"
                ),
                (
                    "whatsapp-waba-as-phone-number", "whatsapp.phone-number",
                    "WHATSAPP_PHONE_NUMBER_ID is 1204000000000001, a WABA id, the same as WHATSAPP_BUSINESS_ACCOUNT_ID (Meta reads it as node type WhatsAppBusinessAccount), not a phone number id; WABA 1204000000000001's phone number id is 1205000000000001.",
                    "Set WHATSAPP_PHONE_NUMBER_ID=1205000000000001 (+1 555-010-4242)."
                ),
                (
                    "whatsapp-business-as-waba", "whatsapp.token",
                    "WHATSAPP_BUSINESS_ACCOUNT_ID is 1203000000000001, a business id (Meta reads it as node type Business), not a WABA id; its WABA id is 1204000000000001.",
                    "Set WHATSAPP_BUSINESS_ACCOUNT_ID=1204000000000001"
                ),
                (
                    "whatsapp-business-as-waba-unscoped", "whatsapp.phone-number",
                    "WHATSAPP_BUSINESS_ACCOUNT_ID is 1203000000000001, a business id (Meta reads it as node type Business), not a WABA id; the WhatsApp token's scopes name no WABA, so copy its id from API Setup or WhatsApp Manager.",
                    "Meta for Developers > your app > WhatsApp > API Setup shows it as WhatsApp Business Account ID, and WhatsApp Manager (Meta Business Suite > All tools) shows it under the account's name."
                ),
                (
                    "whatsapp-business-as-waba-admin", "whatsapp.phone-number",
                    "WHATSAPP_BUSINESS_ACCOUNT_ID is 1203000000000001, a business id (Meta reads it as node type Business), not a WABA id; the business owns WABA 'Sandbox Shop' (1204000000000001).",
                    "Set WHATSAPP_BUSINESS_ACCOUNT_ID=1204000000000001, the business's WABA (WhatsApp Manager shows its id under the account's name)."
                ),
                (
                    "whatsapp-business-as-waba-admin-two-wabas", "whatsapp.phone-number",
                    "WHATSAPP_BUSINESS_ACCOUNT_ID is 1203000000000001, a business id (Meta reads it as node type Business), not a WABA id; the business owns 2 WABAs: 'Sandbox Shop' (1204000000000001), 'Other Shop' (1204000000000002).",
                    "Set WHATSAPP_BUSINESS_ACCOUNT_ID to the id of the WABA that holds WHATSAPP_PHONE_NUMBER_ID: one of 'Sandbox Shop' (1204000000000001), 'Other Shop' (1204000000000002)."
                ),
                (
                    "page-and-instagram-swapped", "messenger.page-token",
                    "META_PAGE_ID is 17841400000000001, an Instagram account id (Meta reads it as node type IGUser), not a Page id; the Page token's Page is 'Sandbox Shop' (1202000000000001).",
                    "Set META_PAGE_ID=1202000000000001; 17841400000000001 belongs in INSTAGRAM_ACCOUNT_ID."
                ),
                (
                    "app-id-is-page-id", "app.secret",
                    "META_APP_ID is 1202000000000001, the id of Page 'Sandbox Shop' (the Page token's /me names it), not an app id: Meta does not know app 1202000000000001.",
                    "the Page id 1202000000000001 belongs in META_PAGE_ID"
                ),
            ])
        func swap(scenario: String, check: String, message: String, action: String) async throws {
            let (report, _, _, _) = try await runScenario(try #require(SandboxScenarios.named(scenario)))
            let failed = try #require(report.check(check))
            #expect(failed.status == .fail)
            #expect(failed.message == message)
            #expect(failed.fix.action?.contains(action) == true, "\(failed.fix.action ?? "no action")")
        }

        @Test("A swap's diagnosis makes no request twice")
        func noDuplicates() async throws {
            for name in [
                "whatsapp-waba-as-phone-number", "whatsapp-business-as-waba", "whatsapp-business-as-waba-unscoped", "page-and-instagram-swapped",
                "app-id-is-page-id", "whatsapp-business-as-waba-admin",
            ] {
                let (_, requests, _, _) = try await runScenario(try #require(SandboxScenarios.named(name)))
                let keys = requests.map { "\($0.method) \($0.path) \($0.query ?? "") \($0.body)" }
                let duplicates = Dictionary(grouping: keys, by: { $0 }).filter { $0.value.count > 1 }.keys
                #expect(duplicates.isEmpty, "\(name): \(duplicates)")
            }
        }
    }
}
