import DoctorKit

/// The steps of docs/setup-guide.md that checks point at. A test fails when an anchor is missing
/// from the guide.
public enum GuideSteps {
    public static let configuration = GuideStep(anchor: "configuration", title: "Configure meta-doctor")
    public static let graphVersion = GuideStep(anchor: "graph-api-version", title: "Choose a Graph API version")
    public static let appSecret = GuideStep(anchor: "app-id-and-secret", title: "Find the App ID and App Secret")
    public static let appWebhooks = GuideStep(anchor: "app-webhook-subscriptions", title: "Subscribe the app's webhooks")
    public static let messengerPageToken = GuideStep(anchor: "messenger-page-token", title: "Get a Page access token")
    public static let messengerPageSubscription = GuideStep(
        anchor: "messenger-page-subscription", title: "Subscribe the Page to the app")
    public static let whatsappSystemUser = GuideStep(
        anchor: "whatsapp-system-user-token", title: "Create a system user and its token")
    public static let whatsappPhoneNumber = GuideStep(anchor: "whatsapp-phone-number", title: "Find the phone number id")
    public static let whatsappWABASubscription = GuideStep(
        anchor: "whatsapp-waba-subscription", title: "Subscribe the app to the WABA")
    public static let whatsappHealth = GuideStep(anchor: "whatsapp-health", title: "Keep the WhatsApp account healthy")
    public static let instagramToken = GuideStep(anchor: "instagram-page-token", title: "Use a Page token for Instagram")
    public static let instagramLink = GuideStep(anchor: "instagram-account-link", title: "Link the Instagram account to the Page")
    public static let ngrok = GuideStep(anchor: "local-development-with-ngrok", title: "Develop locally with ngrok")
    public static let webhookHTTPS = GuideStep(anchor: "webhook-https", title: "Serve the webhook over valid HTTPS")
    public static let webhookVerify = GuideStep(anchor: "webhook-verify-token", title: "Answer the verification request")
    public static let webhookSignature = GuideStep(anchor: "webhook-signatures", title: "Verify event signatures")

    public static let all: [GuideStep] = [
        configuration, graphVersion, appSecret, appWebhooks, messengerPageToken, messengerPageSubscription,
        whatsappSystemUser, whatsappPhoneNumber, whatsappWABASubscription, whatsappHealth, instagramToken,
        instagramLink, ngrok, webhookHTTPS, webhookVerify, webhookSignature,
    ]
}
