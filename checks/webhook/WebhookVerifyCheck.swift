import DoctorKit
import Foundation
import MetaConfig
import MetaGraph

/// `webhook.P.verify`: the endpoint answers Meta's verification request as Meta expects: 200 with
/// the raw challenge, for the right verify token only (MB-W1); no redirect followed (MB-W8).
public struct WebhookVerifyCheck: MetaProbe {
    public let platform: Platform

    public static func id(_ platform: Platform) -> CheckID { CheckID("webhook.\(platform.rawValue).verify") }

    public var description: CheckDescription {
        CheckDescription(
            id: Self.id(platform),
            title: "The \(platform.displayName) webhook answers the verification request",
            platform: platform.rawValue,
            prerequisites: [WebhookHTTPSCheck.id(platform)],
            guideStep: GuideSteps.webhookVerify,
            summary: """
                Sends the verification GET Meta sends (hub.mode=subscribe, the configured verify token, a random numeric \
                hub.challenge): the answer must be 200 with exactly the challenge as the body. At the same time it sends a \
                wrong token: echoing that challenge too warns (the endpoint accepts any verify token).
                """,
            calls: ["GET {webhook URL}?hub.mode=subscribe&hub.verify_token=…&hub.challenge=N (right and wrong token, at once)"],
            remediation: """
                On GET, compare hub.verify_token with META_VERIFY_TOKEN; if equal answer 200 with the hub.challenge value \
                as plain text (no JSON, no HTML), else 403.
                """)
    }

    public init(platform: Platform) { self.platform = platform }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        guard let urlText = environment.configuration.webhookURL(for: platform), let url = URLParts(urlText) else {
            return .notApplicable("No \(platform.displayName) webhook URL is configured.")
        }
        guard let token = environment.configuration.verifyToken else {
            return .notApplicable("No verify token is configured (META_VERIFY_TOKEN).")
        }
        let challenge = String(UInt64.random(in: 1_000_000_000...9_999_999_999))
        var evidence: Evidence = ["path": .string(url.pathAndQuery), "challengeLength": .int(challenge.count)]
        // The wrong-token request is independent of the right one: both go at once (one round trip);
        // its answer matters only when the right token passes.
        let wrongChallenge = String(UInt64.random(in: 1_000_000_000...9_999_999_999))
        let wrongToken = "meta-doctor-wrong-\(UInt64.random(in: 100_000...999_999))"
        async let wrongTokenProbe = try? await send(url: urlText, parts: url, token: wrongToken, challenge: wrongChallenge, environment)
        let response: HTTPResponse
        do {
            response = try await send(url: urlText, parts: url, token: token.exposedValue, challenge: challenge, environment)
        } catch {
            return WebhookHTTPSCheck.unreachable(error, url: url, evidence: evidence)
        }
        evidence["httpStatus"] = .int(response.status)
        evidence["connectedTo"] = .optional(response.connectedTo)
        let body = response.bodyText
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        switch response.status {
        case 200 where body == challenge:
            break
        case 200 where trimmed == challenge:
            return .fail(
                "The endpoint echoes the challenge with surrounding whitespace; Meta expects exactly the challenge.", evidence: evidence,
                action: "Answer with the hub.challenge value and nothing else (no newline).")
        case 200 where trimmed == "\"\(challenge)\"" || (trimmed.hasPrefix("{") && trimmed.contains(challenge)):
            return .fail(
                "The endpoint answers the challenge inside JSON (\(WebhookRequests.preview(response))); Meta expects the raw value.",
                evidence: evidence, action: "Send the challenge as plain text, e.g. res.send(challenge) rather than res.json(challenge).")
        case 200 where trimmed.lowercased().hasPrefix("<"):
            return .fail(
                "The endpoint answers with an HTML page, not the challenge.", evidence: evidence,
                action: "Route GET \(url.pathAndQuery) to your webhook handler (a framework's default page or a login wall answers instead).")
        case 200:
            return .fail(
                "The endpoint answers 200 with \(WebhookRequests.preview(response)), not the challenge.", evidence: evidence,
                action: description.remediation)
        case 400, 401, 403:
            return .fail(
                "The endpoint refused the verify token (HTTP \(response.status)): its token differs from META_VERIFY_TOKEN.",
                evidence: evidence,
                action: "Make the backend's verify token equal META_VERIFY_TOKEN (and the token in the app's webhook settings).")
        case 404:
            return .fail(
                "The endpoint answers 404 for \(url.pathAndQuery): wrong path.", evidence: evidence,
                action: "Serve the webhook at \(url.pathAndQuery), or set the \(platform.displayName) webhook URL to the path your backend serves.")
        case 300..<400:
            // The Location may repeat the query, verify token included: show it without the query.
            let location = response.header("Location").map { $0.split(separator: "?", maxSplits: 1).first.map(String.init) ?? $0 }
            evidence["location"] = .optional(location)
            return .fail(
                "The endpoint redirects (HTTP \(response.status) to \(location ?? "?")); Meta does not follow redirects.",
                evidence: evidence, action: "Configure the final URL as the webhook URL.")
        default:
            return .fail(
                "The endpoint answers HTTP \(response.status) with \(WebhookRequests.preview(response)).", evidence: evidence,
                action: description.remediation)
        }

        if let probe = await wrongTokenProbe, probe.status == 200, probe.bodyText.contains(wrongChallenge)
        {
            return .warn(
                "The endpoint echoes the challenge for any verify token: anyone can point Meta-style subscriptions at it.",
                evidence: evidence, action: "Compare hub.verify_token with META_VERIFY_TOKEN and answer 403 when they differ.")
        }
        return .pass("The endpoint echoes the challenge for the right verify token only.", evidence: evidence)
    }

    private func send(url: String, parts: URLParts, token: String, challenge: String, _ environment: ProbeEnvironment)
        async throws(TransportError) -> HTTPResponse
    {
        var components = URLComponents(string: url)
        var query = components?.queryItems ?? []
        query += [
            URLQueryItem(name: "hub.mode", value: "subscribe"), URLQueryItem(name: "hub.verify_token", value: token),
            URLQueryItem(name: "hub.challenge", value: challenge),
        ]
        components?.queryItems = query
        // Percent-encode what URLQueryItem leaves (a "+" in a token would read as a space).
        let encoded = components?.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        components?.percentEncodedQuery = encoded
        return try await environment.webTransport.send(
            HTTPRequest(
                url: components?.string ?? url, headers: WebhookRequests.headers(for: parts), timeout: WebhookRequests.timeout,
                maxBodyBytes: WebhookRequests.maxBodyBytes))
    }
}
