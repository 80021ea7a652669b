import DoctorKit
import MetaConfig
import MetaGraph

/// `whatsapp.phone-number`: the WABA is readable and the phone number id is one of its numbers.
public struct PhoneNumberCheck: MetaProbe {
    public static let id: CheckID = "whatsapp.phone-number"

    public let description = CheckDescription(
        id: PhoneNumberCheck.id,
        title: "The phone number belongs to the WABA",
        platform: Platform.whatsapp.rawValue,
        prerequisites: [WhatsAppTokenCheck.id],
        guideStep: GuideSteps.whatsappPhoneNumber,
        summary: """
            Reads the WABA and its phone numbers with the WhatsApp token, at the same time: WHATSAPP_PHONE_NUMBER_ID \
            must be among them. Shows the display number, verified name, quality rating and status; quality RED or a \
            status other than CONNECTED warns.
            """,
        calls: ["GET /{waba-id}?fields=id,name,health_status", "GET /{waba-id}/phone_numbers"],
        permissions: ["whatsapp_business_management"],
        remediation: """
            Copy the phone number id (not the phone number) from Meta for Developers > your app > WhatsApp > API Setup, \
            for the WABA in WHATSAPP_BUSINESS_ACCOUNT_ID.
            """
    )

    /// Meta's meaning of each quality rating.
    static func qualityMeaning(_ rating: String) -> String {
        switch rating {
        case "GREEN": "high quality"
        case "YELLOW": "medium quality"
        case "RED": "low quality: customers block or report your messages; the messaging limit may drop"
        default: "not rated yet"
        }
    }

    public init() {}

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        guard let token = configuration.whatsappAccessToken, let wabaID = configuration.wabaID,
            let phoneID = configuration.phoneNumberID
        else { return .error("The WhatsApp configuration is missing.") }

        let graph = environment.graph
        let deadline = context.deadline
        let (wabaResult, numbersResult) = await bothCalls(
            { () async throws(GraphError) in try await graph.waba(wabaID, token: token, by: deadline) },
            { () async throws(GraphError) in try await graph.wabaPhoneNumbers(wabaID, token: token, by: deadline) })
        let waba: WABANode
        let numbers: [PhoneNumberNode]
        do throws(GraphError) {
            waba = try wabaResult.get()
            numbers = try numbersResult.get()
        } catch {
            switch error.kind {
            case .invalidParameter:
                return .fail(
                    "WABA \(wabaID) does not exist or the WhatsApp token cannot see it: \(error.message)", evidence: error.evidence,
                    action: "Check WHATSAPP_BUSINESS_ACCOUNT_ID (WhatsApp Manager > Account tools shows the WABA id), and that the system user has the WABA among its assets.")
            case .permissionMissing, .invalidToken, .expiredToken:
                return error.tokenFailure(label: "WhatsApp token", renew: WhatsAppTokenCheck().description.remediation)
            default:
                return .couldNotVerify(error, while: "reading WABA \(wabaID)")
            }
        }
        var evidence: Evidence = [
            "waba": .string("\(waba.name ?? "?") (\(waba.id))"),
            "phoneNumbers": .strings(numbers.map { "\($0.displayPhoneNumber ?? "?") (\($0.id))" }),
        ]
        guard let number = numbers.first(where: { $0.id == phoneID }) else {
            let listed = numbers.map { "\($0.id) (\($0.displayPhoneNumber ?? "?"))" }.joined(separator: ", ")
            return .fail(
                "Phone number id \(phoneID) is not among WABA \(wabaID)'s numbers\(numbers.isEmpty ? " (it has none)" : ": \(listed)").",
                evidence: evidence,
                action: numbers.isEmpty
                    ? "Add a phone number to WABA \(wabaID) in WhatsApp Manager, then set WHATSAPP_PHONE_NUMBER_ID to its id."
                    : "Set WHATSAPP_PHONE_NUMBER_ID to one of: \(listed) (the id, not the phone number).")
        }
        let quality = number.qualityRating ?? "UNKNOWN"
        let status = number.status ?? "UNKNOWN"
        evidence["displayPhoneNumber"] = .optional(number.displayPhoneNumber)
        evidence["verifiedName"] = .optional(number.verifiedName)
        evidence["qualityRating"] = .string(quality)
        evidence["status"] = .string(status)
        evidence["codeVerificationStatus"] = .optional(number.codeVerificationStatus)
        evidence["testNumber"] = .bool(number.accountMode == "SANDBOX")
        let label = "\(number.displayPhoneNumber ?? phoneID) (\(number.verifiedName ?? "no verified name"))"
        var warnings: [String] = []
        if quality == "RED" { warnings.append("quality rating RED, \(Self.qualityMeaning(quality))") }
        if status != "CONNECTED" {
            warnings.append("status \(status): the number cannot send messages until it is CONNECTED")
        }
        if !warnings.isEmpty {
            return .warn(
                "\(label): \(warnings.joined(separator: "; ")).", evidence: evidence,
                action: "Open WhatsApp Manager > Phone numbers > \(number.displayPhoneNumber ?? phoneID) for Meta's details and the steps it asks for.")
        }
        let test = number.accountMode == "SANDBOX" ? ", test number" : ""
        return .pass("\(label) in WABA \(wabaID): \(status), quality \(quality)\(test).", evidence: evidence)
    }
}
