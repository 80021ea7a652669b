import MetaConfig

extension SandboxScenarios {
    public static let graphVersionUnknown = SandboxScenario(
        name: "version-unknown", summary: "META_GRAPH_VERSION is v99.0, a version Meta does not serve."
    ) { model in
        model.configured[ConfigKey.graphVersion.name] = "v99.0"
    }
}
