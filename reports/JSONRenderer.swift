import DoctorKit
import Foundation

/// The JSON report: the contract described by reports/report.schema.json. Keys sorted and no
/// escaped slashes, so two runs diff cleanly.
public enum JSONRenderer: ReportRenderer {
    public static let identifier = "json"

    public static func render(_ report: Report, options: RenderOptions) -> String {
        encode(report)
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
