import MetaConfig

extension SandboxScenarios {
    public static let whatsAppWABAAsPhoneNumber = SandboxScenario(
        name: "whatsapp-waba-as-phone-number",
        summary: "WHATSAPP_PHONE_NUMBER_ID holds the WABA id, pasted from WhatsApp Manager."
    ) { model in
        model.configured[ConfigKey.whatsappPhoneNumberID.name] = SandboxIDs.wabaID
    }
}
