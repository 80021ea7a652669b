import MetaConfig

extension SandboxScenarios {
    /// As `whatsapp-business-as-waba-admin`, with a business that owns two WABAs: the owned list
    /// leaves a choice (MB-G44).
    public static let whatsAppBusinessAsWABAAdminTwoWABAs = SandboxScenario(
        name: "whatsapp-business-as-waba-admin-two-wabas",
        summary: "WHATSAPP_BUSINESS_ACCOUNT_ID holds the id of a business that owns two WABAs; the token is not limited to assets and has business_management."
    ) { model in
        model.configured[ConfigKey.whatsappBusinessAccountID.name] = SandboxIDs.businessID
        model.wabas[SandboxIDs.otherWABAID]?.businessID = SandboxIDs.businessID
        model.tokens[SandboxIDs.systemUserToken]?.setTargets(nil)
        model.tokens[SandboxIDs.systemUserToken]?.scopes.append("business_management")
        model.tokens[SandboxIDs.systemUserToken]?.granularScopes.append(GranularScope(scope: "business_management"))
    }
}
