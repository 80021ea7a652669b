import MetaConfig

extension SandboxScenarios {
    static let whatsAppGroup = [
        whatsAppUserToken, whatsAppMissingManagementScope, whatsAppOtherWABATarget, whatsAppNoTargetIDs,
        whatsAppTokenOtherApp, phoneNumberNotInWABA, wabaNotSubscribed, healthLimited, healthBlocked,
    ]

    public static let whatsAppUserToken = SandboxScenario(
        name: "whatsapp-user-token",
        summary: "WHATSAPP_ACCESS_TOKEN is a person's USER token that expires in 20 hours, not a system user's.",
        expectedRootCause: "whatsapp.token", expectedStatus: "warn"
    ) { model in
        let now = unixNow()
        let token = SandboxIDs.token("SbxUserWhatsApp")
        let scopes = ["business_management", "whatsapp_business_management", "whatsapp_business_messaging"]
        model.tokens[token] = TokenRecord(
            type: .user, appID: SandboxIDs.appID, scopes: scopes,
            granularScopes: [
                GranularScope(scope: "business_management", targetIDs: [SandboxIDs.businessID]),
                GranularScope(scope: "whatsapp_business_management", targetIDs: [SandboxIDs.wabaID]),
                GranularScope(scope: "whatsapp_business_messaging", targetIDs: [SandboxIDs.wabaID]),
            ],
            issuedAt: now - 4 * 3600, expiresAt: now + 20 * 3600, dataAccessExpiresAt: now + 90 * 86_400,
            userID: SandboxIDs.adminUserID)
        model.configured[ConfigKey.whatsappAccessToken.name] = token
    }

    public static let whatsAppMissingManagementScope = SandboxScenario(
        name: "whatsapp-missing-management-scope",
        summary: "The system-user token was generated without whatsapp_business_management.",
        expectedRootCause: "whatsapp.token", expectedStatus: "fail"
    ) { model in
        model.tokens[SandboxIDs.systemUserToken]?.removeScope("whatsapp_business_management")
    }

    public static let whatsAppOtherWABATarget = SandboxScenario(
        name: "whatsapp-other-waba-target",
        summary: "The system user is assigned another WABA, not WHATSAPP_BUSINESS_ACCOUNT_ID.",
        expectedRootCause: "whatsapp.token", expectedStatus: "fail"
    ) { model in
        model.tokens[SandboxIDs.systemUserToken]?.setTargets([SandboxIDs.otherWABAID])
    }

    /// Passes: Meta's own system-user sample has granular scopes without target_ids.
    public static let whatsAppNoTargetIDs = SandboxScenario(
        name: "whatsapp-no-target-ids", summary: "The system-user token's scopes are not limited to assets (no target_ids)."
    ) { model in
        model.tokens[SandboxIDs.systemUserToken]?.setTargets(nil)
    }

    public static let whatsAppTokenOtherApp = SandboxScenario(
        name: "whatsapp-token-other-app",
        summary: "The system-user token was generated for another app (\"Shop Bot Prototype\").",
        expectedRootCause: "whatsapp.token", expectedStatus: "fail"
    ) { model in
        model.tokens[SandboxIDs.systemUserToken]?.appID = SandboxIDs.otherAppID
    }

    public static let phoneNumberNotInWABA = SandboxScenario(
        name: "phone-number-not-in-waba",
        summary: "WHATSAPP_PHONE_NUMBER_ID is a number of another WABA (copied from another app's API Setup).",
        expectedRootCause: "whatsapp.phone-number", expectedStatus: "fail"
    ) { model in
        model.configured[ConfigKey.whatsappPhoneNumberID.name] = SandboxIDs.otherPhoneNumberID
    }

    public static let wabaNotSubscribed = SandboxScenario(
        name: "waba-not-subscribed",
        summary: "The app is not subscribed to the WABA (subscribed_apps is empty), so no WhatsApp webhook arrives.",
        expectedRootCause: "whatsapp.waba-subscribed", expectedStatus: "fail"
    ) { model in
        model.wabas[SandboxIDs.wabaID]?.subscribedApps = [:]
    }

    public static let healthLimited = SandboxScenario(
        name: "health-limited",
        summary: "The phone number is LIMITED: its display name is still pending review.",
        expectedRootCause: "whatsapp.health", expectedStatus: "warn"
    ) { model in
        // meta-graph-facts §6: Meta's sample LIMITED entity and its additional_info.
        model.updatePhoneNumber(SandboxIDs.phoneNumberID) { number in
            number.nameStatus = "PENDING_REVIEW"
            number.health = HealthRecord(
                canSendMessage: "LIMITED",
                additionalInfo: [
                    "Your display name has not been approved yet. Your message limit will increase after the display name is approved."
                ])
        }
    }

    public static let healthBlocked = SandboxScenario(
        name: "health-blocked", summary: "The WABA is BLOCKED: its payment method failed.",
        expectedRootCause: "whatsapp.health", expectedStatus: "fail"
    ) { model in
        // §6: 141006 is a recorded value; the possible_solution wording is the sandbox's.
        model.wabas[SandboxIDs.wabaID]?.health = HealthRecord(
            canSendMessage: "BLOCKED",
            errors: [
                HealthError(
                    errorCode: 141006, errorDescription: "There is an error with the payment method.",
                    possibleSolution: "Add a valid payment method or fix the current one in WhatsApp Manager > Payment settings.")
            ])
    }
}
