import Foundation

/// Every number meta-doctor takes from Meta's replies and headers, checked and clamped: a value
/// from the network never traps the runtime (an `Int` overflow, a `Duration` or `Date` out of
/// range), whatever its size, sign or type.
public enum GraphNumbers {
    /// The longest wait Meta's rate-limit headers are believed for: a day. Longer is clamped.
    public static let maxMinutesToRegainAccess = 24 * 60
    /// The longest `Retry-After` believed: an hour.
    public static let maxRetryAfterSeconds = 3600
    /// Timestamps (`expires_at`) beyond year 9999 are clamped there: a date that formats.
    public static let maxTimestamp = 253_402_300_799

    /// The largest `estimated_time_to_regain_access` (minutes) in `X-Business-Use-Case-Usage`,
    /// clamped to 0...`maxMinutesToRegainAccess`; nil when absent or not a number.
    public static func minutesToRegainAccess(businessUseCaseUsage header: String?) -> Int? {
        guard let header, let data = header.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any]
        else { return nil }
        let entries = object.values.compactMap { $0 as? [Any] }.flatMap { $0 }.compactMap { $0 as? [String: Any] }
        let values = entries.compactMap { $0["estimated_time_to_regain_access"] }.compactMap(number)
        return values.max().map { clamp($0, 0, Double(maxMinutesToRegainAccess)) }
    }

    /// `Retry-After` as delta-seconds, clamped to 0...`maxRetryAfterSeconds`; nil when absent or an
    /// HTTP date (MB-G43: Meta documents no `Retry-After`; read as RFC 9110's delta-seconds if sent).
    public static func retryAfterSeconds(_ header: String?) -> Int? {
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty, text.allSatisfy(\.isASCII),
            text.allSatisfy({ $0.isNumber })
        else { return nil }
        // Beyond 18 digits the text is past Int64: it is clamped, not parsed.
        guard text.count <= 18, let seconds = Int(text) else { return maxRetryAfterSeconds }
        return min(seconds, maxRetryAfterSeconds)
    }

    /// A Unix timestamp (`expires_at`, `data_access_expires_at`) as a date, or nil for 0 or less
    /// (Meta's "never"); clamped to year 9999.
    public static func date(fromTimestamp value: Int?) -> Date? {
        guard let value, value > 0 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(min(value, maxTimestamp)))
    }

    /// A JSON number (or a numeric string) as a finite Double; nil for anything else.
    static func number(_ value: Any) -> Double? {
        if let number = value as? NSNumber, number.doubleValue.isFinite { return number.doubleValue }
        if let text = value as? String, let double = Double(text), double.isFinite { return double }
        return nil
    }

    static func clamp(_ value: Double, _ low: Double, _ high: Double) -> Int { Int(min(max(value.rounded(), low), high)) }
}
