import MetaConfig

extension SandboxScenarios {
    public static let tlsExpired = certificate(.expired, "The webhook's certificate has expired.")
}
