import MetaConfig

extension SandboxScenarios {
    public static let missingWhatsAppSubscription = SandboxScenario(
        name: "missing-whatsapp-subscription",
        summary: "The app has no webhook subscription for the whatsapp_business_account object."
    ) { model in
        model.apps[SandboxIDs.appID]?.subscriptions["whatsapp_business_account"] = nil
    }
}
