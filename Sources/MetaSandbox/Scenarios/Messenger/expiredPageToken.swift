import MetaConfig

extension SandboxScenarios {
    public static let expiredPageToken = SandboxScenario(
        name: "expired-page-token", summary: "The Page token expired two days ago (a 60-day token that was never renewed)."
    ) { model in
        let now = unixNow()
        model.tokens[SandboxIDs.pageToken]?.issuedAt = now - 62 * 86_400
        model.tokens[SandboxIDs.pageToken]?.expiresAt = now - 2 * 86_400
        model.tokens[SandboxIDs.pageToken]?.isValid = false
        model.tokens[SandboxIDs.pageToken]?.invalidSubcode = 463
    }
}
