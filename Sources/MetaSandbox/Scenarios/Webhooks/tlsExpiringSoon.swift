import MetaConfig

extension SandboxScenarios {
    public static let tlsExpiringSoon = certificate(.expiringSoon, "The webhook's certificate expires in 7 days.")
}
