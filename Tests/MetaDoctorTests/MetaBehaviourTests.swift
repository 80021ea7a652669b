import Foundation
import HTTPTypes
import HummingbirdTesting
import MetaConfig
import MetaSandbox
import NIOCore
import Testing

/// The sandbox's Graph replies against shapes written from Meta's sources, one test per row of
/// docs/meta-behaviour.md (its id in the test's name). The expected shapes here come from the
/// sources the rows cite (Meta's pages, recorded replies, issue threads), never from the sandbox, so
/// a change that drifts from Meta fails here even when the probes still agree with it.
@Suite("The sandbox answers as Meta's sources show")
struct MetaBehaviourTests {
    /// One raw request to a scenario's Graph sandbox, as a client would send it.
    struct Exchange {
        let status: Int
        let headers: [(name: String, value: String)]
        let json: [String: Any]

        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
        var error: [String: Any]? { json["error"] as? [String: Any] }
        var data: [String: Any]? { json["data"] as? [String: Any] }
    }

    /// Sent through the Graph sandbox's router (HummingbirdTesting, no socket): the same routes and
    /// middleware a started sandbox serves.
    static func exchange(
        _ scenario: String, _ path: String, method: String = "GET", query: String = "", token: String? = nil,
        form: String? = nil, instagram: Bool = false
    ) async throws -> Exchange {
        let app = GraphSandbox.application(
            scenario: try #require(SandboxScenarios.named(scenario)), host: instagram ? .instagram : .facebook)
        var headers: HTTPFields = [.accept: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let requestMethod = try #require(HTTPRequest.Method(method))
        let response = try await app.test(.router) { [headers] client in
            try await client.execute(
                uri: path + (query.isEmpty ? "" : "?" + query), method: requestMethod, headers: headers,
                body: form.map { ByteBuffer(string: $0) })
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
        return Exchange(
            status: Int(response.status.code), headers: response.headers.map { (name: $0.name.rawName, value: $0.value) },
            json: json)
    }

    /// The Instagram User token the instagram-login-path scenario configures.
    static func instagramLoginToken() throws -> String {
        let scenario = try #require(SandboxScenarios.named("instagram-login-path"))
        return try #require(scenario.model().configured[ConfigKey.instagramAccessToken.name])
    }
    static var appToken: String { "\(SandboxIDs.appID)|\(SandboxIDs.appSecret)" }
    static func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    // MARK: Tokens

    @Test("MB-G1: debug_token of a system user's token is HTTP 200 with Meta's sample's fields under data")
    func debugTokenSystemUser() async throws {
        let reply = try await Self.exchange(
            "healthy", "/v25.0/debug_token", query: "input_token=\(Self.encoded(SandboxIDs.systemUserToken))", token: Self.appToken)
        #expect(reply.status == 200)
        let data = try #require(reply.data)
        // The keys of Meta's SYSTEM_USER sample (WhatsApp permissions page).
        for key in ["app_id", "type", "application", "data_access_expires_at", "expires_at", "is_valid", "issued_at", "scopes", "granular_scopes", "user_id"] {
            #expect(data[key] != nil, "\(key)")
        }
        #expect(data["type"] as? String == "SYSTEM_USER")
        #expect(data["expires_at"] as? Int == 0)
        #expect(data["is_valid"] as? Bool == true)
        #expect(data["app_id"] is String && data["user_id"] is String)
    }

    @Test("MB-G1: debug_token of an expired token is still HTTP 200, is_valid false and data.error with subcode 463")
    func debugTokenExpired() async throws {
        let reply = try await Self.exchange(
            "expired-page-token", "/v25.0/debug_token", query: "input_token=\(Self.encoded(SandboxIDs.pageToken))",
            token: Self.appToken)
        #expect(reply.status == 200)
        let data = try #require(reply.data)
        #expect(data["is_valid"] as? Bool == false)
        let error = try #require(data["error"] as? [String: Any])
        #expect(error["code"] as? Int == 190)
        #expect(error["subcode"] as? Int == 463)
        #expect(error["error_subcode"] == nil, "debug_token's own error object says subcode")
        #expect((error["message"] as? String)?.hasPrefix("Error validating access token: Session has expired on") == true)
    }

    @Test("MB-G2: debug_token of another app's token is HTTP 400, code 100, Meta's exact message, no description of the token")
    func debugTokenOtherApp() async throws {
        let reply = try await Self.exchange(
            "page-token-other-app", "/v25.0/debug_token",
            query: "input_token=\(Self.encoded(SandboxIDs.token("SbxPageOtherApp")))", token: Self.appToken)
        #expect(reply.status == 400)
        #expect(reply.data == nil)
        let error = try #require(reply.error)
        #expect(Set(error.keys) == ["message", "type", "code", "fbtrace_id"])
        #expect(error["message"] as? String == "(#100) The App_id in the input_token did not match the Viewing App")
        #expect(error["type"] as? String == "OAuthException")
        #expect(error["code"] as? Int == 100)
    }

    @Test("MB-G4: a new app's HTTP method override (POST with method=get) is refused")
    func methodOverrideRefused() async throws {
        let reply = try await Self.exchange(
            "healthy", "/v25.0/debug_token", method: "POST", token: Self.appToken,
            form: "input_token=\(Self.encoded(SandboxIDs.systemUserToken))&method=get")
        #expect(reply.status == 400)
        #expect(reply.data == nil)
        #expect(reply.error?["code"] as? Int == 100)
    }

    // MARK: Client credentials, proofs

    @Test("MB-G17: a wrong client secret is HTTP 400, code 1, 'Error validating client secret.', no subcode")
    func wrongClientSecret() async throws {
        let reply = try await Self.exchange(
            "bad-secret", "/v25.0/oauth/access_token", method: "POST",
            form: "client_id=\(SandboxIDs.appID)&client_secret=wrong-secret-0123456789&grant_type=client_credentials")
        #expect(reply.status == 400)
        let error = try #require(reply.error)
        #expect(error["message"] as? String == "Error validating client secret.")
        #expect(error["type"] as? String == "OAuthException")
        #expect(error["code"] as? Int == 1)
        #expect(error["error_subcode"] == nil)
        #expect(error["fbtrace_id"] is String)
    }

    @Test("MB-G17: the exchange answers access_token as '<app-id>|…' and token_type bearer")
    func clientCredentials() async throws {
        let reply = try await Self.exchange(
            "healthy", "/v25.0/oauth/access_token", method: "POST",
            form: "client_id=\(SandboxIDs.appID)&client_secret=\(Self.encoded(SandboxIDs.appSecret))&grant_type=client_credentials")
        #expect(reply.status == 200)
        #expect((reply.json["access_token"] as? String)?.hasPrefix(SandboxIDs.appID + "|") == true)
        #expect(reply.json["token_type"] as? String == "bearer")
    }

    @Test("MB-G18: a wrong appsecret_proof is HTTP 400, GraphMethodException code 100, Meta's message")
    func wrongProof() async throws {
        let reply = try await Self.exchange(
            "healthy", "/v25.0/me", query: "fields=id,name&appsecret_proof=\(String(repeating: "0", count: 64))",
            token: SandboxIDs.pageToken)
        #expect(reply.status == 400)
        let error = try #require(reply.error)
        #expect(error["message"] as? String == "Invalid appsecret_proof provided in the API argument")
        #expect(error["type"] as? String == "GraphMethodException")
        #expect(error["code"] as? Int == 100)
    }

    // MARK: Versions

    @Test("MB-G5: v27.0 is served, and every reply names its version in Facebook-Api-Version")
    func currentVersion() async throws {
        let reply = try await Self.exchange("healthy", "/v27.0/me", query: "fields=id,name", token: SandboxIDs.pageToken)
        #expect(reply.status == 200)
        #expect(reply.header("Facebook-Api-Version") == "v27.0")
        #expect(reply.header("X-Ad-Api-Version-Warning") == nil)
    }

    @Test("MB-G6: a deprecated version is served by a newer one with the recorded X-Ad-Api-Version-Warning wording")
    func autoUpgrade() async throws {
        let reply = try await Self.exchange(
            "whatsapp-version-upgraded", "/v22.0/\(SandboxIDs.wabaID)", query: "fields=id,name", token: SandboxIDs.systemUserToken)
        #expect(reply.status == 200)
        #expect(reply.header("Facebook-Api-Version") == "v24.0")
        // The recorded replies' text: "The call has been auto-upgraded to v24.0 as v19.0 has been deprecated."
        #expect(reply.header("X-Ad-Api-Version-Warning") == "The call has been auto-upgraded to v24.0 as v22.0 has been deprecated.")
        // The rest of the API still serves v22.0 as asked.
        let page = try await Self.exchange("whatsapp-version-upgraded", "/v22.0/me", query: "fields=id", token: SandboxIDs.pageToken)
        #expect(page.header("Facebook-Api-Version") == "v22.0")
    }

    @Test("MB-G6: a version past its end is served by the oldest one still available")
    func expiredVersion() async throws {
        let reply = try await Self.exchange("healthy", "/v20.0/me", query: "fields=id", token: SandboxIDs.pageToken)
        #expect(reply.status == 200)
        #expect(reply.header("Facebook-Api-Version") == "v21.0")
        #expect(reply.header("X-Ad-Api-Version-Warning")?.hasPrefix("The call has been auto-upgraded to v21.0 as v20.0") == true)
    }

    @Test("MB-G7: a version Meta does not serve is HTTP 400, code 2500 'Unknown path components'")
    func unknownVersion() async throws {
        let reply = try await Self.exchange("healthy", "/v99.0/me", query: "fields=id", token: SandboxIDs.pageToken)
        #expect(reply.status == 400)
        #expect(reply.error?["code"] as? Int == 2500)
        #expect((reply.error?["message"] as? String)?.hasPrefix("Unknown path components") == true)
    }

    // MARK: Pages

    @Test("MB-G8: a Page's subscribed_apps needs pages_show_list: without it, a permission error (code 200)")
    func subscribedAppsNeedsShowList() async throws {
        let reply = try await Self.exchange(
            "page-token-missing-pages-show-list", "/v25.0/\(SandboxIDs.pageID)/subscribed_apps", token: SandboxIDs.pageToken)
        #expect(reply.status == 400)
        #expect(reply.error?["code"] as? Int == 200)
        let allowed = try await Self.exchange("healthy", "/v25.0/\(SandboxIDs.pageID)/subscribed_apps", token: SandboxIDs.pageToken)
        #expect(allowed.status == 200)
        let first = try #require((allowed.json["data"] as? [[String: Any]])?.first)
        // The reference's sample: category, link, name, id, subscribed_fields.
        #expect(Set(first.keys) == ["category", "link", "name", "id", "subscribed_fields"])
    }

    // MARK: WhatsApp

    @Test("MB-G10: phone_numbers is cursor-paged: cursors on every page, next only while another page follows")
    func phoneNumbersPaging() async throws {
        let token = SandboxIDs.systemUserToken
        let first = try await Self.exchange(
            "whatsapp-many-numbers", "/v25.0/\(SandboxIDs.wabaID)/phone_numbers", query: "fields=id", token: token)
        let firstPage = try #require(first.json["data"] as? [[String: Any]])
        let paging = try #require(first.json["paging"] as? [String: Any])
        let cursors = try #require(paging["cursors"] as? [String: Any])
        #expect(firstPage.count == 25, "Graph's default page size")
        #expect(cursors["before"] is String && cursors["after"] is String)
        #expect(paging["next"] is String)
        let after = try #require(cursors["after"] as? String)
        let second = try await Self.exchange(
            "whatsapp-many-numbers", "/v25.0/\(SandboxIDs.wabaID)/phone_numbers",
            query: "fields=id&after=\(Self.encoded(after))", token: token)
        #expect((second.json["data"] as? [[String: Any]])?.count == 5)
        #expect((second.json["paging"] as? [String: Any])?["next"] == nil, "no next on the last page")
        #expect((second.json["paging"] as? [String: Any])?["cursors"] != nil)
    }

    @Test("MB-G12: Meta's test number reads as the recorded reply: SANDBOX, DISCONNECTED, NOT_VERIFIED, AVAILABLE_WITHOUT_REVIEW")
    func testNumber() async throws {
        let reply = try await Self.exchange(
            "whatsapp-test-number", "/v25.0/\(SandboxIDs.wabaID)/phone_numbers",
            query: "fields=id,verified_name,account_mode,status,code_verification_status,name_status,quality_rating,messaging_limit_tier",
            token: SandboxIDs.systemUserToken)
        let number = try #require((reply.json["data"] as? [[String: Any]])?.first)
        #expect(number["verified_name"] as? String == "Test Number")
        #expect(number["account_mode"] as? String == "SANDBOX")
        #expect(number["status"] as? String == "DISCONNECTED")
        #expect(number["code_verification_status"] as? String == "NOT_VERIFIED")
        #expect(number["name_status"] as? String == "AVAILABLE_WITHOUT_REVIEW")
        #expect(number["quality_rating"] as? String == "GREEN")
        #expect(number["messaging_limit_tier"] as? String == "TIER_250")
    }

    @Test("MB-G11: a number not registered for the Cloud API reads platform_type NOT_APPLICABLE and health error 141000")
    func unregisteredNumber() async throws {
        let reply = try await Self.exchange(
            "whatsapp-number-not-registered", "/v25.0/\(SandboxIDs.phoneNumberID)", query: "fields=id,platform_type,health_status",
            token: SandboxIDs.systemUserToken)
        #expect(reply.json["platform_type"] as? String == "NOT_APPLICABLE")
        let health = try #require(reply.json["health_status"] as? [String: Any])
        #expect(health["can_send_message"] as? String == "BLOCKED")
        let entities = try #require(health["entities"] as? [[String: Any]])
        let phone = try #require(entities.first { $0["entity_type"] as? String == "PHONE_NUMBER" })
        let errors = try #require(phone["errors"] as? [[String: Any]])
        #expect(errors.first?["error_code"] as? Int == 141000)
        #expect(Set(entities.compactMap { $0["entity_type"] as? String }).isSuperset(of: ["PHONE_NUMBER", "WABA", "BUSINESS", "APP"]))
    }

    @Test("MB-G13: the WABA answers account_review_status in upper case and business_verification_status in lower case")
    func wabaReview() async throws {
        let reply = try await Self.exchange(
            "waba-review-pending", "/v25.0/\(SandboxIDs.wabaID)", query: "fields=id,name,account_review_status,business_verification_status",
            token: SandboxIDs.systemUserToken)
        #expect(reply.json["account_review_status"] as? String == "PENDING")
        #expect(reply.json["business_verification_status"] as? String == "not_verified")
        #expect(reply.json["id"] as? String == SandboxIDs.wabaID)
    }

    @Test("MB-G19: WABA subscribed_apps lists whatsapp_business_api_data {id, link, name}; an empty list is data:[]")
    func wabaSubscribedApps() async throws {
        let reply = try await Self.exchange(
            "healthy", "/v25.0/\(SandboxIDs.wabaID)/subscribed_apps", token: SandboxIDs.systemUserToken)
        let app = try #require((reply.json["data"] as? [[String: Any]])?.first?["whatsapp_business_api_data"] as? [String: Any])
        #expect(Set(app.keys) == ["id", "link", "name"])
        let none = try await Self.exchange(
            "waba-not-subscribed", "/v25.0/\(SandboxIDs.wabaID)/subscribed_apps", token: SandboxIDs.systemUserToken)
        #expect((none.json["data"] as? [Any])?.isEmpty == true)
    }

    @Test("MB-G20: app subscriptions need the app token; each object has object, callback_url, active, fields {name, version}")
    func appSubscriptions() async throws {
        let reply = try await Self.exchange("healthy", "/v25.0/\(SandboxIDs.appID)/subscriptions", token: Self.appToken)
        let objects = try #require(reply.json["data"] as? [[String: Any]])
        #expect(Set(objects.compactMap { $0["object"] as? String }) == ["page", "whatsapp_business_account", "instagram"])
        for object in objects {
            #expect(Set(object.keys) == ["object", "callback_url", "active", "fields"])
            let fields = try #require(object["fields"] as? [[String: Any]])
            #expect(fields.allSatisfy { Set($0.keys) == ["name", "version"] })
        }
    }

    @Test("MB-G28: Meta verifies the callback during POST /{app-id}/subscriptions; one it cannot reach is refused, nothing changes")
    func subscriptionWriteVerifiesCallback() async throws {
        let reply = try await Self.exchange(
            "missing-whatsapp-subscription", "/v25.0/\(SandboxIDs.appID)/subscriptions", method: "POST", token: Self.appToken,
            form: "object=whatsapp_business_account&callback_url=\(Self.encoded("https://unreachable.example.com/hook"))&verify_token=vt&fields=messages")
        #expect(reply.status == 400)
        #expect(reply.error?["code"] as? Int == 2200)
        #expect((reply.error?["message"] as? String)?.contains("Callback verification failed") == true)
    }

    @Test("MB-G19: POST /{waba-id}/subscribed_apps answers {\"success\": true}, and the WABA then lists the app")
    func wabaSubscribeWrite() async throws {
        let app = GraphSandbox.application(scenario: try #require(SandboxScenarios.named("waba-not-subscribed")))
        let headers: HTTPFields = [.accept: "application/json", .authorization: "Bearer \(SandboxIDs.systemUserToken)"]
        let path = "/v25.0/\(SandboxIDs.wabaID)/subscribed_apps"
        let (write, read) = try await app.test(.router) { client in
            let write = try await client.execute(uri: path, method: .post, headers: headers)
            let read = try await client.execute(uri: path, method: .get, headers: headers)
            return (write, read)
        }
        #expect(write.status.code == 200)
        #expect(try JSONSerialization.jsonObject(with: Data(write.body.readableBytesView)) as? [String: Bool] == ["success": true])
        #expect(String(buffer: read.body).contains("\"id\":\"\(SandboxIDs.appID)\""))
    }

    // MARK: Instagram Login

    @Test("MB-G16: graph.instagram.com /me?fields=user_id,username answers the account id as user_id, with id")
    func instagramLoginMe() async throws {
        let token = try Self.instagramLoginToken()
        let reply = try await Self.exchange(
            "instagram-login-path", "/v25.0/me", query: "fields=user_id,username", token: token, instagram: true)
        #expect(reply.status == 200)
        #expect(Set(reply.json.keys) == ["user_id", "username", "id"])
        #expect(reply.json["user_id"] as? String == SandboxIDs.instagramAccountID)
    }

    @Test("MB-G15: graph.facebook.com cannot parse an Instagram-Login token: code 190 'Cannot parse access token'")
    func facebookRejectsIGAA() async throws {
        let token = try Self.instagramLoginToken()
        let reply = try await Self.exchange("instagram-login-path", "/v25.0/me", query: "fields=id", token: token)
        #expect(reply.status == 400)
        #expect(reply.error?["code"] as? Int == 190)
        #expect(reply.error?["message"] as? String == "Invalid OAuth access token - Cannot parse access token")
    }

    // MARK: Rate limits

    @Test("MB-G21: a throttled call is HTTP 400 with the code, and X-Business-Use-Case-Usage names the minutes to wait")
    func throttle() async throws {
        let reply = try await Self.exchange(
            "graph-rate-limited", "/v25.0/\(SandboxIDs.wabaID)", query: "fields=id", token: SandboxIDs.systemUserToken)
        #expect(reply.status == 400)
        #expect(reply.error?["code"] as? Int == 4)
        let usage = try #require(reply.header("X-Business-Use-Case-Usage"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(usage.utf8)) as? [String: [[String: Any]]])
        let entry = try #require(object.values.first?.first)
        for key in ["type", "call_count", "total_cputime", "total_time", "estimated_time_to_regain_access"] {
            #expect(entry[key] != nil, "\(key)")
        }
        #expect(entry["estimated_time_to_regain_access"] as? Int == 5)
    }

    // MARK: Ids of another type, and a user's Pages

    @Test(
        "MB-G30: an id read with another type's fields is HTTP 400, OAuthException code 100, '(#100) Tried accessing nonexisting field (f) on node type (T)'",
        arguments: [
            (SandboxIDs.businessID, "id,name,account_review_status", "account_review_status", "Business", SandboxIDs.systemUserToken),
            (SandboxIDs.wabaID, "id,display_phone_number", "display_phone_number", "WhatsAppBusinessAccount", SandboxIDs.systemUserToken),
            (SandboxIDs.instagramAccountID, "id,name,instagram_business_account", "instagram_business_account", "IGUser", SandboxIDs.pageToken),
        ])
    func nonexistingField(id: String, fields: String, field: String, nodeType: String, token: String) async throws {
        let reply = try await Self.exchange("healthy", "/v25.0/\(id)", query: "fields=\(Self.encoded(fields))", token: token)
        #expect(reply.status == 400)
        #expect(reply.error?["message"] as? String == "(#100) Tried accessing nonexisting field (\(field)) on node type (\(nodeType))")
        #expect(reply.error?["type"] as? String == "OAuthException")
        #expect(reply.error?["code"] as? Int == 100)
        #expect(reply.error?["error_subcode"] == nil)
        #expect(reply.error?["fbtrace_id"] is String)
    }

    @Test("MB-G31: /me/accounts with a user token lists its Pages with their access tokens by default; fields=id,name leaves the tokens out")
    func managedPages() async throws {
        let full = try await Self.exchange("healthy", "/v25.0/me/accounts", token: SandboxIDs.userToken)
        let pages = try #require(full.json["data"] as? [[String: Any]])
        #expect(pages.map { $0["id"] as? String } == [SandboxIDs.pageID, SandboxIDs.otherPageID])
        #expect(pages.first?["access_token"] as? String == SandboxIDs.pageToken)
        let paging = try #require(full.json["paging"] as? [String: Any])
        #expect(paging["cursors"] is [String: Any])
        let named = try await Self.exchange(
            "healthy", "/v25.0/me/accounts", query: "fields=\(Self.encoded("id,name"))", token: SandboxIDs.userToken)
        let listed = try #require(named.json["data"] as? [[String: Any]])
        #expect(listed.allSatisfy { Set($0.keys) == ["id", "name"] })
        #expect(listed.first?["name"] as? String == "Sandbox Shop")
    }
    /// Meta's reference sample (Business > owned_whatsapp_business_accounts): `data` of
    /// {id, name, timezone_id, message_template_namespace} and `paging.cursors` {before, after}; it
    /// requires business_management besides whatsapp_business_management. Without it the sandbox
    /// answers Meta's documented permission error, code 200 (the wording is not documented).
    @Test("MB-G44: /{business-id}/owned_whatsapp_business_accounts lists the business's WABAs with business_management, else refuses with 200")
    func ownedWABAs() async throws {
        let path = "/v25.0/\(SandboxIDs.businessID)/owned_whatsapp_business_accounts"
        let full = try await Self.exchange("whatsapp-business-as-waba-admin", path, token: SandboxIDs.systemUserToken)
        #expect(full.status == 200)
        let wabas = try #require(full.json["data"] as? [[String: Any]])
        #expect(wabas.count == 1)
        let waba = try #require(wabas.first)
        #expect(Set(waba.keys) == ["id", "name", "timezone_id", "message_template_namespace"])
        #expect(waba["id"] as? String == "1204000000000001")
        #expect(waba["name"] as? String == "Sandbox Shop")
        #expect(waba["timezone_id"] as? String == "1")
        let cursors = try #require((full.json["paging"] as? [String: Any])?["cursors"] as? [String: Any])
        #expect(cursors["before"] is String && cursors["after"] is String)
        let named = try await Self.exchange(
            "whatsapp-business-as-waba-admin", path, query: "fields=\(Self.encoded("id,name"))", token: SandboxIDs.systemUserToken)
        let listed = try #require(named.json["data"] as? [[String: Any]])
        #expect(listed.map { Set($0.keys) } == [["id", "name"]])

        let refused = try await Self.exchange("whatsapp-business-as-waba-unscoped", path, token: SandboxIDs.systemUserToken)
        #expect(refused.status == 400)
        #expect(refused.error?["code"] as? Int == 200)
        #expect(refused.error?["type"] as? String == "OAuthException")
        #expect(refused.error?["message"] as? String == "(#200) Requires business_management permission to manage the object")
    }
}
