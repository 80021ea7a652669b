import MetaConfig

extension SandboxScenarios {
    public static let whatsAppMissingManagementScope = SandboxScenario(
        name: "whatsapp-missing-management-scope",
        summary: "The system-user token was generated without whatsapp_business_management."
    ) { model in
        model.tokens[SandboxIDs.systemUserToken]?.removeScope("whatsapp_business_management")
    }
}
