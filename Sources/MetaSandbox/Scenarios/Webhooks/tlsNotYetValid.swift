import MetaConfig

extension SandboxScenarios {
    public static let tlsNotYetValid = certificate(.notYetValid, "The webhook's certificate is not valid yet.")
}
