import MetaConfig

extension SandboxScenarios {
    public static let tlsSelfSigned = certificate(.selfSigned, "The webhook serves a self-signed certificate.")
}
