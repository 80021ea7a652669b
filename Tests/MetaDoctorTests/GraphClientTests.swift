import DoctorKit
import Foundation
import MetaConfig
import MetaGraph
import Synchronization
import Testing

/// Answers from a script and records what was sent: a mock of the HTTP layer, for unit tests of
/// the client's own logic (the sandbox tests cover the wire).
final class ScriptedTransport: HTTPTransport {
    private let replies: Mutex<[Result<HTTPResponse, TransportError>]>
    private let sent = Mutex<[HTTPRequest]>([])

    init(_ replies: [Result<HTTPResponse, TransportError>]) { self.replies = Mutex(replies) }

    var requests: [HTTPRequest] { sent.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        sent.withLock { $0.append(request) }
        let next = replies.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        guard let next else { throw .other("no scripted reply left") }
        return try next.get()
    }
}

func json(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> Result<HTTPResponse, TransportError> {
    .success(HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(body.utf8)))
}

func client(_ transport: ScriptedTransport, secret: String? = "app-secret-value") -> GraphClient {
    GraphClient(
        transport: transport, baseURL: "https://graph.example.test", version: "v25.0", appSecret: secret.map(Secret.init),
        sleep: { _ in })
}

/// The calls these tests make, through the same call values the probes use, with the given
/// secrets as the run's credentials.
extension GraphClient {
    func appAccessToken(appID: String, appSecret: Secret) async throws(GraphError) -> Secret {
        let reply = try await GraphCalls.clientCredentials(appID: appID)
            .perform(with: self, credentials: GraphCredentials(appID: appID, secrets: [.appSecret: appSecret]))
        return Secret(reply.accessToken)
    }

    /// debug_token of `input` with the app token `APP_ID|APP_SECRET` made of `appID` and `appSecret`.
    func debugToken(_ input: Secret, appID: String, appSecret: String) async throws(GraphError) -> DebugTokenInfo {
        try await GraphCalls.debugToken(.pageToken)
            .perform(with: self, credentials: GraphCredentials(appID: appID, secrets: [.pageToken: input, .appSecret: Secret(appSecret)]))
    }

    func me(token: Secret) async throws(GraphError) -> NamedNode {
        try await GraphCalls.me(.pageToken).perform(with: self, credentials: GraphCredentials(appID: "1", secrets: [.pageToken: token]))
    }

    func appSubscriptions(_ appID: String, appSecret: String) async throws(GraphError) -> [AppSubscription] {
        try await GraphCalls.appSubscriptions(appID)
            .perform(with: self, credentials: GraphCredentials(appID: appID, secrets: [.appSecret: Secret(appSecret)]))
    }
}

@Suite("The Graph API client")
struct GraphClientTests {
    @Test("A refused connection reads as the system's words, without NIO's nested brackets or errno")
    func refusedConnection() async throws {
        let transport = try AHCTransport(settings: AHCTransport.Settings())
        let outcome: Result<HTTPResponse, TransportError>
        do throws(TransportError) {
            outcome = .success(try await transport.send(HTTPRequest(url: "http://127.0.0.1:9/v25.0/me", timeout: .seconds(5))))
        } catch {
            outcome = .failure(error)
        }
        await transport.shutdown()
        guard case .failure(.connection(let detail)) = outcome else {
            Issue.record("expected a refused connection, got \(outcome)")
            return
        }
        #expect(detail == "Connection refused")
    }

    /// A test or an error path that throws between making a transport and shutting it down drops
    /// it: AsyncHTTPClient stops a debug build (this test process) when a client is released while
    /// still running, so without the transport's own close this test crashes the whole run.
    @Test("A transport dropped without shutdown() closes its clients itself, after it was used, with a proxy too")
    func droppedWithoutShutdown() async throws {
        for proxy in [nil, ProxySettings(host: "127.0.0.1", port: 9, noProxy: [])] {
            let transport = try AHCTransport(settings: AHCTransport.Settings(proxy: proxy))
            _ = try? await transport.send(HTTPRequest(url: "http://127.0.0.1:9/v25.0/me", timeout: .seconds(5)))
        }
        // Dropped twice; the process is still here to record the pass.
    }

    @Test("The client-credentials exchange is a POST form: the secret never in the URL")
    func appTokenIsAPostForm() async throws {
        let transport = ScriptedTransport([json(200, #"{"access_token":"123|opaque","token_type":"bearer"}"#)])
        let token = try await client(transport).appAccessToken(appID: "123", appSecret: Secret("app-secret-value"))
        #expect(token.exposedValue == "123|opaque")
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url == "https://graph.example.test/v25.0/oauth/access_token")
        #expect(String(decoding: request.body ?? [], as: UTF8.self).contains("client_secret=app-secret-value"))
    }

    @Test("debug_token is Meta's documented GET: the inspected token in the query, the app token in the header, no method override")
    func debugTokenForm() async throws {
        let transport = ScriptedTransport([json(200, #"{"data":{"app_id":"1","type":"PAGE","is_valid":true,"scopes":["pages_messaging"]}}"#)])
        let info = try await client(transport).debugToken(Secret("EAAinput"), appID: "1", appSecret: "apptoken")
        #expect(info.type == .page)
        let request = try #require(transport.requests.first)
        #expect(request.method == "GET")
        #expect(request.url == "https://graph.example.test/v25.0/debug_token?input_token=EAAinput")
        #expect(request.body == nil)
        #expect(request.header("Authorization") == "Bearer 1|apptoken")
        #expect(!request.url.contains("apptoken") && !request.url.contains("method="))
    }

    @Test("debug_token's 400 code 100 'did not match the Viewing App' is a token of another app, not a transient error")
    func debugTokenOtherApp() async throws {
        // Meta's reply, as captured in public issue threads (docs/meta-behaviour.md MB-G2).
        let reply = #"{"error":{"message":"(#100) The App_id in the input_token did not match the Viewing App","type":"OAuthException","code":100,"fbtrace_id":"AbCdEf12345"}}"#
        let transport = ScriptedTransport([json(400, reply)])
        do {
            _ = try await client(transport).debugToken(Secret("EAAinput"), appID: "1", appSecret: "apptoken")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .tokenOfAnotherApp)
            #expect(!error.kind.isCouldNotVerify)
            #expect(error.fbtraceID == "AbCdEf12345")
        }
        #expect(transport.requests.count == 1, "a definitive refusal is not retried")
    }

    @Test("Code 102 (API Session) is a token problem, not 'could not verify'")
    func apiSessionIsTokenProblem() {
        let body = GraphErrorBody(message: "API Session", type: "OAuthException", code: 102)
        let kind = GraphError.classify(endpoint: "/v25.0/me", body: body, httpStatus: 400)
        #expect(kind == .invalidToken)
        #expect(!kind.isCouldNotVerify)
    }

    @Test(
        "MB-G30: the node type of '(#100) Tried accessing nonexisting field (f) on node type (T)' is read; other errors have none",
        arguments: [
            ("(#100) Tried accessing nonexisting field (message_templates) on node type (Business)", 100, "Business"),
            ("(#100) Tried accessing nonexisting field (accounts) on node type (Page)", 100, "Page"),
            ("(#100) Tried accessing nonexisting field (x) on node type (Bad Type)", 100, nil),
            ("Unsupported get request. Object with ID '1' does not exist", 100, nil),
            ("(#100) Tried accessing nonexisting field (x) on node type (Page)", 200, nil),
        ] as [(String, Int, String?)])
    func nodeType(message: String, code: Int, expected: String?) {
        let error = GraphError(
            kind: .invalidParameter, message: message, body: GraphErrorBody(message: message, type: "OAuthException", code: code),
            httpStatus: 400, endpoint: "/v25.0/1")
        #expect(error.nodeTypeOfNonexistingField == expected)
    }

    @Test("A user-type token carries appsecret_proof, the HMAC-SHA256 of the token keyed by the app secret")
    func appSecretProof() async throws {
        let transport = ScriptedTransport([json(200, #"{"id":"42","name":"Page"}"#)])
        _ = try await client(transport).me(token: Secret("EAApagetoken"))
        let request = try #require(transport.requests.first)
        // echo -n EAApagetoken | openssl dgst -sha256 -hmac app-secret-value
        let expected = GraphClient.appSecretProof(token: Secret("EAApagetoken"), appSecret: Secret("app-secret-value"))
        #expect(expected.count == 64 && expected == expected.lowercased())
        #expect(request.url.contains("appsecret_proof=\(expected)"))
        #expect(request.header("Authorization") == "Bearer EAApagetoken")
        #expect(!request.url.contains("EAApagetoken"))
    }

    @Test("The proof matches a known HMAC-SHA256 vector")
    func proofVector() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        #expect(
            GraphClient.appSecretProof(token: Secret("what do ya want for nothing?"), appSecret: Secret("Jefe"))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test(
        "Meta's errors are classified by endpoint and code, not by HTTP status",
        arguments: [
            ("/oauth/access_token", #"{"error":{"message":"Error validating client secret.","type":"OAuthException","code":1,"fbtrace_id":"F0n"}}"#, GraphErrorKind.badClientSecret),
            ("/me", #"{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463}}"#, .expiredToken),
            ("/me", #"{"error":{"message":"Invalid OAuth access token - Cannot parse access token","type":"OAuthException","code":190}}"#, .invalidToken),
            ("/me", #"{"error":{"message":"(#200) Permissions error","type":"OAuthException","code":200}}"#, .permissionMissing),
            ("/me", #"{"error":{"message":"(#10) Requires pages_messaging","type":"OAuthException","code":10}}"#, .permissionMissing),
            ("/me", #"{"error":{"message":"Unsupported get request.","type":"GraphMethodException","code":100,"error_subcode":33}}"#, .invalidParameter),
            ("/me", #"{"error":{"message":"Invalid appsecret_proof provided in the API argument","type":"GraphMethodException","code":100}}"#, .invalidParameter),
            ("/oauth/access_token", #"{"error":{"message":"Error validating application. Invalid application ID.","type":"OAuthException","code":101}}"#, .unknownApp),
            ("/me", #"{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4}}"#, .rateLimited),
            ("/me", #"{"error":{"message":"(#80001) There have been too many calls","type":"OAuthException","code":80001}}"#, .rateLimited),
            ("/me", #"{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429}}"#, .rateLimited),
        ])
    func classification(path: String, body: String, expected: GraphErrorKind) async throws {
        let transport = ScriptedTransport(Array(repeating: json(400, body), count: 3))
        let graph = client(transport)
        do {
            if path == "/oauth/access_token" {
                _ = try await graph.appAccessToken(appID: "1", appSecret: Secret("x"))
            } else {
                _ = try await graph.me(token: Secret("EAAx"))
            }
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == expected)
            if expected == .badClientSecret {
                #expect(transport.requests.count == 1, "a wrong secret is not retried")
                #expect(error.fbtraceID == "F0n")
            }
        }
    }

    @Test("Transient errors are retried: 5xx twice, then success, makes 3 requests")
    func retriesTransient() async throws {
        let failure = json(500, #"{"error":{"message":"An unexpected error has occurred.","type":"OAuthException","code":2,"is_transient":true}}"#)
        let transport = ScriptedTransport([failure, failure, json(200, #"{"id":"42","name":"Page"}"#)])
        let node = try await client(transport).me(token: Secret("EAAx"))
        #expect(node.id == "42")
        #expect(transport.requests.count == 3)
    }

    @Test("Retries stop after 3 attempts and report them")
    func retryBudget() async throws {
        let failure = json(503, "<html><body>Service unavailable</body></html>")
        let transport = ScriptedTransport(Array(repeating: failure, count: 5))
        await #expect {
            try await client(transport).me(token: Secret("EAAx"))
        } throws: { error in
            guard let error = error as? GraphError else { return false }
            return error.kind == .transient && error.attempts == 3 && error.message.contains("HTML page")
        }
        #expect(transport.requests.count == 3)
    }

    @Test("A rate limit whose wait passes the deadline ends at once, with the wait in the message")
    func rateLimitBeyondDeadline() async throws {
        let limited = json(
            400, #"{"error":{"message":"(#80001) There have been too many calls to this Page account.","type":"OAuthException","code":80001}}"#,
            headers: [("X-Business-Use-Case-Usage", #"{"42":[{"type":"pages","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":5}]}"#)])
        let transport = ScriptedTransport([limited, limited])
        await #expect {
            try await client(transport).until(.now.advanced(by: .seconds(5))).me(token: Secret("EAAx"))
        } throws: { error in
            guard let error = error as? GraphError else { return false }
            return error.kind == .rateLimited && error.minutesToRegainAccess == 5 && error.message.contains("300 s")
                && error.usage["X-Business-Use-Case-Usage"] != nil
        }
        #expect(transport.requests.count == 1)
    }

    @Test(
        "Replies that are not the documented JSON are unexpected replies",
        arguments: ["not json at all", #"{"truncated":"#, #"{"data":"not a list"}"#, "<!DOCTYPE html><html></html>"])
    func unexpectedReply(body: String) async throws {
        let transport = ScriptedTransport([json(200, body)])
        await #expect {
            try await client(transport).appSubscriptions("1", appSecret: "x")
        } throws: { error in (error as? GraphError)?.kind == .unexpectedReply }
    }

    @Test("A connection failure is a network error after the retry budget, never a misconfiguration")
    func networkFailure() async throws {
        let transport = ScriptedTransport(Array(repeating: .failure(.connection("Connection refused")), count: 3))
        await #expect {
            try await client(transport).me(token: Secret("EAAx"))
        } throws: { error in
            guard let error = error as? GraphError else { return false }
            return error.kind == .network && error.kind.isCouldNotVerify
        }
    }
}

@Suite("HTTPS_PROXY and NO_PROXY")
struct ProxySettingsTests {
    @Test("HTTPS_PROXY (or https_proxy) names the proxy; NO_PROXY hosts and their subdomains bypass it")
    func proxy() throws {
        let settings = try #require(ProxySettings(environment: ["https_proxy": "http://proxy.internal:3128", "NO_PROXY": "localhost, .example.com,127.0.0.1"]))
        #expect(settings.host == "proxy.internal" && settings.port == 3128)
        #expect(settings.bypasses("localhost") && settings.bypasses("api.example.com") && settings.bypasses("example.com"))
        #expect(!settings.bypasses("graph.facebook.com"))
        #expect(ProxySettings(environment: [:]) == nil)
        #expect(try #require(ProxySettings(environment: ["HTTPS_PROXY": "proxy:8080", "NO_PROXY": "*"])).bypasses("graph.facebook.com"))
    }
}
