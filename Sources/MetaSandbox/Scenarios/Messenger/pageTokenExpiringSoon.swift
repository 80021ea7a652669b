import MetaConfig

extension SandboxScenarios {
    public static let pageTokenExpiringSoon = SandboxScenario(
        name: "page-token-expiring-soon", summary: "The Page token is a 60-day token that expires in 3 days."
    ) { model in
        let now = unixNow()
        model.tokens[SandboxIDs.pageToken]?.issuedAt = now - 57 * 86_400
        model.tokens[SandboxIDs.pageToken]?.expiresAt = now + 3 * 86_400
    }
}
