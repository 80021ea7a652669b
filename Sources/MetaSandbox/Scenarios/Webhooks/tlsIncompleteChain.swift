import MetaConfig

extension SandboxScenarios {
    public static let tlsIncompleteChain = certificate(
        .incompleteChain, "The webhook's certificate comes from an intermediate the server does not send.")
}
