import MetaConfig

/// Broken webhook backends and certificates. One backend serves every platform's webhook path, so
/// each scenario breaks the three platforms alike; the expected root cause names Messenger's.
extension SandboxScenarios {
    static let webhookGroup = [
        webhookWrongVerifyToken, webhookNotFound, webhookJSONChallenge, webhookHTMLPage, webhookRedirect, webhookSlow,
        webhookAcceptsAnyVerifyToken, webhookRejectsValidSignatures, webhookAcceptsUnsigned, webhookChecksOnlySHA1,
        webhookServerErrorOnEvents, webhookSlowEvents, tlsExpired, tlsNotYetValid, tlsSelfSigned, tlsWrongHost,
        tlsIncompleteChain, tlsExpiringSoon,
    ]

    static func backend(
        _ name: String, _ summary: String, _ behavior: WebhookBehavior, root: String, status: String = "fail",
        alsoReported: [String] = []
    ) -> SandboxScenario {
        SandboxScenario(
            name: name, summary: summary, expectedRootCause: "webhook.messenger.\(root)", expectedStatus: status,
            webhook: WebhookSetup(behavior: behavior), alsoReported: alsoReported)
    }

    static func certificate(_ variant: SandboxPKI.Variant, _ summary: String, status: String = "fail") -> SandboxScenario {
        SandboxScenario(
            name: "tls-\(variant.rawValue)", summary: summary, expectedRootCause: "webhook.messenger.https", expectedStatus: status,
            webhook: WebhookSetup(certificate: variant))
    }

    public static let webhookWrongVerifyToken = backend(
        "webhook-wrong-verify-token", "The backend expects another verify token than META_VERIFY_TOKEN.", .wrongVerifyToken, root: "verify")
    public static let webhookNotFound = backend(
        "webhook-not-found", "The backend serves nothing at the webhook path (404).", .notFound, root: "verify",
        alsoReported: ["webhook.messenger.signature"])
    public static let webhookJSONChallenge = backend(
        "webhook-json-challenge", "The backend answers the challenge as JSON.", .jsonChallenge, root: "verify")
    public static let webhookHTMLPage = backend(
        "webhook-html-page", "An HTML page answers instead of the webhook handler.", .htmlPage, root: "verify")
    public static let webhookRedirect = backend(
        "webhook-redirect", "The webhook URL redirects; Meta does not follow redirects.", .redirect, root: "verify",
        alsoReported: ["webhook.messenger.signature"])
    public static let webhookSlow = backend(
        "webhook-slow", "The backend answers verification after 6 s.", .slow, root: "verify")
    public static let webhookAcceptsAnyVerifyToken = backend(
        "webhook-accepts-any-verify-token", "The backend echoes the challenge for any verify token.", .acceptsAnyVerifyToken,
        root: "verify", status: "warn")
    public static let webhookRejectsValidSignatures = backend(
        "webhook-rejects-valid-signatures", "The backend checks signatures with another key than the app secret.",
        .rejectsValidSignatures, root: "signature")
    public static let webhookAcceptsUnsigned = backend(
        "webhook-accepts-unsigned", "The backend accepts events without a signature.", .acceptsUnsigned, root: "signature",
        status: "warn")
    public static let webhookChecksOnlySHA1 = backend(
        "webhook-checks-only-sha1", "The backend checks only the legacy X-Hub-Signature (sha1).", .checksOnlySHA1,
        root: "signature", status: "warn")
    public static let webhookServerErrorOnEvents = backend(
        "webhook-server-error-on-events", "The backend answers events with HTTP 500.", .serverErrorOnEvents, root: "signature")
    public static let webhookSlowEvents = backend(
        "webhook-slow-events", "The backend takes 1.5 s to answer events.", .slowEvents, root: "signature", status: "warn")

    public static let tlsExpired = certificate(.expired, "The webhook's certificate has expired.")
    public static let tlsNotYetValid = certificate(.notYetValid, "The webhook's certificate is not valid yet.")
    public static let tlsSelfSigned = certificate(.selfSigned, "The webhook serves a self-signed certificate.")
    public static let tlsWrongHost = certificate(.wrongHost, "The webhook's certificate names another host.")
    public static let tlsIncompleteChain = certificate(
        .incompleteChain, "The webhook's certificate comes from an intermediate the server does not send.")
    public static let tlsExpiringSoon = certificate(.expiringSoon, "The webhook's certificate expires in 7 days.", status: "warn")
}

/// ngrok tunnels: the webhook URL is an ngrok URL.
extension SandboxScenarios {
    static let tunnelGroup = [ngrokTunnel, ngrokOffline, ngrokLocalServerDown, ngrokStaleURL, ngrokUpstreamHTTPS]

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

    public static let ngrokTunnel = SandboxScenario(
        name: "ngrok-tunnel", summary: "Development through an ngrok tunnel, set up correctly.",
        webhook: WebhookSetup(ngrokAgent: .serving([ngrokURL]))
    ) { useWebhookBase(ngrokURL, in: &$0) }

    public static let ngrokOffline = SandboxScenario(
        name: "ngrok-offline", summary: "ngrok is not running: its edge answers ERR_NGROK_3200.",
        expectedRootCause: "webhook.messenger.https", expectedStatus: "fail",
        webhook: WebhookSetup(behavior: .ngrokError("ERR_NGROK_3200"), ngrokAgent: .notRunning), alsoReported: ["tunnel.ngrok"]
    ) { useWebhookBase(ngrokURL, in: &$0) }

    public static let ngrokLocalServerDown = SandboxScenario(
        name: "ngrok-local-server-down", summary: "ngrok runs, but the local server behind it is down (ERR_NGROK_8012).",
        expectedRootCause: "webhook.messenger.https", expectedStatus: "fail",
        webhook: WebhookSetup(behavior: .ngrokError("ERR_NGROK_8012"), ngrokAgent: .serving([ngrokURL]))
    ) { useWebhookBase(ngrokURL, in: &$0) }

    public static let ngrokStaleURL = SandboxScenario(
        name: "ngrok-stale-url", summary: "ngrok restarted with a new URL; the configuration still names the old one.",
        expectedRootCause: "tunnel.ngrok", expectedStatus: "fail",
        webhook: WebhookSetup(behavior: .ngrokError("ERR_NGROK_3200"), ngrokAgent: .serving(["https://ef567890.ngrok-free.app"]))
    ) { useWebhookBase(ngrokURL, in: &$0) }

    public static let ngrokUpstreamHTTPS = SandboxScenario(
        name: "ngrok-upstream-https", summary: "ngrok forwards to a local server that speaks HTTPS (ERR_NGROK_3004).",
        expectedRootCause: "webhook.messenger.https", expectedStatus: "fail",
        webhook: WebhookSetup(behavior: .ngrokError("ERR_NGROK_3004"), ngrokAgent: .serving([ngrokURL]))
    ) { useWebhookBase(ngrokURL, in: &$0) }
}
