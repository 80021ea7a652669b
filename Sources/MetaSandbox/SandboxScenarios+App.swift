import MetaConfig

extension SandboxScenarios {
    static let appGroup = [
        badSecret, unknownApp, requireAppSecret, staleCallbackURL, missingWhatsAppSubscription, graphVersionWithoutV,
        graphVersionUnknown, graphVersionNewer, appIDIsPageID,
    ]
}
