extension SandboxScenarios {
    /// Every Graph reply comes 100 ms late.
    public static let graphSlow = SandboxScenario(
        name: "graph-slow", summary: "Every Graph call takes an extra 100 ms.",
        faults: [SandboxFault(.latency(.milliseconds(100)))])
}
