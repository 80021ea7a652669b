import Crypto
import DoctorKit
import Foundation
import MetaConfig
import MetaGraph

/// `webhook.P.signature`: the endpoint accepts an event signed as Meta signs it, fast, and rejects
/// unsigned and badly signed ones.
public struct WebhookSignatureCheck: MetaProbe {
    public let platform: Platform
    static let slowAnswer: Duration = .seconds(1)

    public static func id(_ platform: Platform) -> CheckID { CheckID("webhook.\(platform.rawValue).signature") }

    public var description: CheckDescription {
        CheckDescription(
            id: Self.id(platform),
            title: "The \(platform.displayName) webhook checks event signatures",
            platform: platform.rawValue,
            prerequisites: [WebhookHTTPSCheck.id(platform), AppSecretCheck.id],
            guideStep: GuideSteps.webhookSignature,
            summary: """
                POSTs a realistic \(platform.displayName) event that triggers no reply, signed as Meta signs it \
                (X-Hub-Signature-256: sha256=… and X-Hub-Signature: sha1=… over the exact bytes, keyed by the app secret): \
                it must be answered 2xx within 5 s (over 1 s warns). At the same time it posts the event unsigned, and \
                with a bad sha256 next to a valid sha1: accepting either warns (anyone could forge events).
                """,
            calls: ["POST {webhook URL}, three at once: signed, unsigned, bad sha256 next to a valid sha1"],
            remediation: """
                Compute HMAC-SHA256 of the raw request body (the bytes received, never re-serialized JSON) with the app \
                secret, compare it in constant time with X-Hub-Signature-256, answer 200 at once and process later; \
                reject (403) events whose signature is missing or wrong.
                """)
    }

    public init(platform: Platform) { self.platform = platform }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        guard let urlText = configuration.webhookURL(for: platform), let url = URLParts(urlText) else {
            return .notApplicable("No \(platform.displayName) webhook URL is configured.")
        }
        guard let secret = configuration.appSecret else { return .error("The app secret is missing.") }
        let nonce = UUID().uuidString.lowercased()
        let body = WebhookTestEvents.body(for: platform, configuration: configuration, now: environment.now(), nonce: nonce)
        let sha256 = "sha256=" + Self.hex(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.exposedValue.utf8))))
        let sha1 = "sha1=" + Self.hex(HMAC<Insecure.SHA1>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.exposedValue.utf8))))
        var evidence: Evidence = ["eventId": .string("\(WebhookTestEvents.idPrefix)\(nonce)"), "bodyBytes": .int(body.count)]

        // The unsigned and badly signed events are independent of the signed one: all three go at
        // once (one round trip); the forgeries' answers matter only when the signed one is accepted.
        let badSHA256 = "sha256=" + String(repeating: "0", count: 64)
        async let unsignedProbe = try? await post(body, to: (urlText, url), signatures: [], environment)
        async let badSHA256Probe = try? await post(
            body, to: (urlText, url), signatures: [("X-Hub-Signature-256", badSHA256), ("X-Hub-Signature", sha1)], environment)
        let started = ContinuousClock.now
        let signed: HTTPResponse
        do {
            signed = try await post(body, to: (urlText, url), signatures: [("X-Hub-Signature-256", sha256), ("X-Hub-Signature", sha1)], environment)
        } catch {
            return WebhookHTTPSCheck.unreachable(error, url: url, evidence: evidence)
        }
        let elapsed = started.duration(to: .now)
        evidence["signedStatus"] = .int(signed.status)
        evidence["connectedTo"] = .optional(signed.connectedTo)
        evidence["answeredInMs"] = .int(Int(elapsed.milliseconds))
        guard (200..<300).contains(signed.status) else {
            let hint = signed.status == 401 || signed.status == 403
                ? " A rejection here usually means the backend signs with another key than META_APP_SECRET or hashes a re-serialized body."
                : ""
            return .fail(
                "The endpoint answered a correctly signed event with HTTP \(signed.status) and \(WebhookRequests.preview(signed)).\(hint)",
                evidence: evidence, action: description.remediation)
        }

        var warnings: [String] = []
        if let unsigned = await unsignedProbe, (200..<300).contains(unsigned.status) {
            evidence["unsignedStatus"] = .int(unsigned.status)
            warnings.append("it accepts events without a signature (anyone can forge events)")
        }
        if let legacy = await badSHA256Probe, (200..<300).contains(legacy.status)
        {
            evidence["badSha256Status"] = .int(legacy.status)
            warnings.append("it accepts a wrong X-Hub-Signature-256 next to a valid sha1: it checks only the legacy X-Hub-Signature")
        }
        if elapsed > Self.slowAnswer {
            warnings.append("it took \(elapsed.secondsText) to answer; Meta expects fast answers and retries slow ones")
        }
        if !warnings.isEmpty {
            return .warn("The endpoint accepts the signed event, but \(warnings.joined(separator: "; ")).", evidence: evidence, action: description.remediation)
        }
        return .pass("The endpoint accepts signed events (HTTP \(signed.status) in \(elapsed.secondsText)) and rejects forged ones.", evidence: evidence)
    }

    private func post(
        _ body: [UInt8], to target: (text: String, parts: URLParts), signatures: [(name: String, value: String)],
        _ environment: ProbeEnvironment
    ) async throws(TransportError) -> HTTPResponse {
        try await environment.webTransport.send(
            HTTPRequest(
                method: "POST", url: target.text,
                headers: WebhookRequests.headers(for: target.parts, extra: [("Content-Type", "application/json")] + signatures), body: body,
                timeout: WebhookRequests.timeout, maxBodyBytes: WebhookRequests.maxBodyBytes))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
