/// Removes secret values from every string of a report: the one redaction mechanism every format
/// goes through. Probes already avoid secrets; this is the net under them (a Graph error message
/// that echoes a token, a webhook body that quotes the verify token).
public struct Redactor: Sendable {
    /// The secrets, longest first so a secret containing another is replaced whole.
    let secrets: [String]

    /// Values shorter than `minimumLength` are not redacted: replacing "1" everywhere would
    /// destroy the report and a value that short cannot be a working credential.
    public init(secrets: [String], minimumLength: Int = 6) {
        // A secret can also come back percent-encoded (echoed from a query string or a form).
        let forms = secrets.flatMap { [$0, Self.percentEncoded($0), Self.formEncoded($0)] }
        self.secrets = Set(forms.filter { $0.count >= minimumLength }).sorted { $0.count > $1.count }
    }

    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let unreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
            result += unreserved ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true).leftPadded()
        }
        return result
    }

    /// application/x-www-form-urlencoded: as percent-encoding, with spaces as "+".
    static func formEncoded(_ text: String) -> String { percentEncoded(text).replacing("%20", with: "+") }

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
        case .object(let pairs): .object(Dictionary(pairs.map { (redact($0.key), redact($0.value)) }, uniquingKeysWith: { first, _ in first }))
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
            check.evidence = Dictionary(check.evidence.map { (redact($0.key), redact($0.value)) }, uniquingKeysWith: { first, _ in first })
            check.fix.action = check.fix.action.map(redact)
            check.fix.url = redact(check.fix.url)
            return check
        }
        return copy
    }
}

extension String {
    /// Two hex digits.
    fileprivate func leftPadded() -> String { count == 1 ? "0" + self : self }
}
