import DoctorKit
import Foundation
import MetaConfig
import MetaGraph

/// `webhook.P.https`: the webhook URL answers over HTTPS with a certificate Meta accepts.
/// On the user's own endpoint, what it does is the verdict: a name that does not resolve, a
/// refused connection or a bad certificate is a failure, because Meta sees the same.
public struct WebhookHTTPSCheck: MetaProbe {
    public let platform: Platform
    static let expiryWarningDays = 14.0

    public static func id(_ platform: Platform) -> CheckID { CheckID("webhook.\(platform.rawValue).https") }

    public var description: CheckDescription {
        CheckDescription(
            id: Self.id(platform),
            title: "The \(platform.displayName) webhook answers over valid HTTPS",
            platform: platform.rawValue,
            prerequisites: [ConfigCheck.id, NgrokTunnelCheck.id],
            guideStep: GuideSteps.webhookHTTPS,
            summary: """
                Connects to the \(platform.displayName) webhook URL: the host must resolve, TCP connect, and TLS validate \
                against the system roots plus --ca-file (expired, not yet valid, self-signed, wrong host name and \
                incomplete chains each fail; expiry within 14 days warns); then an HTTP response must come back (any \
                status). An ngrok error page fails with the code's meaning.
                """,
            calls: ["TLS handshake with the webhook host", "GET {webhook URL} (no query)"],
            remediation: """
                Serve the webhook at a public https URL with a certificate from a trusted CA that names the host and \
                includes the intermediate certificates (Let's Encrypt, or a tunnel such as ngrok).
                """)
    }

    public init(platform: Platform) { self.platform = platform }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        guard let urlText = environment.configuration.webhookURL(for: platform) else {
            return .notApplicable("No \(platform.displayName) webhook URL is configured (WEBHOOK_BASE_URL).")
        }
        guard let url = URLParts(urlText), url.scheme == "https" else {
            return .fail("The \(platform.displayName) webhook URL \(urlText) is not https; Meta calls https only.")
        }
        var evidence: Evidence = ["url": .string(urlText)]
        let inspection: TLSInspection
        do {
            inspection = try await environment.tlsInspector.inspect(host: url.host, port: url.port, timeout: WebhookRequests.timeout)
        } catch {
            return Self.unreachable(error, url: url, evidence: evidence)
        }
        evidence["connectedTo"] = .optional(inspection.connectedAddress)
        evidence["tlsVersion"] = .optional(inspection.tlsVersion)
        if let certificate = inspection.certificate {
            evidence["certificateSubject"] = .string(certificate.subject)
            evidence["certificateIssuer"] = .string(certificate.issuer)
            evidence["certificateExpires"] = .string(certificate.notValidAfter.formatted(.iso8601))
            evidence["certificateNames"] = .strings(certificate.dnsNames)
            evidence["certificateChainLength"] = .int(certificate.chainLength)
        }
        if let problem = inspection.problem {
            return .fail(
                "\(url.host): \(problem); Meta rejects it.", evidence: evidence,
                action: Self.action(for: problem, host: url.host))
        }

        let started = ContinuousClock.now
        let response: HTTPResponse
        do {
            response = try await environment.webTransport.send(
                HTTPRequest(
                    url: urlText, headers: WebhookRequests.headers(for: url), timeout: WebhookRequests.timeout,
                    maxBodyBytes: WebhookRequests.maxBodyBytes))
        } catch {
            return Self.unreachable(error, url: url, evidence: evidence)
        }
        evidence["timeToResponseMs"] = .int(Int(started.duration(to: .now).milliseconds))
        evidence["httpStatus"] = .int(response.status)
        if let code = response.header("ngrok-error-code") {
            evidence["ngrokErrorCode"] = .string(code)
            let meaning = WebhookRequests.ngrokErrorMeaning(code)
            return .fail(meaning.message, evidence: evidence, action: meaning.action, guideStep: GuideSteps.ngrok)
        }
        if let certificate = inspection.certificate {
            let days = certificate.notValidAfter.timeIntervalSince(environment.now()) / 86400
            if days <= Self.expiryWarningDays {
                return .warn(
                    "\(url.host)'s certificate expires on \(certificate.notValidAfter.formatted(.iso8601)), in \(max(0, Int(days))) days.",
                    evidence: evidence, action: "Renew the certificate before it expires (with Let's Encrypt, check that renewal runs).")
            }
        }
        return .pass(
            "\(url.host) answers over \(inspection.tlsVersion ?? "TLS") with a trusted certificate (HTTP \(response.status)).",
            evidence: evidence)
    }

    static func unreachable(_ error: TransportError, url: URLParts, evidence: Evidence) -> ProbeResult {
        switch error {
        case .nameResolution:
            return .fail(
                "\(url.host) does not resolve: Meta cannot reach it either.", evidence: evidence,
                action: "Check the host name in the webhook URL; with ngrok, check that the tunnel runs and its URL is current.")
        case .connection(let detail):
            return .fail(
                "Cannot connect to \(url.authority): \(detail).", evidence: evidence,
                action: "Start the server (or the tunnel) behind \(url.authority), and open the port to the internet.")
        case .timedOut:
            return .fail(
                "\(url.authority) did not answer within \(WebhookRequests.timeout.secondsText).", evidence: evidence,
                action: "Make the endpoint answer quickly; check firewalls that drop instead of refusing.")
        case .tls(let detail):
            return .fail("The TLS handshake with \(url.host) failed: \(detail).", evidence: evidence, action: nil)
        case .bodyTooLarge, .invalidURL, .other:
            return .fail("\(url.authority) did not answer usably: \(error).", evidence: evidence, action: nil)
        }
    }

    static func action(for problem: TLSProblem, host: String) -> String {
        switch problem {
        case .expired: "Renew the certificate for \(host)."
        case .notYetValid: "The certificate's start date is in the future: check the server's clock and reissue it."
        case .wrongHost: "Use a certificate whose names include \(host) (or a matching wildcard)."
        case .selfSigned: "Meta does not accept self-signed certificates: use one from a trusted CA (Let's Encrypt), or a tunnel such as ngrok."
        case .untrustedChain: "Serve the full chain (leaf plus intermediates), from a CA Meta trusts."
        case .handshake: "Serve TLS on this port (a plain HTTP server on 443 fails here)."
        }
    }
}
