extension SandboxScenarios {
    public static let graphHTML = SandboxScenario(
        name: "graph-html", summary: "A proxy answers every request with an HTML error page (HTTP 502).",
        faults: [SandboxFault(.htmlPage)])
}
