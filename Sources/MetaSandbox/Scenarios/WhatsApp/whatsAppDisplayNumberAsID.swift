import MetaConfig

extension SandboxScenarios {
    public static let whatsAppDisplayNumberAsID = SandboxScenario(
        name: "whatsapp-display-number-as-id",
        summary: "WHATSAPP_PHONE_NUMBER_ID holds the phone number itself (+1 555-010-4242 as digits), not its id."
    ) { model in
        model.configured[ConfigKey.whatsappPhoneNumberID.name] = "15550104242"
    }
}
