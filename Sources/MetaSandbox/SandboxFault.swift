/// A failure the sandbox injects on some routes, to exercise the doctor's "could not verify" paths.
public struct SandboxFault: Sendable {
    public enum Kind: Sendable {
        /// Waits this long before answering (adds up when several match).
        case latency(Duration)
        /// HTTP 500 with Meta's transient code-2 error for the first `times` matching requests,
        /// then normal answers.
        case serverError(times: Int)
        /// HTTP 200 with the real reply cut in half.
        case malformedJSON
        /// HTTP 502 with an HTML error page (a proxy answering instead of the API).
        case htmlPage
        /// HTTP 400 with throttle error `code` (4, 17, 32, 613, 80001 …). A Page or system-user
        /// token gets X-Business-Use-Case-Usage with `estimated_time_to_regain_access` = `minutes`;
        /// any other caller gets X-App-Usage at 100 % (MB-G21: BUC headers go with
        /// Page and system-user tokens, and X-App-Usage has no time to regain access).
        case rateLimit(code: Int, minutes: Int)
        /// Never answers, until the sandbox stops (cancellable).
        case hang
    }

    /// Which requests a fault applies to, by path without the version.
    public struct Route: Sendable {
        /// Path components to match; nil matches every route.
        let pattern: [String]?

        public static let all = Route(pattern: nil)

        /// A path such as "/debug_token", "/oauth/access_token" or "/{waba-id}/phone_numbers";
        /// a `{…}` component matches any one component.
        public static func path(_ pattern: String) -> Route {
            Route(pattern: pattern.split(separator: "/").map(String.init))
        }

        func matches(_ components: [String]) -> Bool {
            guard let pattern else { return true }
            return pattern.count == components.count
                && zip(pattern, components).allSatisfy { part, component in
                    (part.hasPrefix("{") && part.hasSuffix("}")) || part == component
                }
        }
    }

    public let kind: Kind
    public let route: Route

    public init(_ kind: Kind, on route: Route = .all) {
        self.kind = kind
        self.route = route
    }
}

/// What the faults matching one request do to it.
struct FaultPlan {
    enum Answer {
        case serverError
        case htmlPage
        case rateLimit(code: Int, minutes: Int)
        case hang
    }

    var latency: Duration = .zero
    /// The first matching fault that answers in place of the API.
    var answer: Answer?
    var malformedJSON = false
}
