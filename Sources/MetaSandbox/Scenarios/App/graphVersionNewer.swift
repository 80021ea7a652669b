import MetaConfig

extension SandboxScenarios {
    /// Meta has released a version after this build was made, and serves it.
    public static let graphVersionNewer = SandboxScenario(
        name: "version-newer", summary: "META_GRAPH_VERSION is v28.0, released by Meta after this build of meta-doctor."
    ) { model in
        model.versions.current.append("v28.0")
        model.configured[ConfigKey.graphVersion.name] = "v28.0"
    }
}
