import MetaConfig

/// Broken webhook backends and certificates. One backend serves every platform's webhook path, so
/// each scenario breaks the three platforms alike.
extension SandboxScenarios {
    static let webhookGroup = [
        webhookWrongVerifyToken, webhookNotFound, webhookJSONChallenge, webhookHTMLPage, webhookRedirect, webhookSlow,
        webhookAcceptsAnyVerifyToken, webhookRejectsValidSignatures, webhookAcceptsUnsigned, webhookChecksOnlySHA1,
        webhookChecksNoSignature, webhookCrashesOnUnsigned, webhookServerErrorOnEvents, webhookSlowEvents,
        webhookSilentWithoutHubParameters, tlsExpired, tlsNotYetValid, tlsSelfSigned, tlsWrongHost, tlsWrongAddress,
        tlsIncompleteChain, tlsExpiringSoon,
    ]

    static func backend(_ name: String, _ summary: String, _ behavior: WebhookBehavior) -> SandboxScenario {
        SandboxScenario(name: name, summary: summary, webhook: WebhookSetup(behavior: behavior))
    }

    static func certificate(_ variant: SandboxPKI.Variant, _ summary: String) -> SandboxScenario {
        SandboxScenario(name: "tls-\(variant.rawValue)", summary: summary, webhook: WebhookSetup(certificate: variant))
    }
}

/// ngrok tunnels: the webhook URL is an ngrok URL.
extension SandboxScenarios {
    static let tunnelGroup = [ngrokTunnel, ngrokOffline, ngrokLocalServerDown, ngrokStaleURL, ngrokUpstreamHTTPS, ngrokBrowserWarning, ngrokNewURL]

    static let ngrokURL = "https://abcd1234.ngrok-free.app"

    /// Points the configuration and the app's subscriptions at `base`, as a developer does after
    /// starting ngrok.
    static func useWebhookBase(_ base: String, in model: inout IntegrationModel) {
        model.configured[ConfigKey.webhookBaseURL.name] = base
        let paths = ["page": "messenger", "whatsapp_business_account": "whatsapp", "instagram": "instagram"]
        for (object, path) in paths {
            model.apps[SandboxIDs.appID]?.subscriptions[object]?.callbackURL = "\(base)/webhook/\(path)"
        }
    }
}
