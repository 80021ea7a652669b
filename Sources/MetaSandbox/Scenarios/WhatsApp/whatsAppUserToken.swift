import MetaConfig

extension SandboxScenarios {
    public static let whatsAppUserToken = SandboxScenario(
        name: "whatsapp-user-token",
        summary: "WHATSAPP_ACCESS_TOKEN is a person's USER token that expires in 20 hours, not a system user's."
    ) { model in
        let now = unixNow()
        let token = SandboxIDs.token("SbxUserWhatsApp")
        let scopes = ["business_management", "whatsapp_business_management", "whatsapp_business_messaging"]
        model.tokens[token] = TokenRecord(
            type: .user, appID: SandboxIDs.appID, scopes: scopes,
            granularScopes: [
                GranularScope(scope: "business_management", targetIDs: [SandboxIDs.businessID]),
                GranularScope(scope: "whatsapp_business_management", targetIDs: [SandboxIDs.wabaID]),
                GranularScope(scope: "whatsapp_business_messaging", targetIDs: [SandboxIDs.wabaID]),
            ],
            issuedAt: now - 4 * 3600, expiresAt: now + 20 * 3600, dataAccessExpiresAt: now + 90 * 86_400,
            userID: SandboxIDs.adminUserID)
        model.configured[ConfigKey.whatsappAccessToken.name] = token
    }
}
