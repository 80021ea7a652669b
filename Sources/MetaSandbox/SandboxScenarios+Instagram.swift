import MetaConfig

extension SandboxScenarios {
    static let instagramGroup = [
        instagramLoginToken, instagramMissingManageMessages, instagramNotLinked, instagramLinkedOtherAccount,
    ]

    public static let instagramLoginToken = SandboxScenario(
        name: "instagram-login-token",
        summary: "INSTAGRAM_ACCESS_TOKEN is an Instagram-Login token (IGAA…) from the dashboard's Instagram tab.",
        expectedRootCause: "instagram.token", expectedStatus: "fail"
    ) { model in
        model.configured[ConfigKey.instagramAccessToken.name] = "IGAA" + "SbxInstagramLogin" + SandboxIDs.hex("ig-login", 64)
    }

    /// Messenger stays green: Instagram gets its own Page token, a second one of the same Page.
    public static let instagramMissingManageMessages = SandboxScenario(
        name: "instagram-missing-manage-messages",
        summary: "INSTAGRAM_ACCESS_TOKEN is a Page token without instagram_manage_messages.",
        expectedRootCause: "instagram.token", expectedStatus: "fail"
    ) { model in
        let token = SandboxIDs.token("SbxPageNoInstagramMessages")
        var record = TokenRecord.page(
            SandboxIDs.pageID, appID: SandboxIDs.appID, instagramAccountID: SandboxIDs.instagramAccountID,
            issuedAt: unixNow() - 86_400)
        record.removeScope("instagram_manage_messages")
        model.tokens[token] = record
        model.configured[ConfigKey.instagramAccessToken.name] = token
    }

    public static let instagramNotLinked = SandboxScenario(
        name: "instagram-not-linked", summary: "The Page has no linked Instagram professional account.",
        expectedRootCause: "instagram.linked", expectedStatus: "fail"
    ) { model in
        model.pages[SandboxIDs.pageID]?.instagramAccountID = nil
    }

    public static let instagramLinkedOtherAccount = SandboxScenario(
        name: "instagram-linked-other-account",
        summary: "The Page is linked to another Instagram account than INSTAGRAM_ACCOUNT_ID.",
        expectedRootCause: "instagram.linked", expectedStatus: "fail"
    ) { model in
        model.pages[SandboxIDs.pageID]?.instagramAccountID = SandboxIDs.otherInstagramAccountID
    }
}
