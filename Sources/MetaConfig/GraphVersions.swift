import Foundation

/// The Graph API versions Meta publishes, with their end of availability. The one table the
/// `graph.version` check reads; update it when Meta announces a version.
///
/// Source: Meta's changelog of versions, checked row by row on 2026-12-01 (docs/meta-behaviour.md
/// MB-G5). A nil `availableUntil` is Meta's "TBD". A version newer than the table is judged by
/// Meta's own reply (`graph.version`), so the table may lag behind Meta without a false verdict.
public enum GraphVersions {
    public struct Entry: Sendable, Equatable {
        public let version: String
        public let released: String
        public let availableUntil: String?
    }

    /// The version used when none is configured.
    public static let defaultVersion = "v25.0"

    public static let table: [Entry] = [
        Entry(version: "v20.0", released: "2024-05-21", availableUntil: "2026-09-24"),
        Entry(version: "v21.0", released: "2024-10-02", availableUntil: "2027-01-21"),
        Entry(version: "v22.0", released: "2025-01-21", availableUntil: "2027-05-20"),
        Entry(version: "v23.0", released: "2025-05-29", availableUntil: "2027-10-08"),
        Entry(version: "v24.0", released: "2025-10-08", availableUntil: "2028-02-18"),
        Entry(version: "v25.0", released: "2026-02-18", availableUntil: "2028-07-29"),
        Entry(version: "v26.0", released: "2026-07-29", availableUntil: nil),
        Entry(version: "v27.0", released: "2026-11-04", availableUntil: nil),
    ]

    public static func entry(for version: String) -> Entry? { table.first { $0.version == version } }

    /// "v24.0" -> (24, 0); nil for anything else.
    public static func parse(_ version: String) -> (major: Int, minor: Int)? {
        guard version.hasPrefix("v") else { return nil }
        let parts = version.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        return (major, minor)
    }

    /// Parses a table date (UTC midnight).
    public static func date(_ text: String) -> Date? {
        var style = Date.ISO8601FormatStyle().year().month().day()
        style.timeZone = TimeZone(identifier: "UTC")!
        return try? Date(text, strategy: style)
    }
}
