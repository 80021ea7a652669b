extension SandboxScenarios {
    static let faultGroup = [graph5xxTwice, graphUnavailable, graphRateLimited, graphMalformed, graphHTML, graphHang, graphSlow]

    /// Passes: the client retries transient errors.
    public static let graph5xxTwice = SandboxScenario(
        name: "graph-5xx-twice", summary: "The Graph API fails its first two requests with HTTP 500, then recovers.",
        faults: [SandboxFault(.serverError(times: 2))])

    public static let graphUnavailable = SandboxScenario(
        name: "graph-unavailable", summary: "The Graph API answers every request with HTTP 500.",
        expectedRootCause: "app.secret", expectedStatus: "error",
        faults: [SandboxFault(.serverError(times: 1000))])

    public static let graphRateLimited = SandboxScenario(
        name: "graph-rate-limited", summary: "The app is throttled: every call gets code 4, access returns in 5 minutes.",
        expectedRootCause: "app.secret", expectedStatus: "error",
        faults: [SandboxFault(.rateLimit(code: 4, minutes: 5))])

    public static let graphMalformed = SandboxScenario(
        name: "graph-malformed", summary: "debug_token answers HTTP 200 with truncated JSON.",
        expectedRootCause: "messenger.page-token", expectedStatus: "error",
        faults: [SandboxFault(.malformedJSON, on: .path("/debug_token"))])

    public static let graphHTML = SandboxScenario(
        name: "graph-html", summary: "A proxy answers every request with an HTML error page (HTTP 502).",
        expectedRootCause: "app.secret", expectedStatus: "error",
        faults: [SandboxFault(.htmlPage)])

    public static let graphHang = SandboxScenario(
        name: "graph-hang", summary: "debug_token never answers.",
        expectedRootCause: "messenger.page-token", expectedStatus: "error",
        faults: [SandboxFault(.hang, on: .path("/debug_token"))])

    /// Passes: 100 ms per call is slow but within every time limit.
    public static let graphSlow = SandboxScenario(
        name: "graph-slow", summary: "Every Graph call takes an extra 100 ms.",
        faults: [SandboxFault(.latency(.milliseconds(100)))])
}
