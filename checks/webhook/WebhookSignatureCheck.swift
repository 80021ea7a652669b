import DoctorKit
import Foundation
import MetaConfig
import MetaGraph

/// `webhook.P.signature`: the endpoint accepts an event signed as Meta signs it, fast, and rejects
/// unsigned and badly signed ones. The verdict says what the forgeries showed: which signature the
/// endpoint checks, if any.
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
                Judges the answer to the \(platform.displayName) test event the HTTPS check posted, signed as Meta signs it \
                (X-Hub-Signature-256: sha256=… and X-Hub-Signature: sha1=… over the exact bytes, keyed by the app secret): \
                it must be answered 2xx within 5 s (over 1 s warns). Then it posts the same event four ways at once: \
                unsigned, with both signatures wrong, with a valid sha256 next to a wrong sha1, and with a wrong sha256 next \
                to a valid sha1. Accepting a forgery warns, worded from what was accepted: no signature checked, only the \
                legacy sha1 checked, or a missing signature let through.
                """,
            calls: ["POST {webhook URL}, four at once: unsigned, both signatures wrong, valid sha256 + wrong sha1, wrong sha256 + valid sha1"],
            remediation: """
                Compute HMAC-SHA256 of the raw request body (the bytes received, never re-serialized JSON) with the app \
                secret, compare it in constant time with X-Hub-Signature-256, answer 200 at once and process later; \
                reject (403) events whose signature is missing or wrong.
                """)
    }

    public init(platform: Platform) { self.platform = platform }

    /// The forgeries, each named as the evidence names it.
    enum Forgery: String, CaseIterable {
        case unsigned
        case bothWrong
        case validSHA256WrongSHA1 = "validSha256WrongSha1"
        case wrongSHA256ValidSHA1 = "wrongSha256ValidSha1"

        func headers(_ valid: EventSignatures) -> [(name: String, value: String)] {
            switch self {
            case .unsigned: []
            case .bothWrong: [("X-Hub-Signature-256", EventSignatures.wrongSHA256), ("X-Hub-Signature", EventSignatures.wrongSHA1)]
            case .validSHA256WrongSHA1: [("X-Hub-Signature-256", valid.sha256), ("X-Hub-Signature", EventSignatures.wrongSHA1)]
            case .wrongSHA256ValidSHA1: [("X-Hub-Signature-256", EventSignatures.wrongSHA256), ("X-Hub-Signature", valid.sha1)]
            }
        }
    }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        guard let urlText = configuration.webhookURL(for: platform), let url = URLParts(urlText) else {
            return .notApplicable("No \(platform.displayName) webhook URL is configured.")
        }
        // The signed event is the one the HTTPS check posted, a prerequisite that passed or warned.
        guard let signed = context.facts[SignedEventFact.self] else {
            return .error("Could not verify: the HTTPS check handed over no signed test event.")
        }
        let target = WebhookTarget(text: urlText, parts: url)
        var evidence: Evidence = [
            "eventId": .string(signed.eventID), "bodyBytes": .int(signed.body.count),
            "answeredInMs": .int(Int(signed.elapsed.milliseconds)), "connectedTo": .optional(signed.response.connectedTo),
        ]
        guard (200..<300).contains(signed.response.status) else {
            evidence["statuses"] = .object(["signed": .int(signed.response.status)])
            let hint = signed.response.status == 401 || signed.response.status == 403
                ? " A rejection here usually means the backend signs with another key than META_APP_SECRET or hashes a re-serialized body."
                : ""
            // No handler at this URL, or one that moves: the endpoint step fixes it, not signatures.
            let status = signed.response.status
            let wrongEndpoint = status == 404 || (300..<400).contains(status)
            let endpointHint = wrongEndpoint
                ? " No webhook handler answers at this URL\(status == 404 ? "" : " without a redirect, and Meta follows none"): check the path and WEBHOOK_BASE_URL."
                : ""
            return .fail(
                "The endpoint answered a correctly signed event with HTTP \(status) and \(WebhookRequests.preview(signed.response)).\(hint)\(endpointHint)",
                evidence: evidence,
                action: wrongEndpoint
                    ? "Serve the webhook handler at exactly this URL, with no redirect, or point WEBHOOK_BASE_URL (or the platform's own webhook URL) at where it is."
                    : description.remediation,
                guideStep: wrongEndpoint ? GuideSteps.webhookHTTPS : nil)
        }

        // The forgeries are independent of each other: all four go at once (one round trip).
        let answers = await withTaskGroup(of: (Forgery, Result<HTTPResponse, TransportError>).self) { group in
            for forgery in Forgery.allCases {
                group.addTask {
                    do throws(TransportError) {
                        return (forgery, .success(try await SignedEvents.post(signed.body, signatures: forgery.headers(signed.signatures), to: target, environment)))
                    } catch {
                        return (forgery, .failure(error))
                    }
                }
            }
            var answers: [Forgery: Result<HTTPResponse, TransportError>] = [:]
            for await (forgery, answer) in group { answers[forgery] = answer }
            return answers
        }
        var statuses: [String: EvidenceValue] = ["signed": .int(signed.response.status)]
        for (forgery, answer) in answers {
            switch answer {
            case .success(let response): statuses[forgery.rawValue] = .int(response.status)
            case .failure(let error): statuses[forgery.rawValue] = .string("no answer: endpoint \(WebhookRequests.failure(error))")
            }
        }
        evidence["statuses"] = .object(statuses)
        let accepted = Set(answers.compactMap { forgery, answer in
            if case .success(let response) = answer, (200..<300).contains(response.status) { return forgery }
            return nil
        })

        var warnings = Self.findings(accepted: accepted)
        if signed.elapsed > Self.slowAnswer {
            warnings.append("it took \(signed.elapsed.secondsText) to answer; Meta expects fast answers and retries slow ones")
        }
        if !warnings.isEmpty {
            return .warn("The endpoint accepts the signed event, but \(warnings.joined(separator: "; ")).", evidence: evidence, action: description.remediation)
        }
        var message = "The endpoint accepts signed events (HTTP \(signed.response.status) in \(signed.elapsed.secondsText)) and rejects forged ones"
        let crashes = Forgery.allCases.compactMap { forgery -> String? in
            guard case .success(let response)? = answers[forgery], response.status >= 500 else { return nil }
            return "\(Self.phrase(forgery)) with HTTP \(response.status)"
        }
        if !crashes.isEmpty {
            message += " (it answered \(crashes.joined(separator: ", ")): an error rather than a refusal, though nothing forged got in)"
        }
        return .pass(message + ".", evidence: evidence)
    }

    /// What the accepted forgeries show, most telling first.
    static func findings(accepted: Set<Forgery>) -> [String] {
        if accepted.contains(.bothWrong) {
            return accepted.contains(.unsigned)
                ? ["it checks no signature: it accepted the event unsigned and with both signatures wrong (anyone can forge events)"]
                : ["it requires a signature header but does not check it: it accepted the event with both signatures wrong (anyone can forge events)"]
        }
        var findings: [String] = []
        if accepted.contains(.wrongSHA256ValidSHA1) {
            findings.append(
                accepted.contains(.validSHA256WrongSHA1)
                    ? "it accepts either signature alone: a wrong X-Hub-Signature-256 passes next to a valid legacy X-Hub-Signature (sha1)"
                    : "it checks only the legacy X-Hub-Signature (sha1): it accepted a wrong X-Hub-Signature-256 next to a valid sha1 and refused a valid sha256 next to a wrong sha1")
        }
        if accepted.contains(.unsigned) {
            findings.append("it accepts events without a signature (anyone can forge events)")
        }
        return findings
    }

    static func phrase(_ forgery: Forgery) -> String {
        switch forgery {
        case .unsigned: "the unsigned event"
        case .bothWrong: "the event with both signatures wrong"
        case .validSHA256WrongSHA1: "the event with a wrong sha1"
        case .wrongSHA256ValidSHA1: "the event with a wrong sha256"
        }
    }
}
