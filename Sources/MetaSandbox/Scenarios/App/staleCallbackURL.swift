import MetaConfig

extension SandboxScenarios {
    public static let staleCallbackURL = SandboxScenario(
        name: "stale-callback-url",
        summary: "The webhooks still point at an old ngrok tunnel, not at WEBHOOK_BASE_URL."
    ) { model in
        let paths = ["page": "messenger", "whatsapp_business_account": "whatsapp", "instagram": "instagram"]
        for (object, path) in paths {
            model.apps[SandboxIDs.appID]?.subscriptions[object]?.callbackURL =
                "https://old-tunnel.ngrok-free.app/webhook/\(path)"
        }
    }
}
