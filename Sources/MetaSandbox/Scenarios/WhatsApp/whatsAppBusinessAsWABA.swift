import MetaConfig

extension SandboxScenarios {
    public static let whatsAppBusinessAsWABA = SandboxScenario(
        name: "whatsapp-business-as-waba",
        summary: "WHATSAPP_BUSINESS_ACCOUNT_ID holds the business id (Business settings > Business info), not the WABA id."
    ) { model in
        model.configured[ConfigKey.whatsappBusinessAccountID.name] = SandboxIDs.businessID
    }
}
