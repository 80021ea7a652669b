import MetaConfig

extension SandboxScenarios {
    public static let graphVersionWithoutV = SandboxScenario(
        name: "version-without-v", summary: "META_GRAPH_VERSION is 25.0, without the leading v."
    ) { model in
        model.configured[ConfigKey.graphVersion.name] = "25.0"
    }
}
