import MetaConfig

extension SandboxScenarios {
    /// The WABA's subscription carries its own callback (override_callback_uri), left from an old
    /// tunnel: WhatsApp events go there instead of to the app's callback (MB-G19).
    public static let wabaStaleOverride = SandboxScenario(
        name: "waba-stale-override",
        summary: "The WABA's subscription overrides the callback with an old ngrok URL."
    ) { model in
        model.wabas[SandboxIDs.wabaID]?.subscribedApps[SandboxIDs.appID] = WABASubscription(
            overrideCallbackURI: "https://0f1e2d3c.ngrok-free.app/webhook/whatsapp")
    }
}
