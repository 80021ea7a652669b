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
            must be among them (all pages of the list are read). The WABA's account review and the number's \
            platform_type, status, account_mode and quality_rating decide: a rejected WABA, a number not registered \
            for the Cloud API, PENDING, BANNED or DELETED fail; a pending review, quality RED or another status than \
            CONNECTED warn, except on Meta's test number (account_mode SANDBOX), which reads DISCONNECTED while it works. \
            When Meta reads WHATSAPP_BUSINESS_ACCOUNT_ID as a business, the business's owned WABAs are read (an admin \
            token with business_management may): one is named as the right value.
            """,
        calls: PhoneNumberCheck.graphReads(.placeholders).descriptions + [
            "only when Meta reads WHATSAPP_BUSINESS_ACCOUNT_ID as a Business: "
                + GraphCalls.ownedWABAs("{business-id}").request.description
        ],
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

    public static func graphReads(_ ids: GraphIDs) -> [any GraphRead] {
        ids.wabaID.map { [GraphCalls.waba($0), GraphCalls.wabaPhoneNumbers($0)] } ?? []
    }

    public func run(_ environment: ProbeEnvironment, _ context: CheckContext) async throws -> ProbeResult {
        let configuration = environment.configuration
        guard configuration.whatsappAccessToken != nil, let wabaID = configuration.wabaID,
            let phoneID = configuration.phoneNumberID
        else { return .error("The WhatsApp configuration is missing.") }

        let graph = environment.graph
        let deadline = context.deadline
        let (wabaResult, numbersResult) = await bothCalls(
            { () async throws(GraphError) in try await graph.read(GraphCalls.waba(wabaID), by: deadline) },
            { () async throws(GraphError) in try await graph.read(GraphCalls.wabaPhoneNumbers(wabaID), by: deadline) })
        let waba: WABANode
        let numbers: [PhoneNumberNode]
        do throws(GraphError) {
            waba = try wabaResult.get()
            numbers = try numbersResult.get()
        } catch {
            switch error.kind {
            case .invalidParameter:
                // MB-G30: Meta names the node type when the id is another object's. whatsapp.token
                // passed, so the token's scopes name no WABA (else it fails with the WABA's id):
                // no read shows the right value, the dashboards do.
                if let type = error.nodeTypeOfNonexistingField, type != "WhatsAppBusinessAccount" {
                    if type == "Business",
                        let owned = await Self.ownedWABAs(of: wabaID, error: error, graph: graph, deadline: deadline)
                    {
                        return owned.right.map { owned.result.changing(.whatsappBusinessAccountID, to: $0, in: configuration) } ?? owned.result
                    }
                    return .fail(
                        "WHATSAPP_BUSINESS_ACCOUNT_ID is \(wabaID), \(MisplacedIDs.kind(ofNodeType: type)) (Meta reads it as node type \(type)), not a WABA id; the WhatsApp token's scopes name no WABA, so copy its id from API Setup or WhatsApp Manager.",
                        evidence: error.evidence,
                        action: "Set WHATSAPP_BUSINESS_ACCOUNT_ID to the WABA's id: Meta for Developers > your app > WhatsApp > API Setup shows it as WhatsApp Business Account ID, and WhatsApp Manager (Meta Business Suite > All tools) shows it under the account's name.",
                        guideStep: GuideSteps.whatsappBusinessAccount)
                }
                return .fail(
                    "WABA \(wabaID) does not exist or the WhatsApp token cannot see it: \(error.message)", evidence: error.evidence,
                    action: "Check WHATSAPP_BUSINESS_ACCOUNT_ID (Meta Business Suite > All tools > WhatsApp Manager shows the WABA id under the account's name), and that the system user has the WABA among its assets.",
                    guideStep: GuideSteps.whatsappBusinessAccount)
            case .permissionMissing, .invalidToken, .expiredToken:
                return error.tokenFailure(label: "WhatsApp token", renew: WhatsAppTokenCheck.renew)
            default:
                return .couldNotVerify(error, while: "reading WABA \(wabaID)")
            }
        }
        var evidence: Evidence = [
            "waba": .string("\(waba.name ?? "?") (\(waba.id))"),
            "phoneNumbers": .strings(numbers.map { "\($0.displayPhoneNumber ?? "?") (\($0.id))" }),
        ]
        guard let number = numbers.first(where: { $0.id == phoneID }) else {
            if let misplaced = await Self.misplacedPhoneNumberID(
                phoneID, wabaID: wabaID, numbers: numbers, evidence: evidence, graph: graph, deadline: deadline)
            {
                return misplaced.right.map { misplaced.result.changing(.whatsappPhoneNumberID, to: $0, in: configuration) } ?? misplaced.result
            }
            let listed = MisplacedIDs.listed(numbers)
            return .fail(
                "Phone number id \(phoneID) is not among WABA \(wabaID)'s numbers\(numbers.isEmpty ? " (it has none)" : ": \(listed)").",
                evidence: evidence,
                action: numbers.isEmpty
                    ? "Add a phone number to WABA \(wabaID) in WhatsApp Manager, then set WHATSAPP_PHONE_NUMBER_ID to its id."
                    : "Set WHATSAPP_PHONE_NUMBER_ID to one of: \(listed) (the id, not the phone number).")
        }
        evidence["displayPhoneNumber"] = .optional(number.displayPhoneNumber)
        evidence["verifiedName"] = .optional(number.verifiedName)
        evidence["qualityRating"] = .optional(number.qualityRating?.rawValue)
        evidence["status"] = .optional(number.status?.rawValue)
        evidence["codeVerificationStatus"] = .optional(number.codeVerificationStatus)
        evidence["platformType"] = .optional(number.platformType?.rawValue)
        evidence["accountMode"] = .optional(number.accountMode?.rawValue)
        evidence["nameStatus"] = .optional(number.nameStatus)
        evidence["accountReviewStatus"] = .optional(waba.accountReviewStatus?.rawValue)
        evidence["businessVerificationStatus"] = .optional(waba.businessVerificationStatus)
        return Self.judge(number, waba: waba, phoneID: phoneID, evidence: evidence)
    }

    /// The failure of a business id in WHATSAPP_BUSINESS_ACCOUNT_ID, naming the WABAs the business
    /// owns (MB-G44): read only now, and only an admin token with business_management may. `right`
    /// is the one WABA id to write; nil when the read fails or lists none (the caller's message stands).
    static func ownedWABAs(
        of businessID: String, error: GraphError, graph: GraphMemo, deadline: ContinuousClock.Instant
    ) async -> (result: ProbeResult, right: String?)? {
        guard let wabas = try? await graph.read(GraphCalls.ownedWABAs(businessID), by: deadline), !wabas.isEmpty else { return nil }
        let named = wabas.map { "'\($0.name ?? "?")' (\($0.id))" }
        let start = "WHATSAPP_BUSINESS_ACCOUNT_ID is \(businessID), a business id (Meta reads it as node type Business), not a WABA id"
        var evidence = error.evidence
        evidence["ownedWABAs"] = .strings(named)
        if wabas.count == 1 {
            let result = ProbeResult.fail(
                "\(start); the business owns WABA \(named[0]).", evidence: evidence,
                action: "Set WHATSAPP_BUSINESS_ACCOUNT_ID=\(wabas[0].id), the business's WABA (WhatsApp Manager shows its id under the account's name).",
                guideStep: GuideSteps.whatsappBusinessAccount)
            return (result, wabas[0].id)
        }
        let listed = named.joined(separator: ", ")
        let result = ProbeResult.fail(
            "\(start); the business owns \(wabas.count) WABAs: \(listed).", evidence: evidence,
            action: "Set WHATSAPP_BUSINESS_ACCOUNT_ID to the id of the WABA that holds WHATSAPP_PHONE_NUMBER_ID: one of \(listed).",
            guideStep: GuideSteps.whatsappBusinessAccount)
        return (result, nil)
    }

    /// The failure of a phone number id that is a known other value, with the right one from the
    /// WABA's list: one of its display numbers as digits (MB-G32), or an id that Meta reads as another node
    /// type (a WABA's, MB-G30). The node type comes from the number's own read, which
    /// `whatsapp.health` plans anyway; nil when neither applies. `right` is the one id to write,
    /// when the WABA's list leaves no choice.
    static func misplacedPhoneNumberID(
        _ phoneID: String, wabaID: String, numbers: [PhoneNumberNode], evidence: Evidence, graph: GraphMemo,
        deadline: ContinuousClock.Instant
    ) async -> (result: ProbeResult, right: String?)? {
        let choose = numbers.count == 1
            ? "WABA \(wabaID)'s phone number id is \(numbers[0].id)" : "WABA \(wabaID)'s numbers are \(MisplacedIDs.listed(numbers))"
        if let shown = numbers.first(where: { $0.displayPhoneNumber.map(MisplacedIDs.digits) == phoneID }), let display = shown.displayPhoneNumber {
            let result = ProbeResult.fail(
                "WHATSAPP_PHONE_NUMBER_ID is \(phoneID), the display number \(display) written as digits, not its id; its id is \(shown.id).",
                evidence: evidence,
                action: "Set WHATSAPP_PHONE_NUMBER_ID=\(shown.id): the phone number id of \(display) in WABA \(wabaID) (Meta for Developers > your app > WhatsApp > API Setup shows it under the number).")
            return (result, shown.id)
        }
        guard let type = await MisplacedIDs.nodeType(of: GraphCalls.phoneNumber(phoneID), graph: graph, by: deadline),
            type != "WhatsAppBusinessPhoneNumber"
        else { return nil }
        let sameAsWABA = phoneID == wabaID ? ", the same as WHATSAPP_BUSINESS_ACCOUNT_ID" : ""
        let result = ProbeResult.fail(
            "WHATSAPP_PHONE_NUMBER_ID is \(phoneID), \(MisplacedIDs.kind(ofNodeType: type))\(sameAsWABA) (Meta reads it as node type \(type)), not a phone number id; \(numbers.isEmpty ? "WABA \(wabaID) has no number" : choose).",
            evidence: evidence,
            action: numbers.isEmpty
                ? "Add a phone number to WABA \(wabaID) in WhatsApp Manager, then set WHATSAPP_PHONE_NUMBER_ID to its id."
                : numbers.count == 1
                    ? "Set WHATSAPP_PHONE_NUMBER_ID=\(numbers[0].id) (\(numbers[0].displayPhoneNumber ?? "WABA \(wabaID)'s number"))."
                    : "Set WHATSAPP_PHONE_NUMBER_ID to the id of the number you send from: \(MisplacedIDs.listed(numbers)).")
        return (result, numbers.count == 1 ? numbers[0].id : nil)
    }

    /// The verdict from the documented fields (docs/meta-behaviour.md MB-G11 to MB-G13). Meta's test
    /// number reads SANDBOX, DISCONNECTED and NOT_VERIFIED while it sends fine (MB-G12), so those
    /// values say nothing wrong of a test number.
    static func judge(_ number: PhoneNumberNode, waba: WABANode, phoneID: String, evidence: Evidence) -> ProbeResult {
        let display = number.displayPhoneNumber ?? phoneID
        let label = "\(display) (\(number.verifiedName ?? "no verified name"))"
        let manager = "WhatsApp Manager > Phone numbers > \(display)"
        switch waba.accountReviewStatus {
        case .rejected:
            return .fail(
                "WABA \(waba.id) was rejected in Meta's account review: it may not send messages.", evidence: evidence,
                action: "WhatsApp Manager > Account tools > Overview shows the reason; fix it and request another review (Business Support Home).")
        default: break
        }
        switch number.platformType {
        case .onPremise:
            return .fail(
                "\(label) is registered for the On-Premises API, not the Cloud API.", evidence: evidence,
                action: "Migrate the number to the Cloud API (deregister it from the On-Premises client first), then register it: POST /\(phoneID)/register with messaging_product=whatsapp and a 6-digit pin.")
        case .notApplicable:
            return .fail(
                "\(label) is not registered for the Cloud API (platform_type NOT_APPLICABLE).", evidence: evidence,
                action: "Register the number for the Cloud API: POST /\(phoneID)/register with messaging_product=whatsapp and a 6-digit pin (two-step verification), with the system user's token.")
        default: break
        }
        let isTestNumber = number.accountMode == .sandbox
        switch number.status {
        case .pending:
            return .fail(
                "\(label) is PENDING: its registration with the Cloud API is not complete, so it cannot send or receive.",
                evidence: evidence,
                action: "Finish the registration: POST /\(phoneID)/register with messaging_product=whatsapp and a 6-digit pin; \(manager) shows what Meta still needs.")
        case .banned, .deleted, .migrated:
            return .fail(
                "\(label) is \(number.status?.rawValue ?? ""): it can no longer send from this WABA.", evidence: evidence,
                action: "\(manager) shows Meta's reason; use another number of WABA \(waba.id).")
        default: break
        }
        var warnings: [String] = []
        if waba.accountReviewStatus == .pending {
            warnings.append("WABA \(waba.id)'s account review is PENDING; Meta may limit it until the review is approved")
        }
        if number.qualityRating == .red { warnings.append("quality rating RED, \(qualityMeaning("RED"))") }
        if !isTestNumber {
            switch number.status {
            case .connected, nil: break
            case .some(let status):
                warnings.append("status \(status.rawValue): Meta reports the number is not CONNECTED")
            }
        }
        if !warnings.isEmpty {
            return .warn(
                "\(label): \(warnings.joined(separator: "; ")).", evidence: evidence,
                action: "Open \(manager) for Meta's details and the steps it asks for.")
        }
        if isTestNumber {
            return .pass(
                "\(label) in WABA \(waba.id) is Meta's test number: it sends only to the recipients added in API Setup.",
                evidence: evidence)
        }
        let status = number.status?.rawValue ?? "status not reported"
        return .pass(
            "\(label) in WABA \(waba.id): \(status), quality \(number.qualityRating?.rawValue ?? "not rated").", evidence: evidence)
    }
}
