import MetaConfig

extension SandboxScenarios {
    public static let phoneNumberNotInWABA = SandboxScenario(
        name: "phone-number-not-in-waba",
        summary: "WHATSAPP_PHONE_NUMBER_ID is a number of another WABA (copied from another app's API Setup)."
    ) { model in
        model.configured[ConfigKey.whatsappPhoneNumberID.name] = SandboxIDs.otherPhoneNumberID
    }
}
