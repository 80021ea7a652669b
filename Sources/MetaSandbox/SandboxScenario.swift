import Foundation

/// A named setup: the healthy world changed in one way, plus faults, and the check the doctor
/// should report first.
public struct SandboxScenario: Sendable {
    /// Kebab-case, e.g. "bad-secret".
    public let name: String
    /// One line: the broken setup in user terms.
    public let summary: String
    /// The id of the check expected to fail or warn first, e.g. "app.secret"; nil when all pass.
    public let expectedRootCause: String?
    /// "fail", "warn" or "error" for that check.
    public let expectedStatus: String?
    public let apply: @Sendable (inout IntegrationModel) -> Void
    public let faults: [SandboxFault]
    /// What stands behind the webhook URL.
    public let webhook: WebhookSetup
    /// Findings besides the root cause that the scenario rightly raises (a warning on the way).
    public let alsoReported: [String]

    public init(
        name: String, summary: String, expectedRootCause: String? = nil, expectedStatus: String? = nil,
        faults: [SandboxFault] = [], webhook: WebhookSetup = .standard, alsoReported: [String] = [],
        apply: @escaping @Sendable (inout IntegrationModel) -> Void = { _ in }
    ) {
        self.name = name
        self.summary = summary
        self.expectedRootCause = expectedRootCause
        self.expectedStatus = expectedStatus
        self.apply = apply
        self.faults = faults
        self.webhook = webhook
        self.alsoReported = alsoReported
    }

    /// The healthy model with this scenario applied.
    public func model() -> IntegrationModel {
        var model = IntegrationModel.healthy()
        apply(&model)
        return model
    }
}

/// The registry. Each scenario is a value in a file of its own under Scenarios/<area>/, listed in
/// its area's group (SandboxScenarios+<area>.swift), so adding one touches no central switch.
public enum SandboxScenarios {
    public static let all: [SandboxScenario] =
        [healthy, onboarding] + appGroup + messengerGroup + whatsAppGroup + instagramGroup + webhookGroup + tunnelGroup
        + faultGroup

    public static func named(_ name: String) -> SandboxScenario? { all.first { $0.name == name } }

    /// Now, in unix seconds, for expiry times relative to the start of the sandbox.
    static func unixNow() -> Int { Int(Date().timeIntervalSince1970) }
}
