import Foundation
import MetaConfig
import MetaGraph

/// How the webhook probes talk to the user's endpoint: like Meta does (a non-browser User-Agent,
/// `ngrok-skip-browser-warning` on ngrok hosts), with a 5 s deadline, 64 KiB of body at most and no
/// redirect followed.
enum WebhookRequests {
    static let timeout: Duration = .seconds(5)
    static let maxBodyBytes = 64 * 1024
    static let userAgent = "facebookexternalua (meta-doctor)"

    /// The ngrok domains whose hosts the tunnel probe inspects.
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

    /// What ngrok's error codes mean (ngrok.com/docs/errors).
    static func ngrokErrorMeaning(_ code: String) -> (message: String, action: String) {
        switch code {
        case "ERR_NGROK_3200":
            ("ngrok says the endpoint is offline (ERR_NGROK_3200).",
             "Start ngrok again; if it runs, its URL changed: update WEBHOOK_BASE_URL and the app's webhook settings, or use a static domain.")
        case "ERR_NGROK_8012":
            ("ngrok runs, but nothing listens on the local port it forwards to (ERR_NGROK_8012).",
             "Start your webhook server on the port ngrok forwards to (ngrok http PORT).")
        case "ERR_NGROK_3004":
            ("ngrok's upstream answered with something that is not HTTP: it likely speaks HTTPS (ERR_NGROK_3004).",
             "Point ngrok at https://localhost:PORT, or serve plain HTTP locally.")
        case "ERR_NGROK_6024":
            ("ngrok served its browser warning page instead of your endpoint (ERR_NGROK_6024).",
             "Requests with a browser-like User-Agent get the warning page; Meta's do not. Upgrade the ngrok plan or use a static domain if Meta sees it.")
        default:
            ("ngrok answered with its error page \(code).", "See https://ngrok.com/docs/errors/\(code.lowercased().replacingOccurrences(of: "_", with: "-")) for what it means.")
        }
    }
}
