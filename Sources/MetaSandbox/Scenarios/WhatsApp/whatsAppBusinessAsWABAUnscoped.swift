import MetaConfig

extension SandboxScenarios {
    /// The business id where the WABA id goes, with a system-user token whose granular scopes name
    /// no asset (as Meta's own sample has them, MB-G26): no read of the token names the WABA.
    public static let whatsAppBusinessAsWABAUnscoped = SandboxScenario(
        name: "whatsapp-business-as-waba-unscoped",
        summary: "WHATSAPP_BUSINESS_ACCOUNT_ID holds the business id, and the system user's token is not limited to assets (no target_ids)."
    ) { model in
        model.configured[ConfigKey.whatsappBusinessAccountID.name] = SandboxIDs.businessID
        model.tokens[SandboxIDs.systemUserToken]?.setTargets(nil)
    }
}
