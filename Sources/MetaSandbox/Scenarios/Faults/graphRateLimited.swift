extension SandboxScenarios {
    public static let graphRateLimited = SandboxScenario(
        name: "graph-rate-limited", summary: "The app is throttled: every call gets code 4, access returns in 5 minutes.",
        faults: [SandboxFault(.rateLimit(code: 4, minutes: 5))])
}
