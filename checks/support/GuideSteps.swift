import DoctorKit

/// The steps of docs/setup-guide.md that checks point at, with the guide's own numbers and
/// headings. A test fails when an anchor is missing from the guide or its heading differs.
public enum GuideSteps {
    public static let appSecret = GuideStep(anchor: "app-id-and-secret", title: "Find the App ID and App Secret", number: 2)
    public static let developmentMode = GuideStep(anchor: "development-and-live-mode", title: "Development mode and live mode", number: 3)
    public static let graphVersion = GuideStep(anchor: "graph-api-version", title: "Choose the Graph API version", number: 4)
    public static let messengerPageToken = GuideStep(anchor: "messenger-page-token", title: "Get a Page access token for Messenger", number: 5)
    public static let messengerPageSubscription = GuideStep(
        anchor: "messenger-page-subscription", title: "Subscribe the Page to the app", number: 6)
    public static let whatsappBusinessAccount = GuideStep(
        anchor: "whatsapp-business-account", title: "Set up the business portfolio and WhatsApp Business Account", number: 7)
    public static let whatsappSystemUser = GuideStep(
        anchor: "whatsapp-system-user-token", title: "Create a system user token for WhatsApp", number: 8)
    public static let whatsappPhoneNumber = GuideStep(
        anchor: "whatsapp-phone-number", title: "Find the phone number ID and check the number", number: 9)
    public static let whatsappWABASubscription = GuideStep(
        anchor: "whatsapp-waba-subscription", title: "Subscribe the app to the WABA", number: 10)
    public static let whatsappHealth = GuideStep(anchor: "whatsapp-health", title: "Check the WhatsApp health status", number: 11)
    public static let instagramToken = GuideStep(anchor: "instagram-page-token", title: "Get a Page token for Instagram messaging", number: 12)
    public static let instagramLink = GuideStep(anchor: "instagram-account-link", title: "Link the Instagram account to the Page", number: 13)
    public static let webhookHTTPS = GuideStep(anchor: "webhook-https", title: "Serve the webhook over public HTTPS", number: 14)
    public static let webhookVerify = GuideStep(anchor: "webhook-verify-token", title: "Answer the verification request", number: 15)
    public static let webhookSignature = GuideStep(anchor: "webhook-signatures", title: "Check signatures and answer fast", number: 16)
    public static let appWebhooks = GuideStep(anchor: "app-webhook-subscriptions", title: "Subscribe the app's webhooks", number: 17)
    public static let ngrok = GuideStep(anchor: "local-development-with-ngrok", title: "Expose a local server with ngrok", number: 18)
    public static let configuration = GuideStep(anchor: "configuration", title: "Configure meta-doctor", number: 19)
    /// Not a setup step: what to do when a check could not reach a verdict (network, proxy, TLS
    /// interception, rate limits, Meta outages). Every `error` verdict links here.
    public static let couldNotVerify = GuideStep(anchor: "could-not-verify", title: "When a check could not verify")

    public static let all: [GuideStep] = [
        appSecret, developmentMode, graphVersion, messengerPageToken, messengerPageSubscription, whatsappBusinessAccount,
        whatsappSystemUser, whatsappPhoneNumber, whatsappWABASubscription, whatsappHealth, instagramToken, instagramLink,
        webhookHTTPS, webhookVerify, webhookSignature, appWebhooks, ngrok, configuration, couldNotVerify,
    ]
}
