import MetaConfig

extension SandboxScenarios {
    /// The system-user token has granular scopes without target_ids, as in Meta's own sample.
    public static let whatsAppNoTargetIDs = SandboxScenario(
        name: "whatsapp-no-target-ids", summary: "The system-user token's scopes are not limited to assets (no target_ids)."
    ) { model in
        model.tokens[SandboxIDs.systemUserToken]?.setTargets(nil)
    }
}
