import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import Synchronization

/// A request a webhook backend received, for tests that assert on what the doctor sent.
public struct ReceivedWebhookRequest: Sendable {
    public let method: String
    public let path: String
    public let query: String?
    public let headers: [(name: String, value: String)]
    public let body: String
}

/// A webhook backend served over real TLS on loopback, behaving as `behavior` says.
public final class WebhookBackend: Sendable {
    public let port: Int
    private let server: LoopbackServer
    private let log: RequestLog

    /// Starts a backend whose certificate names `host` (as `variant` says), verifying events with
    /// `appSecret` and verification requests with `verifyToken`.
    public static func start(
        host: String, behavior: WebhookBehavior, certificate variant: SandboxPKI.Variant = .valid, pki: SandboxPKI,
        appSecret: String, verifyToken: String, latency: Duration = .zero
    ) async throws -> WebhookBackend {
        let log = RequestLog()
        let router = Router(context: BasicRequestContext.self)
        let handler = WebhookHandler(
            behavior: behavior, appSecret: appSecret, verifyToken: verifyToken, host: host, latency: latency, log: log)
        router.get("**") { request, _ in try await handler.respond(to: request) }
        router.post("**") { request, _ in try await handler.respond(to: request) }
        router.get("/") { request, _ in try await handler.respond(to: request) }
        router.post("/") { request, _ in try await handler.respond(to: request) }
        let tls = try pki.serverTLS(host: host, variant: variant)
        let server = try await LoopbackServer.start(router: router, server: try HTTPServerBuilder.tls(HTTPServerBuilder.http1(), tlsConfiguration: tls))
        return WebhookBackend(port: server.port, server: server, log: log)
    }

    private init(port: Int, server: LoopbackServer, log: RequestLog) {
        self.port = port
        self.server = server
        self.log = log
    }

    public func requests() -> [ReceivedWebhookRequest] { log.all }

    public func stop() async { await server.stop() }
}

/// Requests received, in order.
final class RequestLog: Sendable {
    private let entries = Mutex<[ReceivedWebhookRequest]>([])
    func append(_ request: ReceivedWebhookRequest) { entries.withLock { $0.append(request) } }
    var all: [ReceivedWebhookRequest] { entries.withLock { $0 } }
}

/// The behaviours, as HTTP.
struct WebhookHandler: Sendable {
    let behavior: WebhookBehavior
    let appSecret: String
    let verifyToken: String
    let host: String
    let latency: Duration
    let log: RequestLog

    func respond(to request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        if latency > .zero { try await Task.sleep(for: latency) }
        let bodyBytes = Array(body.readableBytesView)
        log.append(
            ReceivedWebhookRequest(
                method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
                headers: request.headers.map { ($0.name.rawName, $0.value) }, body: String(decoding: bodyBytes, as: UTF8.self)))
        if case .ngrokError(let code) = behavior { return Self.ngrokErrorPage(code) }
        if behavior == .ngrokBrowserWarning, Self.looksLikeABrowser(request.headers),
            request.headers[HTTPField.Name("ngrok-skip-browser-warning")!] == nil
        {
            return Self.ngrokErrorPage("ERR_NGROK_6024")
        }
        if behavior == .redirect {
            return Response(status: .movedPermanently, headers: [.location: "https://\(host)/moved\(request.uri.path)"])
        }
        if behavior == .notFound { return text(.notFound, "Not Found") }
        return request.method == .post ? try await event(request, bodyBytes) : try await verification(request)
    }

    private func verification(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        guard query.get("hub.mode") == "subscribe", let challenge = query.get("hub.challenge") else {
            if behavior == .silentWithoutHubParameters {
                // `if (mode && token) { … }` with no else: no reply, until the client gives up.
                try await Task.sleep(for: .seconds(3600))
            }
            return text(.ok, "meta-doctor sandbox webhook")
        }
        let token = query.get("hub.verify_token")
        switch behavior {
        case .wrongVerifyToken: return text(.forbidden, "Forbidden")
        case .jsonChallenge:
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "\"\(challenge)\"")))
        case .htmlPage:
            return Response(
                status: .ok, headers: [.contentType: "text/html"],
                body: .init(byteBuffer: ByteBuffer(string: "<!DOCTYPE html><html><body><h1>Welcome</h1></body></html>")))
        case .slow:
            try await Task.sleep(for: .seconds(6))
            return text(.ok, challenge)
        case .acceptsAnyVerifyToken: return text(.ok, challenge)
        default: return token == verifyToken ? text(.ok, challenge) : text(.forbidden, "Forbidden")
        }
    }

    private func event(_ request: Request, _ body: [UInt8]) async throws -> Response {
        let sha256 = request.headers[HTTPField.Name("X-Hub-Signature-256")!]
        let sha1 = request.headers[HTTPField.Name("X-Hub-Signature")!]
        let key = SymmetricKey(data: Data(appSecret.utf8))
        let valid256 = sha256.map { Self.matches($0, prefix: "sha256=", expected: Array(HMAC<SHA256>.authenticationCode(for: body, using: key))) } ?? false
        let valid1 = sha1.map { Self.matches($0, prefix: "sha1=", expected: Array(HMAC<Insecure.SHA1>.authenticationCode(for: body, using: key))) } ?? false
        let accepted: Bool
        switch behavior {
        case .rejectsValidSignatures: accepted = false
        case .acceptsUnsigned: accepted = sha256 == nil || valid256
        case .checksOnlySHA1: accepted = valid1
        case .checksNoSignature: accepted = true
        case .crashesOnUnsigned:
            guard sha256 != nil else { return text(.internalServerError, "TypeError: Cannot read properties of undefined (reading 'split')") }
            accepted = valid256
        case .serverErrorOnEvents: return text(.internalServerError, "Internal Server Error")
        case .slowEvents:
            try await Task.sleep(for: .milliseconds(1500))
            accepted = valid256
        default: accepted = valid256
        }
        return accepted ? text(.ok, "EVENT_RECEIVED") : text(.forbidden, "invalid signature")
    }

    /// ngrok's edge answers its errors with an HTML page and the code in `ngrok-error-code`
    /// (MB-W11, MB-W12). The statuses: 404 for an offline endpoint, 502 when the upstream fails,
    /// 200 for the browser warning.
    static func ngrokErrorPage(_ code: String) -> Response {
        let status: HTTPResponse.Status = switch code {
        case "ERR_NGROK_3200": .notFound
        case "ERR_NGROK_8012", "ERR_NGROK_3004": .badGateway
        default: .ok
        }
        var headers = HTTPFields()
        headers[HTTPField.Name("ngrok-error-code")!] = code
        headers[.contentType] = "text/html"
        return Response(
            status: status, headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: "<!DOCTYPE html><html><body>\(code)</body></html>")))
    }

    /// What ngrok's browser warning keys on: a User-Agent of a browser (MB-W12).
    static func looksLikeABrowser(_ headers: HTTPFields) -> Bool {
        headers[.userAgent]?.hasPrefix("Mozilla/") == true
    }

    /// Constant-time comparison of a `sha256=<hex>` header with the expected MAC.
    static func matches(_ header: String, prefix: String, expected: [UInt8]) -> Bool {
        guard header.hasPrefix(prefix) else { return false }
        let hex = header.dropFirst(prefix.count)
        var received: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return false }
            received.append(byte)
            index = next
        }
        guard received.count == expected.count else { return false }
        return zip(received, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
