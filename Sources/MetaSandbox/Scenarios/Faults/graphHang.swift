extension SandboxScenarios {
    public static let graphHang = SandboxScenario(
        name: "graph-hang", summary: "debug_token never answers.",
        faults: [SandboxFault(.hang, on: .path("/debug_token"))])
}
