/// Removes secret values from every string of a report: the one redaction mechanism every format
/// goes through. Probes already avoid secrets; this is the net under them (a Graph error message
/// that echoes a token, a webhook body that quotes the verify token).
public struct Redactor: Sendable {
    /// The secrets, longest first so a secret containing another is replaced whole.
    let secrets: [String]

    /// Values shorter than `minimumLength` are not redacted: replacing "1" everywhere would
    /// destroy the report and a value that short cannot be a working credential.
    public init(secrets: [String], minimumLength: Int = 6) {
        self.secrets = Set(secrets.filter { $0.count >= minimumLength }).sorted { $0.count > $1.count }
    }

    public static let mask = "[REDACTED]"

    public func redact(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: Self.mask)
        }
        return result
    }

    public func redact(_ value: EvidenceValue) -> EvidenceValue {
        switch value {
        case .string(let text): .string(redact(text))
        case .array(let values): .array(values.map(redact))
        case .object(let pairs): .object(Dictionary(uniqueKeysWithValues: pairs.map { (redact($0.key), redact($0.value)) }))
        default: value
        }
    }

    public func redact(_ report: Report) -> Report {
        var copy = report
        copy.platforms = report.platforms.map { platform in
            var platform = platform
            platform.reason = redact(platform.reason)
            return platform
        }
        copy.checks = report.checks.map { check in
            var check = check
            check.title = redact(check.title)
            check.message = redact(check.message)
            check.evidence = Dictionary(uniqueKeysWithValues: check.evidence.map { (redact($0.key), redact($0.value)) })
            check.fix.action = check.fix.action.map(redact)
            check.fix.url = redact(check.fix.url)
            return check
        }
        return copy
    }
}
