import DoctorKit
import Foundation
import MetaConfig
import MetaGraph

/// `whatsapp.health`: the phone number's health_status says it can send messages.
public struct HealthCheck: MetaProbe {
    public static let id: CheckID = "whatsapp.health"

    public let description = CheckDescription(
        id: HealthCheck.id,
        title: "The WhatsApp number can send messages",
        platform: Platform.whatsapp.rawValue,
        prerequisites: [PhoneNumberCheck.id],
        guideStep: GuideSteps.whatsappHealth,
        summary: """
            Reads the phone number's health_status: AVAILABLE passes, LIMITED warns, BLOCKED fails, listing each \
            entity's (phone number, WABA, business, app) errors with Meta's possible solution.
            """,
        calls: HealthCheck.graphReads(.placeholders).descriptions,
        permissions: ["whatsapp_business_management"],
        remediation: "Follow Meta's possible solution for each entity listed (payment method, business verification, display name) in Business settings or WhatsApp Manager."
    )

    public init() {}

    public static func graphReads(_ ids: GraphIDs) -> [any GraphRead] {
        ids.phoneNumberID.map { [GraphCalls.phoneNumber($0)] } ?? []
    }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        guard configuration.whatsappAccessToken != nil, let phoneID = configuration.phoneNumberID else {
            return .error("The WhatsApp configuration is missing.")
        }
        let number: PhoneNumberNode
        do { number = try await environment.graph.read(GraphCalls.phoneNumber(phoneID), by: context.deadline) } catch {
            if error.kind.isCouldNotVerify { return .couldNotVerify(error, while: "reading phone number \(phoneID)") }
            return error.tokenFailure(label: "WhatsApp token", renew: WhatsAppTokenCheck.renew)
        }
        guard let health = number.healthStatus, let overall = health.canSendMessage else {
            return .error("Meta's reply for phone number \(phoneID) carries no health_status.")
        }
        let troubled = (health.entities ?? []).filter { ($0.canSendMessage ?? .available) != .available }
        let details = troubled.map { entity -> String in
            let name = "\(entity.entityType ?? "entity") \(entity.id ?? "")".trimmingCharacters(in: .whitespaces)
            let errors = (entity.errors ?? []).map { error in
                "\(error.errorCode.map { "\($0) " } ?? "")\(error.errorDescription ?? "")"
                    + (error.possibleSolution.map { " (Meta suggests: \($0))" } ?? "")
            }
            let info = entity.additionalInfo ?? []
            return "\(name) \(entity.canSendMessage?.rawValue ?? "?"): " + (errors + info).joined(separator: "; ")
        }
        let evidence: Evidence = [
            "canSendMessage": .string(overall.rawValue),
            "entities": .array((health.entities ?? []).map { entity in
                .object([
                    "entityType": .optional(entity.entityType), "id": .optional(entity.id),
                    "canSendMessage": .optional(entity.canSendMessage?.rawValue),
                    "errors": .strings((entity.errors ?? []).map { "\($0.errorCode.map(String.init) ?? "?"): \($0.errorDescription ?? "")" }),
                    "possibleSolutions": .strings((entity.errors ?? []).compactMap(\.possibleSolution)),
                    "additionalInfo": .strings(entity.additionalInfo ?? []),
                ])
            }),
        ]
        let action = details.isEmpty ? nil : details.map { "• \($0)" }.joined(separator: "\n") + "\n" + description.remediation
        switch overall {
        case .available:
            return .pass("Phone number \(phoneID) can send messages (health AVAILABLE).", evidence: evidence)
        case .limited:
            return .warn("Phone number \(phoneID) is LIMITED: \(details.joined(separator: " | "))", evidence: evidence, action: action)
        case .blocked:
            return .fail("Phone number \(phoneID) is BLOCKED: \(details.joined(separator: " | "))", evidence: evidence, action: action)
        case .unknown(let raw):
            return .error("Unknown health status '\(raw)' for phone number \(phoneID).", evidence: evidence)
        }
    }
}
