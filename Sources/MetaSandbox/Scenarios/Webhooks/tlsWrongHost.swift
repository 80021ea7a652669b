import MetaConfig

extension SandboxScenarios {
    public static let tlsWrongHost = certificate(.wrongHost, "The webhook's certificate names another host.")
}
