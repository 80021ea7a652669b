extension SandboxScenarios {
    /// The business id where the WABA id goes, with an admin system user's token that is not limited
    /// to assets and carries business_management: the business's owned WABAs can be read (MB-G44).
    public static let whatsAppBusinessAsWABAAdmin = SandboxScenario(
        name: "whatsapp-business-as-waba-admin",
        summary: "WHATSAPP_BUSINESS_ACCOUNT_ID holds the business id; the system user's token is not limited to assets and has business_management."
    ) { model in
        whatsAppBusinessAsWABAUnscoped.apply(&model)
        model.tokens[SandboxIDs.systemUserToken]?.scopes.append("business_management")
        model.tokens[SandboxIDs.systemUserToken]?.granularScopes.append(GranularScope(scope: "business_management"))
    }
}
