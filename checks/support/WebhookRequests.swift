import DoctorKit
import Foundation
import MetaConfig
import MetaGraph

/// How the webhook probes talk to the user's endpoint: only with requests Meta sends (the
/// verification GET, event POSTs; MB-W2), as Meta does (a non-browser User-Agent,
/// `ngrok-skip-browser-warning` on ngrok hosts; MB-W12), with a 5 s deadline, 64 KiB of body at
/// most and no redirect followed.
enum WebhookRequests {
    static let timeout: Duration = .seconds(5)
    static let maxBodyBytes = 64 * 1024
    static let userAgent = "facebookexternalua (meta-doctor)"

    /// The ngrok domains whose hosts the tunnel probe inspects (MB-W13).
    static let ngrokDomains = ["ngrok-free.app", "ngrok-free.dev", "ngrok.app", "ngrok.dev", "ngrok.io"]

    static func isNgrokHost(_ host: String) -> Bool {
        let host = host.lowercased()
        return ngrokDomains.contains { host == $0 || host.hasSuffix("." + $0) }
    }

    static func headers(for url: URLParts, extra: [(name: String, value: String)] = []) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("User-Agent", userAgent), ("Accept", "*/*")]
        if isNgrokHost(url.host) { headers.append(("ngrok-skip-browser-warning", "1")) }
        return headers + extra
    }

    /// The start of a body for a message: one line, at most 80 characters.
    static func preview(_ response: HTTPResponse) -> String {
        let text = response.bodyText.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
            .trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return "an empty body" }
        return "\"" + (text.count > 80 ? text.prefix(80) + "…" : text) + "\""
    }

    /// What went wrong, as the predicate of one sentence whose subject is the endpoint: "refused
    /// the connection", "did not answer within 5 s". The transport's nested detail (socket calls,
    /// errno) is kept out, except where it is the only explanation.
    static func failure(_ error: TransportError) -> String {
        switch error {
        case .nameResolution: return "does not resolve"
        case .connection(let detail):
            let lowered = detail.lowercased()
            if lowered.contains("refused") { return "refused the connection" }
            if lowered.contains("reset") { return "reset the connection" }
            if lowered.contains("closed the connection") { return "closed the connection before a complete answer" }
            if lowered.contains("did not open in time") || lowered.contains("timed out") { return "did not accept a connection in time" }
            if lowered.contains("unreachable") { return "is unreachable from here (no route)" }
            return "could not be connected to (\(detail))"
        case .timedOut(let limit): return "did not answer within \(limit.secondsText)"
        case .tls(let detail): return "failed the TLS handshake: \(detail)"
        case .bodyTooLarge(let limit): return "answered with a reply larger than \(limit / 1024) KiB"
        case .invalidURL(let detail): return "is not a URL that can be requested (\(detail))"
        case .other(let detail): return "did not answer usably (\(detail))"
        }
    }

    /// What ngrok's error codes mean (MB-W11, MB-W12, MB-W13).
    static func ngrokErrorMeaning(_ code: String) -> (message: String, action: String) {
        switch code {
        case "ERR_NGROK_3200":
            ("ngrok says the endpoint is offline (ERR_NGROK_3200).",
             """
             Start ngrok again; if it runs, its URL changed: update WEBHOOK_BASE_URL and the app's webhook settings. Every \
             ngrok account has a free static domain on ngrok-free.dev that survives restarts: start ngrok with it \
             (ngrok http --url=YOUR-NAME.ngrok-free.dev PORT).
             """)
        case "ERR_NGROK_8012":
            ("ngrok runs, but nothing listens on the local port it forwards to (ERR_NGROK_8012).",
             "Start your webhook server on the port ngrok forwards to (ngrok http PORT).")
        case "ERR_NGROK_3004":
            ("ngrok's upstream answered with something that is not HTTP: it likely speaks HTTPS (ERR_NGROK_3004).",
             "Point ngrok at https://localhost:PORT, or serve plain HTTP locally.")
        case "ERR_NGROK_6024":
            ("ngrok served its browser warning page instead of your endpoint (ERR_NGROK_6024).",
             """
             ngrok's free plan shows it to requests with a browser-like User-Agent that lack the \
             ngrok-skip-browser-warning header, whatever the domain; Meta's requests are not browser-like. If a \
             request of yours gets it, send that header; a paid ngrok plan removes the page.
             """)
        default:
            ("ngrok answered with its error page \(code).", "See https://ngrok.com/docs/errors/\(code.lowercased().replacingOccurrences(of: "_", with: "-")) for what it means.")
        }
    }
}
