extension SandboxScenarios {
    /// As `whatsapp-business-as-waba-admin`, with a business that owns two WABAs: the owned list
    /// leaves a choice (MB-G44).
    public static let whatsAppBusinessAsWABAAdminTwoWABAs = SandboxScenario(
        name: "whatsapp-business-as-waba-admin-two-wabas",
        summary: "WHATSAPP_BUSINESS_ACCOUNT_ID holds the id of a business that owns two WABAs; the token is not limited to assets and has business_management."
    ) { model in
        whatsAppBusinessAsWABAAdmin.apply(&model)
        model.wabas[SandboxIDs.otherWABAID]?.businessID = SandboxIDs.businessID
    }
}
