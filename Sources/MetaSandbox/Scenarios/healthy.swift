extension SandboxScenarios {
    public static let healthy = SandboxScenario(
        name: "healthy", summary: "Messenger, WhatsApp and Instagram all set up correctly.")
}
