extension SandboxScenarios {
    public static let graphMalformed = SandboxScenario(
        name: "graph-malformed", summary: "debug_token answers HTTP 200 with truncated JSON.",
        faults: [SandboxFault(.malformedJSON, on: .path("/debug_token"))])
}
