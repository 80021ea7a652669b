extension SandboxScenarios {
    public static let graphHang = SandboxScenario(
        name: "graph-hang", summary: "debug_token never answers.",
        expectedRootCause: "messenger.page-token", expectedStatus: "error",
        faults: [SandboxFault(.hang, on: .path("/debug_token"))])
}
