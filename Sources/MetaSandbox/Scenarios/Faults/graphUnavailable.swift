extension SandboxScenarios {
    public static let graphUnavailable = SandboxScenario(
        name: "graph-unavailable", summary: "The Graph API answers every request with HTTP 500.",
        faults: [SandboxFault(.serverError(times: 1000))])
}
