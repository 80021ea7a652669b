extension SandboxScenarios {
    /// Passes: 100 ms per call is slow but within every time limit.
    public static let graphSlow = SandboxScenario(
        name: "graph-slow", summary: "Every Graph call takes an extra 100 ms.",
        faults: [SandboxFault(.latency(.milliseconds(100)))])
}
