import MetaConfig

extension SandboxScenarios {
    static let instagramGroup = [
        instagramLoginToken, instagramMissingManageMessages, instagramNotLinked, instagramLinkedOtherAccount,
    ]
}
