import MetaConfig

extension SandboxScenarios {
    public static let webhookSilentWithoutHubParameters = backend(
        "webhook-silent-without-hub-parameters",
        "The backend never answers a GET without hub.* parameters, as Meta's Messenger sample; it is correct otherwise.",
        .silentWithoutHubParameters)
}
