import MetaConfig

extension SandboxScenarios {
    /// Passes: Meta's own system-user sample has granular scopes without target_ids.
    public static let whatsAppNoTargetIDs = SandboxScenario(
        name: "whatsapp-no-target-ids", summary: "The system-user token's scopes are not limited to assets (no target_ids)."
    ) { model in
        model.tokens[SandboxIDs.systemUserToken]?.setTargets(nil)
    }
}
