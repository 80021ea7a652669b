extension SandboxScenarios {
    /// The first two Graph calls get a transient 5xx; the rest are answered.
    public static let graph5xxTwice = SandboxScenario(
        name: "graph-5xx-twice", summary: "The Graph API fails its first two requests with HTTP 500, then recovers.",
        faults: [SandboxFault(.serverError(times: 2))])
}
