import MetaConfig

extension SandboxScenarios {
    static let messengerGroup = [
        expiredPageToken, pageTokenOtherPage, pageTokenMissingPagesMessaging, pageTokenExpiringSoon, pageTokenOtherApp,
        pageNotSubscribed, pageSubscribedWithoutPostbacks,
    ]

    public static let expiredPageToken = SandboxScenario(
        name: "expired-page-token", summary: "The Page token expired two days ago (a 60-day token that was never renewed).",
        expectedRootCause: "messenger.page-token", expectedStatus: "fail"
    ) { model in
        let now = unixNow()
        model.tokens[SandboxIDs.pageToken]?.issuedAt = now - 62 * 86_400
        model.tokens[SandboxIDs.pageToken]?.expiresAt = now - 2 * 86_400
        model.tokens[SandboxIDs.pageToken]?.isValid = false
        model.tokens[SandboxIDs.pageToken]?.invalidSubcode = 463
    }

    public static let pageTokenOtherPage = SandboxScenario(
        name: "page-token-other-page", summary: "META_PAGE_ACCESS_TOKEN is the token of another Page (\"Other Page\").",
        expectedRootCause: "messenger.page-token", expectedStatus: "fail"
    ) { model in
        let token = SandboxIDs.token("SbxOtherPage")
        model.tokens[token] = .page(
            SandboxIDs.otherPageID, appID: SandboxIDs.appID, instagramAccountID: nil, issuedAt: unixNow() - 7 * 86_400)
        model.configured[ConfigKey.pageAccessToken.name] = token
    }

    public static let pageTokenMissingPagesMessaging = SandboxScenario(
        name: "page-token-missing-pages-messaging", summary: "The Page token was generated without pages_messaging.",
        expectedRootCause: "messenger.page-token", expectedStatus: "fail"
    ) { model in
        model.tokens[SandboxIDs.pageToken]?.removeScope("pages_messaging")
    }

    public static let pageTokenExpiringSoon = SandboxScenario(
        name: "page-token-expiring-soon", summary: "The Page token is a 60-day token that expires in 3 days.",
        expectedRootCause: "messenger.page-token", expectedStatus: "warn"
    ) { model in
        let now = unixNow()
        model.tokens[SandboxIDs.pageToken]?.issuedAt = now - 57 * 86_400
        model.tokens[SandboxIDs.pageToken]?.expiresAt = now + 3 * 86_400
    }

    public static let pageTokenOtherApp = SandboxScenario(
        name: "page-token-other-app", summary: "The Page token was issued for another app (\"Shop Bot Prototype\").",
        expectedRootCause: "messenger.page-token", expectedStatus: "fail"
    ) { model in
        let token = SandboxIDs.token("SbxPageOtherApp")
        model.tokens[token] = .page(
            SandboxIDs.pageID, appID: SandboxIDs.otherAppID, instagramAccountID: SandboxIDs.instagramAccountID,
            issuedAt: unixNow() - 7 * 86_400)
        model.configured[ConfigKey.pageAccessToken.name] = token
    }

    public static let pageNotSubscribed = SandboxScenario(
        name: "page-not-subscribed", summary: "The app is not subscribed to the Page, so no Messenger event arrives.",
        expectedRootCause: "messenger.page-subscribed", expectedStatus: "fail"
    ) { model in
        model.pages[SandboxIDs.pageID]?.subscribedApps = [:]
    }

    public static let pageSubscribedWithoutPostbacks = SandboxScenario(
        name: "page-subscribed-without-postbacks",
        summary: "The Page subscription has messages but not messaging_postbacks, so button taps never arrive.",
        expectedRootCause: "messenger.page-subscribed", expectedStatus: "fail"
    ) { model in
        model.pages[SandboxIDs.pageID]?.subscribedApps[SandboxIDs.appID] = ["messages"]
    }
}
