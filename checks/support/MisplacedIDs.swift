import DoctorKit
import MetaConfig
import MetaGraph

/// What a configured id is when it is not what its variable names: the diagnoses of ids pasted in
/// the wrong place. They run only after a check has failed, from reads the run made already or
/// makes only then, so a healthy run makes no extra request.
public enum MisplacedIDs {
    /// The digits of a display phone number: "+1 555-010-4242" → "15550104242".
    public static func digits(_ text: String) -> String { String(text.filter(\.isASCIIDigit)) }

    /// The node type Meta names for `id` when `read` asks it for fields of another type (MB-G30),
    /// or nil when the read succeeded or failed otherwise.
    static func nodeType<Call: GraphRead>(of read: Call, graph: GraphMemo, by deadline: ContinuousClock.Instant) async -> String? {
        do {
            _ = try await graph.read(read, by: deadline)
            return nil
        } catch {
            return error.nodeTypeOfNonexistingField
        }
    }

    /// How a report names a node type Meta answered: "a WABA id", "a business id".
    static func kind(ofNodeType type: String) -> String {
        switch type {
        case "WhatsAppBusinessAccount": "a WABA id"
        case "WhatsAppBusinessPhoneNumber": "a phone number id"
        case "Business": "a business id"
        case "Page": "a Page id"
        case "IGUser": "an Instagram account id"
        case "User": "a user id"
        case "Application": "an app id"
        default: "the id of a \(type)"
        }
    }

    /// "1205000000000001 (+1 555-010-4242)", or a list of them.
    static func listed(_ numbers: [PhoneNumberNode]) -> String {
        numbers.map { "\($0.id) (\($0.displayPhoneNumber ?? "?"))" }.joined(separator: ", ")
    }
}

extension String {
    /// "System user 12" → "system user 12".
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}
