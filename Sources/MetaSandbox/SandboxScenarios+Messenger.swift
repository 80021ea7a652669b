import MetaConfig

extension SandboxScenarios {
    static let messengerGroup = [
        expiredPageToken, pageTokenOtherPage, pageTokenMissingPagesMessaging, pageTokenExpiringSoon, pageTokenOtherApp,
        pageNotSubscribed, pageSubscribedWithoutPostbacks, pageTokenMissingPagesShowList, pageWriteRefused, pageAndInstagramSwapped,
    ]
}
