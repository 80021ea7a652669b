import Crypto
import Foundation
import MetaConfig

/// The ids and secrets of the healthy world. Numeric ids as Meta uses them; tokens start with "EAA"
/// like real Facebook tokens. Every value is the same on every run.
public enum SandboxIDs {
    public static let appID = "1201000000000001"
    public static let appSecret = "sandbox-app-secret-" + hex("app-secret", 32)
    /// Another app of the same developer, for tokens issued to the wrong app.
    public static let otherAppID = "1201000000000002"
    public static let otherAppSecret = "sandbox-app-secret-" + hex("other-app-secret", 32)
    public static let pageID = "1202000000000001"
    public static let otherPageID = "1202000000000002"
    public static let businessID = "1203000000000001"
    public static let otherBusinessID = "1203000000000002"
    public static let wabaID = "1204000000000001"
    /// A WABA of another business, which the sandbox's tokens cannot see.
    public static let otherWABAID = "1204000000000002"
    /// A second WABA of the same business (scenario `whatsapp-two-wabas`).
    public static let europeWABAID = "1204000000000003"
    public static let phoneNumberID = "1205000000000001"
    /// The phone number of `otherWABAID`.
    public static let otherPhoneNumberID = "1205000000000002"
    public static let instagramAccountID = "17841400000000001"
    public static let otherInstagramAccountID = "17841400000000002"
    public static let adminUserID = "1206000000000001"
    public static let systemUserID = "1206000000000002"
    public static let webhookBaseURL = "https://shop-bot.example.com"
    public static let verifyToken = "vt_" + hex("verify-token", 32)
    public static let pageToken = token("SbxPage")
    public static let systemUserToken = token("SbxSystemUser")
    /// The Page admin's own user token, which no .env holds: `discover --user-token-env` lists the
    /// Pages it manages.
    public static let userToken = token("SbxAdminUser")

    /// A Facebook-token-looking string, "EAA" + label + 40 hex digits, the same on every run.
    public static func token(_ label: String) -> String { "EAA" + label + hex(label, 40) }

    /// `count` hex digits derived from `seed`.
    static func hex(_ seed: String, _ count: Int) -> String {
        String(SHA256.hash(data: Data(seed.utf8)).map { String(format: "%02x", $0) }.joined().prefix(count))
    }
}

extension TokenRecord {
    /// A Page token as a Page admin gets it for `appID`, with the Messenger and Instagram scopes
    /// (MB-G25, MB-G15); granular scopes name the Page, or the Instagram account for the
    /// instagram_* scopes (as a recorded debug_token sample does, MB-G26).
    public static func page(
        _ pageID: String, appID: String, instagramAccountID: String?, issuedAt: Int, expiresAt: Int = 0
    ) -> TokenRecord {
        let pageScopes = ["pages_messaging", "pages_manage_metadata", "pages_show_list"]
        let instagramScopes = ["instagram_basic", "instagram_manage_messages"]
        return TokenRecord(
            type: .page, appID: appID, scopes: pageScopes + instagramScopes,
            granularScopes: pageScopes.map { GranularScope(scope: $0, targetIDs: [pageID]) }
                + instagramScopes.map { GranularScope(scope: $0, targetIDs: instagramAccountID.map { [$0] }) },
            issuedAt: issuedAt, expiresAt: expiresAt,
            // Data access of a Page token lapses 90 days after the admin's last use, even when the
            // token itself never expires.
            dataAccessExpiresAt: issuedAt + 90 * 86_400,
            profileID: pageID, userID: SandboxIDs.adminUserID)
    }

    /// A long-lived Instagram User token (60 days) from the dashboard's Instagram tab, for the
    /// Instagram API with Instagram Login: its user is the Instagram professional account (MB-G16).
    public static func instagramLogin(accountID: String, appID: String, issuedAt: Int) -> TokenRecord {
        TokenRecord(
            type: .instagramUser, appID: appID, scopes: ["instagram_business_basic", "instagram_business_manage_messages"],
            issuedAt: issuedAt, expiresAt: issuedAt + 60 * 86_400, userID: accountID)
    }

    /// A system user's token with both WhatsApp scopes: never expires, `data_access_expires_at` 0
    /// (MB-G26), granular scopes limited to `wabaIDs` (nil: not asset-scoped, like
    /// Meta's own sample in MB-G26).
    public static func systemUser(appID: String, wabaIDs: [String]?, issuedAt: Int) -> TokenRecord {
        let scopes = ["whatsapp_business_management", "whatsapp_business_messaging"]
        return TokenRecord(
            type: .systemUser, appID: appID, scopes: scopes,
            granularScopes: scopes.map { GranularScope(scope: $0, targetIDs: wabaIDs) }, issuedAt: issuedAt,
            userID: SandboxIDs.systemUserID)
    }
}

extension IntegrationModel {
    /// A working Messenger + WhatsApp + Instagram integration, and a .env that matches it.
    public static func healthy() -> IntegrationModel {
        let now = Int(Date().timeIntervalSince1970)
        let base = SandboxIDs.webhookBaseURL
        let app = AppRecord(
            id: SandboxIDs.appID, name: "Sandbox Shop Bot", secret: SandboxIDs.appSecret, link: base + "/",
            // 2026-11-20: a new app, so the features Meta retired on 2026-11-04 are refused (MB-G4).
            createdAt: 1_795_132_800,
            subscriptions: [
                "page": AppSubscriptionRecord(
                    object: "page", callbackURL: base + "/webhook/messenger", fields: ["messages", "messaging_postbacks"]),
                "whatsapp_business_account": AppSubscriptionRecord(
                    object: "whatsapp_business_account", callbackURL: base + "/webhook/whatsapp", fields: ["messages"]),
                "instagram": AppSubscriptionRecord(
                    object: "instagram", callbackURL: base + "/webhook/instagram", fields: ["messages"]),
            ])
        let otherApp = AppRecord(
            id: SandboxIDs.otherAppID, name: "Shop Bot Prototype", secret: SandboxIDs.otherAppSecret,
            link: "https://prototype.shop-bot.example.com/")
        let page = PageRecord(
            id: SandboxIDs.pageID, name: "Sandbox Shop", instagramAccountID: SandboxIDs.instagramAccountID,
            subscribedApps: [SandboxIDs.appID: ["messages", "messaging_postbacks"]])
        let otherPage = PageRecord(id: SandboxIDs.otherPageID, name: "Other Page")
        let phoneNumber = PhoneNumberRecord(
            id: SandboxIDs.phoneNumberID, displayPhoneNumber: "+1 555-010-4242", verifiedName: "Sandbox Shop")
        let waba = WABARecord(
            id: SandboxIDs.wabaID, name: "Sandbox Shop", businessID: SandboxIDs.businessID,
            messageTemplateNamespace: "sbx" + SandboxIDs.hex("template-namespace", 24),
            phoneNumbers: [phoneNumber.id: phoneNumber], subscribedApps: [SandboxIDs.appID: WABASubscription()])
        let otherNumber = PhoneNumberRecord(
            id: SandboxIDs.otherPhoneNumberID, displayPhoneNumber: "+1 555-010-9999", verifiedName: "Other Shop")
        let otherWABA = WABARecord(
            id: SandboxIDs.otherWABAID, name: "Other Shop", businessID: SandboxIDs.otherBusinessID,
            messageTemplateNamespace: "sbx" + SandboxIDs.hex("other-template-namespace", 24),
            phoneNumbers: [otherNumber.id: otherNumber])
        return IntegrationModel(
            apps: [app.id: app, otherApp.id: otherApp],
            pages: [page.id: page, otherPage.id: otherPage],
            users: [
                SandboxIDs.adminUserID: UserRecord(id: SandboxIDs.adminUserID, name: "Sam Sandbox"),
                SandboxIDs.systemUserID: UserRecord(id: SandboxIDs.systemUserID, name: "Shop Bot System User"),
            ],
            businesses: [
                SandboxIDs.businessID: BusinessRecord(id: SandboxIDs.businessID, name: "Sandbox Shop Ltd"),
                SandboxIDs.otherBusinessID: BusinessRecord(id: SandboxIDs.otherBusinessID, name: "Other Shop Ltd"),
            ],
            wabas: [waba.id: waba, otherWABA.id: otherWABA],
            instagramAccounts: [
                SandboxIDs.instagramAccountID: InstagramAccountRecord(
                    id: SandboxIDs.instagramAccountID, username: "sandbox.shop", name: "Sandbox Shop"),
                SandboxIDs.otherInstagramAccountID: InstagramAccountRecord(
                    id: SandboxIDs.otherInstagramAccountID, username: "other.shop", name: "Other Shop"),
            ],
            tokens: [
                SandboxIDs.pageToken: .page(
                    SandboxIDs.pageID, appID: SandboxIDs.appID, instagramAccountID: SandboxIDs.instagramAccountID,
                    issuedAt: now - 7 * 86_400),
                SandboxIDs.systemUserToken: .systemUser(
                    appID: SandboxIDs.appID, wabaIDs: [SandboxIDs.wabaID], issuedAt: now - 30 * 86_400),
                SandboxIDs.userToken: TokenRecord(
                    type: .user, appID: SandboxIDs.appID, scopes: ["pages_show_list", "pages_messaging", "pages_manage_metadata"],
                    granularScopes: ["pages_show_list", "pages_messaging", "pages_manage_metadata"].map {
                        GranularScope(scope: $0, targetIDs: [SandboxIDs.pageID, SandboxIDs.otherPageID])
                    },
                    issuedAt: now - 86_400, expiresAt: now + 59 * 86_400, userID: SandboxIDs.adminUserID),
            ],
            configured: [
                ConfigKey.appID.name: SandboxIDs.appID,
                ConfigKey.appSecret.name: SandboxIDs.appSecret,
                ConfigKey.verifyToken.name: SandboxIDs.verifyToken,
                ConfigKey.pageID.name: SandboxIDs.pageID,
                ConfigKey.pageAccessToken.name: SandboxIDs.pageToken,
                ConfigKey.whatsappAccessToken.name: SandboxIDs.systemUserToken,
                ConfigKey.whatsappBusinessAccountID.name: SandboxIDs.wabaID,
                ConfigKey.whatsappPhoneNumberID.name: SandboxIDs.phoneNumberID,
                ConfigKey.instagramAccountID.name: SandboxIDs.instagramAccountID,
                ConfigKey.webhookBaseURL.name: base,
            ])
    }
}
