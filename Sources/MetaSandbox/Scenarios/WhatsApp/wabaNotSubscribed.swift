import MetaConfig

extension SandboxScenarios {
    public static let wabaNotSubscribed = SandboxScenario(
        name: "waba-not-subscribed",
        summary: "The app is not subscribed to the WABA (subscribed_apps is empty), so no WhatsApp webhook arrives."
    ) { model in
        model.wabas[SandboxIDs.wabaID]?.subscribedApps = [:]
    }
}
