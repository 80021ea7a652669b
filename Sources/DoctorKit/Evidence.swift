/// A JSON value: the structured evidence a probe attaches to its result.
///
/// Evidence is rendered into every report format, so it must never hold a secret: probes store
/// fingerprints of tokens, never the tokens.
public enum EvidenceValue: Sendable, Equatable, Codable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([EvidenceValue])
    case object([String: EvidenceValue])
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([EvidenceValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: EvidenceValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    /// A compact one-line rendering for human-readable reports.
    public var inlineText: String {
        switch self {
        case .string(let value): value
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): String(value)
        case .array(let values): values.map(\.inlineText).joined(separator: ", ")
        case .object(let pairs):
            pairs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.inlineText)" }
                .joined(separator: ", ")
        case .null: "none"
        }
    }
}

extension EvidenceValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: EvidenceValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, EvidenceValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension EvidenceValue {
    public static func strings(_ values: [String]) -> EvidenceValue { .array(values.map(EvidenceValue.string)) }
    public static func optional(_ value: String?) -> EvidenceValue { value.map(EvidenceValue.string) ?? .null }
}

/// Evidence keyed by name; JSON renders it sorted, so reports are stable.
public typealias Evidence = [String: EvidenceValue]
