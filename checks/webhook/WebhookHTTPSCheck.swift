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
                incomplete chains each fail; expiry within 14 days warns). Then it posts one test event signed as Meta \
                signs it, the request Meta sends most: an HTTP answer must come back (any status, which the signature \
                check judges). An ngrok error page fails with the code's meaning. A plain-http or loopback URL fails at \
                once: Meta cannot reach it.
                """,
            calls: ["TLS handshake with the webhook host", "POST {webhook URL}: a test event signed as Meta signs it"],
            remediation: """
                Serve the webhook at a public https URL with a certificate from a trusted CA that names the host and \
                includes the intermediate certificates (Let's Encrypt, or a tunnel such as ngrok).
                """)
    }

    public init(platform: Platform) { self.platform = platform }

    /// A URL Meta cannot call at all: plain http (Meta calls https only) or a loopback address
    /// (this machine only). Only the webhook checks depend on this one, so the token checks still run.
    static func unreachableByMeta(_ url: URLParts, text: String, platform: Platform) -> ProbeResult? {
        let expose = "Expose the server at a public https URL (a tunnel such as ngrok, step 18, or a host with a certificate), then set WEBHOOK_BASE_URL (or \(platform.webhookKey.name)) to it."
        if url.scheme != "https" {
            return .fail(
                "The \(platform.displayName) webhook URL \(text) is \(url.scheme)://: Meta cannot reach it, as Meta calls https URLs only.",
                evidence: ["url": .string(text)], action: expose)
        }
        if url.isLoopback {
            return .fail(
                "The \(platform.displayName) webhook URL \(text) names \(url.host), a loopback address: Meta cannot reach it, since it means this machine to whoever connects.",
                evidence: ["url": .string(text)], action: expose, guideStep: GuideSteps.ngrok)
        }
        return nil
    }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        guard let urlText = environment.configuration.webhookURL(for: platform) else {
            return .notApplicable("No \(platform.displayName) webhook URL is configured (WEBHOOK_BASE_URL).")
        }
        guard let url = URLParts(urlText) else {
            return .fail("The \(platform.displayName) webhook URL \(urlText) is not a URL with a host.")
        }
        if let unreachable = Self.unreachableByMeta(url, text: urlText, platform: platform) { return unreachable }
        var evidence: Evidence = ["url": .string(urlText)]
        guard let secret = environment.configuration.appSecret else { return .error("The app secret is missing.") }
        // The signed event goes at the same time as the certificate is inspected (one round trip);
        // its answer counts only once the certificate passed.
        let platform = platform
        async let posted: Result<SignedEventDelivery, TransportError> = {
            do throws(TransportError) {
                return .success(
                    try await SignedEvents.deliver(for: platform, to: WebhookTarget(text: urlText, parts: url), secret: secret, environment))
            } catch {
                return .failure(error)
            }
        }()
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
            evidence["certificateNames"] = .strings(certificate.names)
            evidence["certificateChainLength"] = .int(certificate.chainLength)
        }
        if let problem = inspection.problem {
            return .fail(
                "\(url.host): \(problem); Meta rejects it.", evidence: evidence,
                action: Self.action(for: problem, host: url.host))
        }

        // The HTTP exchange is one Meta makes (MB-W2): a signed event, which every backend answers
        // somehow. Its status is evidence for the signature probe to judge; what fails here is no
        // HTTP answer at all, or ngrok's own error page in place of the backend's (MB-W11).
        let delivery: SignedEventDelivery
        switch await posted {
        case .success(let value): delivery = value
        case .failure(let error): return Self.unreachable(error, url: url, evidence: evidence)
        }
        let response = delivery.response
        evidence["timeToResponseMs"] = .int(Int(delivery.elapsed.milliseconds))
        evidence["signedEventStatus"] = .int(response.status)
        if let code = response.header("ngrok-error-code") {
            evidence["ngrokErrorCode"] = .string(code)
            let meaning = WebhookRequests.ngrokErrorMeaning(code)
            return .fail(meaning.message, evidence: evidence, action: meaning.action, guideStep: GuideSteps.ngrok)
        }
        let facts = Facts().with(SignedEventFact.self, delivery)
        if let certificate = inspection.certificate {
            let days = certificate.notValidAfter.timeIntervalSince(environment.now()) / 86400
            if days <= Self.expiryWarningDays {
                return .warn(
                    "\(url.host)'s certificate expires on \(certificate.notValidAfter.formatted(.iso8601)), \(TokenInspection.distance(to: certificate.notValidAfter, from: environment.now())).",
                    evidence: evidence, action: "Renew the certificate before it expires (with Let's Encrypt, check that renewal runs).",
                    facts: facts)
            }
        }
        return .pass(
            "\(url.host) answers over \(inspection.tlsVersion ?? "TLS") with a trusted certificate (HTTP \(response.status) to a signed test event).",
            evidence: evidence, facts: facts)
    }

    /// The verdict when no HTTP answer came back: one sentence whose subject is the endpoint.
    static func unreachable(_ error: TransportError, url: URLParts, evidence: Evidence) -> ProbeResult {
        let failure = WebhookRequests.failure(error)
        switch error {
        case .nameResolution:
            let ngrok = WebhookRequests.isNgrokHost(url.host)
            return .fail(
                "\(url.host) \(failure): Meta cannot reach it either.", evidence: evidence,
                action: ngrok
                    ? "Start the ngrok tunnel, or set WEBHOOK_BASE_URL to the URL it serves now (a free static ngrok-free.dev domain survives restarts)."
                    : "Check the host name in the webhook URL.",
                guideStep: ngrok ? GuideSteps.ngrok : nil)
        case .connection:
            return .fail(
                "\(url.authority) \(failure).", evidence: evidence,
                action: "Start the server (or the tunnel) behind \(url.authority), and open the port to the internet.")
        case .timedOut:
            return .fail(
                "\(url.authority) \(failure).", evidence: evidence,
                action: "Make the endpoint answer quickly; check firewalls that drop instead of refusing.")
        case .tls, .bodyTooLarge, .invalidURL, .other:
            return .fail("\(url.authority) \(failure).", evidence: evidence, action: nil)
        }
    }

    static func action(for problem: TLSProblem, host: String) -> String {
        switch problem {
        case .expired: "Renew the certificate for \(host)."
        case .notYetValid: "The certificate's start date is in the future: check the server's clock and reissue it."
        case .wrongHost where host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }):
            "Use a certificate that lists the IP address \(host), or call the webhook by a host name its certificate covers."
        case .wrongHost: "Use a certificate whose names include \(host) (or a matching wildcard)."
        case .selfSigned: "Meta does not accept self-signed certificates: use one from a trusted CA (Let's Encrypt), or a tunnel such as ngrok."
        case .untrustedChain: "Serve the full chain (leaf plus intermediates), from a CA Meta trusts."
        case .handshake: "Serve TLS on this port (a plain HTTP server on 443 fails here)."
        }
    }
}
