import MetaConfig

extension SandboxScenarios {
    static let whatsAppGroup = [
        whatsAppUserToken, whatsAppMissingManagementScope, whatsAppOtherWABATarget, whatsAppNoTargetIDs,
        whatsAppTokenOtherApp, phoneNumberNotInWABA, wabaNotSubscribed, healthLimited, healthBlocked, whatsAppTestNumber,
        whatsAppNumberNotRegistered, whatsAppNumberPending, wabaReviewRejected, wabaReviewPending, whatsAppManyNumbers,
        whatsAppVersionUpgraded, wabaStaleOverride, whatsAppTwoWABAs, whatsAppWABAAsPhoneNumber, whatsAppBusinessAsWABA,
        whatsAppBusinessAsWABAUnscoped, whatsAppBusinessAsWABAAdmin, whatsAppBusinessAsWABAAdminTwoWABAs, whatsAppDisplayNumberAsID,
    ]
}
