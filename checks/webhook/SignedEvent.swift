import Crypto
import DoctorKit
import Foundation
import MetaConfig
import MetaGraph

/// One test event signed as Meta signs it (MB-W3, MB-W4), and the endpoint's answer. The HTTPS
/// probe delivers it, since an event POST is one of the two requests Meta sends (MB-W2); the
/// signature probe judges the answer and signs its forgeries over the same body.
struct SignedEventDelivery: Sendable {
    let body: [UInt8]
    let eventID: String
    let signatures: EventSignatures
    let response: HTTPResponse
    let elapsed: Duration
}

/// The HTTPS probe's delivery, handed to the signature probe.
enum SignedEventFact: FactKey { typealias Value = SignedEventDelivery }

/// `X-Hub-Signature-256: sha256=<hex>` and `X-Hub-Signature: sha1=<hex>`: lowercase hex HMACs of
/// the exact body bytes, keyed by the app secret (MB-W4).
struct EventSignatures: Sendable {
    let sha256: String
    let sha1: String

    init(body: [UInt8], secret: Secret) {
        let key = SymmetricKey(data: Data(secret.exposedValue.utf8))
        sha256 = "sha256=" + Self.hex(HMAC<SHA256>.authenticationCode(for: body, using: key))
        sha1 = "sha1=" + Self.hex(HMAC<Insecure.SHA1>.authenticationCode(for: body, using: key))
    }

    /// Both headers, as Meta sends them.
    var headers: [(name: String, value: String)] { [("X-Hub-Signature-256", sha256), ("X-Hub-Signature", sha1)] }

    /// A well-formed signature no secret produces for this body.
    static let wrongSHA256 = "sha256=" + String(repeating: "0", count: 64)
    static let wrongSHA1 = "sha1=" + String(repeating: "0", count: 40)

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}

enum SignedEvents {
    /// Builds the platform's test event, signs it with the configured app secret and posts it.
    static func deliver(
        for platform: Platform, to target: WebhookTarget, secret: Secret, _ environment: ProbeEnvironment
    ) async throws(TransportError) -> SignedEventDelivery {
        let nonce = UUID().uuidString.lowercased()
        let body = WebhookTestEvents.body(for: platform, configuration: environment.configuration, now: environment.now(), nonce: nonce)
        let signatures = EventSignatures(body: body, secret: secret)
        let started = ContinuousClock.now
        let response = try await post(body, signatures: signatures.headers, to: target, environment)
        return SignedEventDelivery(
            body: body, eventID: "\(WebhookTestEvents.idPrefix)\(nonce)", signatures: signatures, response: response,
            elapsed: started.duration(to: .now))
    }

    /// Posts `body` as Meta posts events: JSON, with the given signature headers.
    static func post(
        _ body: [UInt8], signatures: [(name: String, value: String)], to target: WebhookTarget, _ environment: ProbeEnvironment
    ) async throws(TransportError) -> HTTPResponse {
        try await environment.webTransport.send(
            HTTPRequest(
                method: "POST", url: target.text,
                headers: WebhookRequests.headers(for: target.parts, extra: [("Content-Type", "application/json")] + signatures),
                body: body, timeout: WebhookRequests.timeout, maxBodyBytes: WebhookRequests.maxBodyBytes))
    }
}

/// A webhook URL, as configured and parsed.
struct WebhookTarget: Sendable {
    let text: String
    let parts: URLParts
}
