import Foundation
import Hummingbird
import NIOCore

/// The local ngrok agent API (`GET /api/tunnels`), as ngrok v3 answers it.
public final class NgrokAgent: Sendable {
    public struct Tunnel: Sendable {
        public let publicURL: String
        public let forwardsTo: String
        public init(publicURL: String, forwardsTo: String) {
            self.publicURL = publicURL
            self.forwardsTo = forwardsTo
        }
    }

    public let port: Int
    private let server: LoopbackServer

    public var apiURL: String { "http://127.0.0.1:\(port)" }

    public static func start(tunnels: [Tunnel]) async throws -> NgrokAgent {
        let router = Router(context: BasicRequestContext.self)
        router.get("/api/tunnels") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: Self.tunnelList(tunnels))))
        }
        let server = try await LoopbackServer.start(router: router)
        return NgrokAgent(port: server.port, server: server)
    }

    private init(port: Int, server: LoopbackServer) {
        self.port = port
        self.server = server
    }

    public func stop() async { await server.stop() }

    /// The tunnel list as ngrok documents it (MB-W10): `{"tunnels":[{name, ID, uri, public_url, proto,
    /// config{addr, inspect}, metrics}], "uri":"/api/tunnels"}`.
    static func tunnelList(_ tunnels: [Tunnel]) -> String {
        let items: [[String: Any]] = tunnels.enumerated().map { index, tunnel in
            [
                "name": index == 0 ? "command_line" : "tunnel-\(index)", "ID": String(format: "%032x", index + 1),
                "uri": "/api/tunnels/\(index == 0 ? "command_line" : "tunnel-\(index)")", "public_url": tunnel.publicURL,
                "proto": "https", "config": ["addr": tunnel.forwardsTo, "inspect": true],
                "metrics": ["conns": ["count": 0, "gauge": 0], "http": ["count": 0]],
            ]
        }
        let data = (try? JSONSerialization.data(withJSONObject: ["tunnels": items, "uri": "/api/tunnels"], options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
