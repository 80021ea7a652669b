extension SandboxScenarios {
    static let faultGroup = [graph5xxTwice, graphUnavailable, graphRateLimited, graphMalformed, graphHTML, graphHang, graphSlow]
}
