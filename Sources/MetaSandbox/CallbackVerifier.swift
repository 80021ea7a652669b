import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// What came back from a callback URL to Meta's verification request.
public struct CallbackAnswer: Sendable {
    public let status: Int?
    public let body: String
    /// Why there was no answer (name resolution, connection, TLS, time).
    public let failure: String?
}

/// Sends Meta's verification request (`GET URL?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…`,
/// MB-W1) to a callback URL, as Meta does during `POST /{app-id}/subscriptions` (MB-G28).
public protocol CallbackVerifier: Sendable {
    func verify(callbackURL: String, verifyToken: String, challenge: String) async -> CallbackAnswer
}

/// A sandbox with no webhook backend: every callback is out of reach.
public struct UnreachableCallbacks: CallbackVerifier {
    public init() {}

    public func verify(callbackURL: String, verifyToken: String, challenge: String) async -> CallbackAnswer {
        CallbackAnswer(status: nil, body: "", failure: "Couldn't resolve host name")
    }
}

/// The sandbox world's webhook backend, reached as Meta reaches a callback: the host the scenario's
/// URLs name, its certificate checked against the world's CA; any other host does not resolve.
struct WorldCallbacks: CallbackVerifier {
    let host: String
    let port: Int
    let backendPort: Int
    let caPEM: String

    func verify(callbackURL: String, verifyToken: String, challenge: String) async -> CallbackAnswer {
        guard var components = URLComponents(string: callbackURL), components.scheme == "https",
            components.host?.lowercased() == host.lowercased(), (components.port ?? 443) == port
        else { return CallbackAnswer(status: nil, body: "", failure: "Couldn't resolve host name") }
        components.port = backendPort
        var query = components.queryItems ?? []
        query += [
            URLQueryItem(name: "hub.mode", value: "subscribe"), URLQueryItem(name: "hub.challenge", value: challenge),
            URLQueryItem(name: "hub.verify_token", value: verifyToken),
        ]
        components.queryItems = query
        guard let url = components.url?.absoluteString else { return CallbackAnswer(status: nil, body: "", failure: "Malformed URL") }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let roots = try? NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)) { tls.trustRoots = .certificates(roots) }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow)
        configuration.dnsOverride = [host: "127.0.0.1"]
        configuration.timeout = .init(connect: .seconds(3), read: .seconds(5))
        do {
            // The client is shut down when the verification ends, answered or not.
            return try await HTTPClient.withHTTPClient(configuration: configuration) { client in
                var request = HTTPClientRequest(url: url)
                request.headers.add(name: "User-Agent", value: "facebookplatform/1.0 (+http://developers.facebook.com)")
                let response = try await client.execute(request, timeout: .seconds(5))
                let body = try await response.body.collect(upTo: 64 * 1024)
                return CallbackAnswer(status: Int(response.status.code), body: String(buffer: body), failure: nil)
            }
        } catch {
            return CallbackAnswer(status: nil, body: "", failure: "\(error)")
        }
    }
}

/// A verifier bound once the world's webhook backend listens (the Graph sandbox starts first).
final class LateCallbacks: CallbackVerifier {
    private let bound = Mutex<(any CallbackVerifier)?>(nil)

    func bind(_ verifier: any CallbackVerifier) { bound.withLock { $0 = verifier } }

    func verify(callbackURL: String, verifyToken: String, challenge: String) async -> CallbackAnswer {
        let verifier: any CallbackVerifier = bound.withLock { $0 } ?? UnreachableCallbacks()
        return await verifier.verify(callbackURL: callbackURL, verifyToken: verifyToken, challenge: challenge)
    }
}
