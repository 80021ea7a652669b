import HTTPTypes
import HummingbirdTesting
import MetaSandbox
import Testing

/// How the sandbox's Hummingbird routes read paths: as the Graph API reads them (version prefix,
/// object, edge), including the paths no route names. Through the router, no socket.
@Suite("The sandbox routes every path as the Graph API reads it")
struct GraphRoutingTests {
    typealias Exchange = MetaBehaviourTests.Exchange

    static func get(_ path: String, token: String? = SandboxIDs.pageToken) async throws -> Exchange {
        try await MetaBehaviourTests.exchange("healthy", path, token: token)
    }

    @Test("A path deeper than an edge is 2500 naming the components after the object")
    func deeperThanEdge() async throws {
        let reply = try await Self.get("/v25.0/\(SandboxIDs.wabaID)/phone_numbers/extra", token: SandboxIDs.systemUserToken)
        #expect(reply.status == 400)
        #expect(reply.error?["code"] as? Int == 2500)
        #expect(reply.error?["message"] as? String == "Unknown path components: /phone_numbers/extra")
    }

    @Test("A version alone names no object: 2500 for '/'")
    func versionAlone() async throws {
        let reply = try await Self.get("/v25.0")
        #expect(reply.error?["code"] as? Int == 2500)
        #expect(reply.error?["message"] as? String == "Unknown path components: /")
    }

    @Test("A first component that starts with v but is no version is an object id, unversioned")
    func vPrefixedID() async throws {
        let reply = try await Self.get("/vanity/subscribed_apps")
        #expect(reply.status == 400)
        #expect(reply.error?["code"] as? Int == 100)
        #expect((reply.error?["message"] as? String)?.contains("Object with ID 'vanity' does not exist") == true)
        #expect(reply.header("Facebook-Api-Version") == "v25.0", "served with the default version")
    }

    @Test("Path parameters are percent-decoded, and empty components ignored, as Graph reads the path")
    func decoding() async throws {
        let encoded = try await Self.get("/v25.0/%6De?fields=id")
        #expect(encoded.status == 200)
        #expect(encoded.json["id"] as? String == SandboxIDs.pageID)
        let doubled = try await Self.get("/v25.0//me/?fields=id")
        #expect(doubled.json["id"] as? String == SandboxIDs.pageID)
    }

    @Test("The token is checked before the path: an unknown path without a token is 104")
    func tokenBeforePath() async throws {
        let reply = try await Self.get("/v25.0/a/b/c", token: nil)
        #expect(reply.error?["code"] as? Int == 104)
    }

    @Test("Methods Graph clients do not send, and the root, are a plain 404", arguments: [("PUT", "/v25.0/me"), ("GET", "/")])
    func notServed(method: String, path: String) async throws {
        let app = GraphSandbox.application(scenario: SandboxScenarios.healthy)
        let requestMethod = try #require(HTTPRequest.Method(method))
        let response = try await app.test(.router) { client in
            try await client.execute(uri: path, method: requestMethod, headers: [.authorization: "Bearer \(SandboxIDs.pageToken)"])
        }
        #expect(response.status == .notFound)
        #expect(response.headers[.contentType] == nil)
    }
}
