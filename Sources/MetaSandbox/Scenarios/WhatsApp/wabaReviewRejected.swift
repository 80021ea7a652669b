import MetaConfig

extension SandboxScenarios {
    public static let wabaReviewRejected = SandboxScenario(
        name: "waba-review-rejected",
        summary: "Meta's account review rejected the WABA (account_review_status REJECTED)."
    ) { model in
        model.wabas[SandboxIDs.wabaID]?.accountReviewStatus = "REJECTED"
    }
}
