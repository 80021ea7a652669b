import MetaConfig

extension SandboxScenarios {
    static let appGroup = [badSecret, unknownApp, requireAppSecret, staleCallbackURL, missingWhatsAppSubscription]

    public static let badSecret = SandboxScenario(
        name: "bad-secret", summary: "META_APP_SECRET is not the app's secret (it was reset, or belongs to another app).",
        expectedRootCause: "app.secret", expectedStatus: "fail"
    ) { model in
        model.configured[ConfigKey.appSecret.name] = "sandbox-app-secret-" + SandboxIDs.hex("secret-before-reset", 32)
    }

    public static let unknownApp = SandboxScenario(
        name: "unknown-app", summary: "META_APP_ID names no Meta app (a typo, or a Page or business id).",
        expectedRootCause: "app.secret", expectedStatus: "fail"
    ) { model in
        model.configured[ConfigKey.appID.name] = "1201000000009999"
    }

    /// Passes: the client sends a correct appsecret_proof with every user, Page and system-user call.
    public static let requireAppSecret = SandboxScenario(
        name: "require-app-secret", summary: "The app has \"Require App Secret\" on; calls must carry appsecret_proof."
    ) { model in
        model.apps[SandboxIDs.appID]?.requireAppSecretProof = true
    }

    public static let staleCallbackURL = SandboxScenario(
        name: "stale-callback-url",
        summary: "The webhooks still point at an old ngrok tunnel, not at WEBHOOK_BASE_URL.",
        expectedRootCause: "app.subscriptions", expectedStatus: "fail"
    ) { model in
        let paths = ["page": "messenger", "whatsapp_business_account": "whatsapp", "instagram": "instagram"]
        for (object, path) in paths {
            model.apps[SandboxIDs.appID]?.subscriptions[object]?.callbackURL =
                "https://old-tunnel.ngrok-free.app/webhook/\(path)"
        }
    }

    public static let missingWhatsAppSubscription = SandboxScenario(
        name: "missing-whatsapp-subscription",
        summary: "The app has no webhook subscription for the whatsapp_business_account object.",
        expectedRootCause: "app.subscriptions", expectedStatus: "fail"
    ) { model in
        model.apps[SandboxIDs.appID]?.subscriptions["whatsapp_business_account"] = nil
    }
}
