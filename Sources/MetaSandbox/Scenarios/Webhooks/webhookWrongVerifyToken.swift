import MetaConfig

extension SandboxScenarios {
    public static let webhookWrongVerifyToken = backend(
        "webhook-wrong-verify-token", "The backend expects another verify token than META_VERIFY_TOKEN.", .wrongVerifyToken)
}
