import MetaConfig

extension SandboxScenarios {
    public static let wabaReviewPending = SandboxScenario(
        name: "waba-review-pending",
        summary: "The WABA's account review is still PENDING, and the business is not verified."
    ) { model in
        model.wabas[SandboxIDs.wabaID]?.accountReviewStatus = "PENDING"
        model.wabas[SandboxIDs.wabaID]?.businessVerificationStatus = "not_verified"
    }
}
