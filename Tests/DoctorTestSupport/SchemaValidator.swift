import DoctorKit
import Foundation

/// A JSON Schema validator for the keywords reports/report.schema.json uses: type, enum, required,
/// properties, additionalProperties (false), items, $ref (local), pattern, minimum, minLength.
/// `.ci/run` validates with python's jsonschema as a second opinion.
public struct SchemaValidator {
    typealias JSON = EvidenceValue
    let root: [String: JSON]

    public init(schemaData: Data) throws {
        guard case .object(let root) = try JSONDecoder().decode(JSON.self, from: schemaData) else {
            throw SchemaError("the schema is not a JSON object")
        }
        self.root = root
    }

    public static func reportSchema() throws -> SchemaValidator {
        try SchemaValidator(schemaData: Data(contentsOf: RepositoryPaths.root.appendingPathComponent("reports/report.schema.json")))
    }

    /// The violations of `document`, each with its JSON path; empty when valid.
    public func validate(_ document: Data) -> [String] {
        guard let value = try? JSONDecoder().decode(JSON.self, from: document) else { return ["$: not JSON"] }
        var errors: [String] = []
        check(value, against: root, path: "$", errors: &errors)
        return errors
    }

    private func resolve(_ schema: [String: JSON]) -> [String: JSON] {
        guard case .string(let reference) = schema["$ref"], reference.hasPrefix("#/") else { return schema }
        var node = JSON.object(root)
        for component in reference.dropFirst(2).split(separator: "/") {
            guard case .object(let object) = node, let next = object[String(component)] else { return [:] }
            node = next
        }
        guard case .object(let resolved) = node else { return [:] }
        return resolved
    }

    private func check(_ value: JSON, against rawSchema: [String: JSON], path: String, errors: inout [String]) {
        let schema = resolve(rawSchema)
        if let types = schema["type"] {
            let allowed: [String]
            switch types {
            case .string(let one): allowed = [one]
            case .array(let many): allowed = many.compactMap { if case .string(let name) = $0 { name } else { nil } }
            default: allowed = []
            }
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                errors.append("\(path): expected \(allowed.joined(separator: " or ")), found \(Self.typeName(value))")
                return
            }
        }
        if case .array(let options) = schema["enum"], !options.contains(value) {
            errors.append("\(path): \(value.inlineText) is not one of the allowed values")
        }
        if case .string(let text) = value {
            if case .int(let minLength) = schema["minLength"], text.count < minLength { errors.append("\(path): shorter than \(minLength)") }
            if case .string(let pattern) = schema["pattern"], text.range(of: pattern, options: .regularExpression) == nil {
                errors.append("\(path): '\(text)' does not match \(pattern)")
            }
        }
        if case .int(let minimum) = schema["minimum"] {
            if case .int(let number) = value, number < minimum { errors.append("\(path): below \(minimum)") }
            if case .double(let number) = value, number < Double(minimum) { errors.append("\(path): below \(minimum)") }
        }
        if case .object(let object) = value {
            if case .array(let required) = schema["required"] {
                for case .string(let key) in required where object[key] == nil { errors.append("\(path): missing '\(key)'") }
            }
            var properties: [String: JSON] = [:]
            if case .object(let declared) = schema["properties"] { properties = declared }
            for (key, member) in object {
                if case .object(let propertySchema) = properties[key] {
                    check(member, against: propertySchema, path: "\(path).\(key)", errors: &errors)
                } else if schema["additionalProperties"] == .bool(false) {
                    errors.append("\(path): unexpected key '\(key)'")
                }
            }
        }
        if case .array(let array) = value, case .object(let items) = schema["items"] {
            for (index, item) in array.enumerated() { check(item, against: items, path: "\(path)[\(index)]", errors: &errors) }
        }
    }

    static func matches(_ value: JSON, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int),
            ("number", .int), ("number", .double), ("null", .null):
            true
        case ("integer", .double(let number)): number == number.rounded()
        default: false
        }
    }

    static func typeName(_ value: JSON) -> String {
        for type in ["null", "boolean", "integer", "number", "string", "array", "object"] where matches(value, type: type) {
            return type
        }
        return "unknown"
    }
}

public struct SchemaError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Paths into the repository, found from this file's location (tests read files by path, not as
/// bundle resources).
public enum RepositoryPaths {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
