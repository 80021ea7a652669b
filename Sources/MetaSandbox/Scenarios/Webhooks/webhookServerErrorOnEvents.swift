import MetaConfig

extension SandboxScenarios {
    public static let webhookServerErrorOnEvents = backend(
        "webhook-server-error-on-events", "The backend answers events with HTTP 500.", .serverErrorOnEvents)
}
