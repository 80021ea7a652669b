import Foundation

/// A named setup: the healthy world changed in one way, plus faults. It describes what Meta and
/// the user's endpoints do, never what the doctor should conclude: the expected verdicts live in
/// the tests (Tests/MetaDoctorTests/ScenarioExpectations.swift).
public struct SandboxScenario: Sendable {
    /// Kebab-case, e.g. "bad-secret".
    public let name: String
    /// One line: the broken setup in user terms.
    public let summary: String
    public let apply: @Sendable (inout IntegrationModel) -> Void
    public let faults: [SandboxFault]
    /// What stands behind the webhook URL.
    public let webhook: WebhookSetup

    public init(
        name: String, summary: String, faults: [SandboxFault] = [], webhook: WebhookSetup = .standard,
        apply: @escaping @Sendable (inout IntegrationModel) -> Void = { _ in }
    ) {
        self.name = name
        self.summary = summary
        self.apply = apply
        self.faults = faults
        self.webhook = webhook
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
