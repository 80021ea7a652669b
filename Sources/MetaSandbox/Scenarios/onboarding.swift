extension SandboxScenarios {
    /// The demo's default: a realistic first setup with a root cause that blocks its dependents
    /// (the system user lacks the WABA asset) and a warning (the Page token expires soon).
    public static let onboarding = SandboxScenario(
        name: "onboarding",
        summary: "Mid-setup: the system user was never given the WABA, and the Page token expires in 3 days."
    ) { model in
        whatsAppOtherWABATarget.apply(&model)
        pageTokenExpiringSoon.apply(&model)
    }
}
