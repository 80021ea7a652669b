import MetaConfig

extension SandboxScenarios {
    /// MB-G6: recorded WhatsApp replies show calls to a version still listed as available answered by
    /// a newer one, with X-Ad-Api-Version-Warning.
    public static let whatsAppVersionUpgraded = SandboxScenario(
        name: "whatsapp-version-upgraded",
        summary: "META_GRAPH_VERSION is v22.0; Meta already auto-upgrades WhatsApp calls to v24.0."
    ) { model in
        model.configured[ConfigKey.graphVersion.name] = "v22.0"
        model.versions.upgradedOnWhatsApp["v22.0"] = "v24.0"
    }
}
