import DoctorKit
import Foundation

/// The JSON report: the contract described by reports/report.schema.json. Keys sorted, except that
/// each check starts with `id`, `status` and `message`, and no escaped slashes, so two runs diff
/// cleanly.
public enum JSONRenderer: ReportRenderer {
    public static let identifier = "json"

    public static func render(_ report: Report, options: RenderOptions) -> String {
        leadingCheckKeys(encode(report))
    }

    /// The keys a reader looks for first, in this order, ahead of each check's other keys (which
    /// stay sorted). Key order is no part of the schema: decoders read the keys in any order.
    static let leadingKeys = ["id", "status", "message"]

    /// Moves `leadingKeys` to the front of every check object of a pretty-printed report.
    /// JSONEncoder sorts keys or orders them by hash, never by declaration, so the order is set on
    /// its output: every member of a check object starts on a line indented six spaces, and the
    /// encoder escapes line breaks inside strings, so a member is the lines up to the next one.
    static func leadingCheckKeys(_ json: String) -> String {
        let lines = json.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var output: [String] = []
        var index = 0
        var inChecks = false
        while index < lines.count {
            let line = lines[index]
            if line == "  \"checks\" : [" { inChecks = true }
            if inChecks, line == "  ]" || line == "  ]," { inChecks = false }
            guard inChecks, line == "    {" else {
                output.append(line)
                index += 1
                continue
            }
            output.append(line)
            index += 1
            var members: [[String]] = []
            while index < lines.count, lines[index] != "    }", lines[index] != "    }," {
                if lines[index].hasPrefix("      \"") { members.append([]) }
                members[members.count - 1].append(lines[index])
                index += 1
            }
            func key(_ member: [String]) -> String {
                String(member[0].dropFirst(7).prefix { $0 != "\"" })
            }
            let leading = leadingKeys.compactMap { name in members.first { key($0) == name } }
            let ordered = leading + members.filter { !leadingKeys.contains(key($0)) }
            for (position, member) in ordered.enumerated() {
                var member = member
                var last = member.removeLast()
                if last.hasSuffix(",") { last.removeLast() }
                output += member + [position == ordered.count - 1 ? last : last + ","]
            }
        }
        return output.joined(separator: "\n")
    }

    /// Encodes any value the way reports are encoded.
    public static func encode<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings, numbers and arrays cannot fail.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads a saved JSON report.
    public static func decode(_ data: Data) throws -> Report {
        try JSONDecoder().decode(Report.self, from: data)
    }
}
