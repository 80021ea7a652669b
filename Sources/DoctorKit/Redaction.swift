/// Removes secrets from text that leaves the process: the one redaction mechanism every output path
/// goes through (every report format, evidence, errors and log lines on stderr). Probes already
/// avoid secrets; this is the net under them, for text other parties produce: Meta's error
/// messages, reply headers, webhook bodies, `Location` headers, library error descriptions.
///
/// What it removes:
/// - a secret of 8 or more bytes whole or as any piece of 8 or more bytes, also percent-encoded
///   (upper- or lower-case hex, `+` for a space), backslash-escaped (JSON's `\u00XX`, `\/`, Swift's
///   `\u{X}`, C's `\xHH`, `\n` …) or base64-encoded (standard or URL-safe, any alignment);
/// - a shorter secret where it stands as a word of its own (so a verify token "hello" goes, but the
///   guide anchor `#webhook-hello-setup` keeps its text);
/// - the values of query parameters that carry credentials (`access_token=`, `input_token=`,
///   `client_secret=` …) and the user information of URLs (`https://user:pass@host`);
/// - terminal control characters, shown as their visible symbols (ESC as "␛").
public struct Redactor: Sendable {
    public static let mask = "[REDACTED]"
    /// The shortest piece of a long secret that is redacted.
    public static let pieceLength = 8

    /// Every `pieceLength`-byte window of every long secret, packed into an integer.
    let windows: Set<UInt64>
    /// Secrets shorter than `pieceLength` bytes, redacted where they stand as a word.
    let shortSecrets: [[UInt8]]

    public init(secrets: [String]) {
        var windows: Set<UInt64> = []
        var short: Set<[UInt8]> = []
        for secret in secrets where !secret.isEmpty {
            let bytes = Array(secret.utf8)
            if bytes.count < Self.pieceLength {
                short.insert(bytes)
                continue
            }
            for start in 0...(bytes.count - Self.pieceLength) {
                windows.insert(Self.pack(bytes[start..<(start + Self.pieceLength)]))
            }
        }
        self.windows = windows
        self.shortSecrets = short.sorted { $0.count > $1.count }
    }

    /// A redactor with no secret: still removes URL credentials, credential parameters and
    /// control characters (for a report file given to `report`).
    public static let textOnly = Redactor(secrets: [])

    public var hasSecrets: Bool { !windows.isEmpty || !shortSecrets.isEmpty }

    /// Redacts text from outside: secrets, credentials in URLs and parameters, control characters.
    public func redact(_ text: String) -> String { redact(text, secrets: true) }

    /// `secrets: false` is for the project's own text (check titles, guide anchors and URLs),
    /// which cannot carry a secret and whose words a test token or a common-word verify token may
    /// share: only URL credentials and control characters are handled.
    public func redact(_ text: String, secrets: Bool) -> String {
        let bytes = Array(text.utf8)
        guard Self.mayNeedWork(bytes) || (secrets && hasSecrets) else { return text }
        var marked = [Bool](repeating: false, count: bytes.count)
        var any = false
        if secrets, hasSecrets {
            for view in DecodedView.all(of: bytes) {
                if markSecrets(in: view, marked: &marked) { any = true }
            }
        }
        if Self.markCredentials(bytes, marked: &marked) { any = true }
        let masked = any ? Self.replaceMarked(bytes, marked) : bytes
        return Self.neutralizeControls(String(decoding: masked, as: UTF8.self))
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
        // A report read back from a file (`report`, `report diff`) is untrusted in every field.
        copy.startedAt = redact(report.startedAt, secrets: false)
        copy.tool.name = redact(report.tool.name, secrets: false)
        copy.tool.version = redact(report.tool.version, secrets: false)
        copy.notes = report.notes?.map { note in
            var note = note
            note.text = redact(note.text, secrets: false)
            note.guideTitle = redact(note.guideTitle, secrets: false)
            note.guideURL = redact(note.guideURL, secrets: false)
            return note
        }
        copy.settings = report.settings.map { settings in
            var settings = settings
            // A URL may carry credentials (https://user:pass@host); patterns are the user's own text.
            settings.graphURL = redact(settings.graphURL)
            settings.graphVersion = redact(settings.graphVersion)
            settings.only = settings.only.map { redact($0) }
            settings.skip = settings.skip.map { redact($0) }
            return settings
        }
        copy.platforms = report.platforms.map { platform in
            var platform = platform
            platform.reason = redact(platform.reason)
            return platform
        }
        copy.checks = report.checks.map { check in
            var check = check
            check.id = CheckID(redact(check.id.rawValue, secrets: false))
            check.platform = check.platform.map { redact($0, secrets: false) }
            check.title = redact(check.title, secrets: false)
            check.message = redact(check.message)
            check.evidence = Dictionary(check.evidence.map { (redact($0.key), redact($0.value)) }, uniquingKeysWith: { first, _ in first })
            check.fix.action = check.fix.action.map { redact($0) }
            check.fix.title = redact(check.fix.title, secrets: false)
            check.fix.step = redact(check.fix.step, secrets: false)
            check.fix.url = redact(check.fix.url, secrets: false)
            return check
        }
        return copy
    }

    // MARK: Secrets

    /// Marks, in the original bytes, every secret the decoded view shows.
    private func markSecrets(in view: DecodedView, marked: inout [Bool]) -> Bool {
        let decoded = view.bytes
        var found = false
        if !windows.isEmpty, decoded.count >= Self.pieceLength {
            var key: UInt64 = 0
            for index in decoded.indices {
                key = (key << 8) | UInt64(decoded[index])
                guard index >= Self.pieceLength - 1, windows.contains(key) else { continue }
                view.mark(from: index - Self.pieceLength + 1, through: index, in: &marked)
                found = true
            }
        }
        guard !shortSecrets.isEmpty else { return found }
        for secret in shortSecrets where decoded.count >= secret.count {
            var start = 0
            while start + secret.count <= decoded.count {
                if decoded[start] == secret[0], decoded[start..<(start + secret.count)].elementsEqual(secret),
                    !Self.joins(decoded, before: start), !Self.joins(decoded, after: start + secret.count)
                {
                    view.mark(from: start, through: start + secret.count - 1, in: &marked)
                    found = true
                    start += secret.count
                } else {
                    start += 1
                }
            }
        }
        return found
    }

    static func pack(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.reduce(0) { ($0 << 8) | UInt64($1) } }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte >= 0x80
    }

    /// Whether the byte before `index` makes a match part of a longer word: a letter, digit or
    /// underscore, or a `.`/`-` joining it to one ("webhook.messenger.verify", "verify-token").
    static func joins(_ bytes: [UInt8], before index: Int) -> Bool {
        guard index > 0 else { return false }
        let previous = bytes[index - 1]
        if isWordByte(previous) { return true }
        return (previous == 0x2E || previous == 0x2D) && index > 1 && isWordByte(bytes[index - 2])
    }

    static func joins(_ bytes: [UInt8], after end: Int) -> Bool {
        guard end < bytes.count else { return false }
        let next = bytes[end]
        if isWordByte(next) { return true }
        return (next == 0x2E || next == 0x2D) && end + 1 < bytes.count && isWordByte(bytes[end + 1])
    }

    // MARK: Credentials in URLs and parameters

    /// Query and form parameters whose value is a credential, whoever's it is.
    static let credentialParameters = [
        "access_token", "input_token", "client_secret", "appsecret_proof", "hub.verify_token", "fb_exchange_token",
        "password", "token", "secret",
    ].map { Array($0.utf8) }

    static func mayNeedWork(_ bytes: [UInt8]) -> Bool {
        bytes.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0x3D || $0 == 0x40 || $0 >= 0x80 }
    }

    /// Marks the user information of every `scheme://user:pass@host` and the value of every
    /// credential parameter (`access_token=…`).
    static func markCredentials(_ bytes: [UInt8], marked: inout [Bool]) -> Bool {
        var found = false
        let count = bytes.count
        var index = 0
        while index < count {
            // "://": the authority runs to the first '/', '?', '#', whitespace or quote.
            if bytes[index] == 0x3A, index + 2 < count, bytes[index + 1] == 0x2F, bytes[index + 2] == 0x2F {
                let start = index + 3
                var end = start
                var lastAt: Int?
                while end < count, !isURLDelimiter(bytes[end]), bytes[end] != 0x2F, bytes[end] != 0x3F, bytes[end] != 0x23 {
                    if bytes[end] == 0x40 { lastAt = end }
                    end += 1
                }
                if let lastAt, lastAt > start {
                    for position in start..<lastAt { marked[position] = true }
                    found = true
                }
                index = end
                continue
            }
            // name=value, where name is a credential parameter not glued to a longer name.
            if bytes[index] == 0x3D {
                for name in credentialParameters where index >= name.count {
                    let nameStart = index - name.count
                    guard bytes[nameStart..<index].lazy.map(lowercased).elementsEqual(name) else { continue }
                    if nameStart > 0, isWordByte(bytes[nameStart - 1]) || bytes[nameStart - 1] == 0x2E { continue }
                    var end = index + 1
                    while end < count, !isURLDelimiter(bytes[end]), bytes[end] != 0x26, bytes[end] != 0x3B, bytes[end] != 0x23,
                        bytes[end] != 0x2C
                    {
                        end += 1
                    }
                    if end > index + 1 {
                        for position in (index + 1)..<end { marked[position] = true }
                        found = true
                    }
                    break
                }
            }
            index += 1
        }
        return found
    }

    static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

    static func isURLDelimiter(_ byte: UInt8) -> Bool {
        byte <= 0x20 || byte == 0x22 || byte == 0x27 || byte == 0x3C || byte == 0x3E || byte == 0x60 || byte == 0x5C
            || byte == 0x29 || byte == 0x5D || byte == 0x7D
    }

    /// Replaces every run of marked bytes, widened to whole UTF-8 characters, with one mask.
    static func replaceMarked(_ bytes: [UInt8], _ marked: [Bool]) -> [UInt8] {
        var marked = marked
        // Widen runs to character boundaries, so no character is cut in half.
        for index in marked.indices where marked[index] {
            var back = index
            while back > 0, bytes[back] & 0xC0 == 0x80 {
                back -= 1
                marked[back] = true
            }
            var forward = index + 1
            while forward < bytes.count, bytes[forward] & 0xC0 == 0x80 {
                marked[forward] = true
                forward += 1
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        let mask = Array(Self.mask.utf8)
        var index = 0
        while index < bytes.count {
            if marked[index] {
                result += mask
                while index < bytes.count, marked[index] { index += 1 }
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }

    // MARK: Terminal control characters

    /// Shows control characters (but newline and tab) as their visible symbols: text from outside
    /// never moves the cursor, recolours or retitles the user's terminal.
    public static func neutralizeControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x09: result.append(scalar)
            case 0x00..<0x20: result.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x7F: result.append("\u{2421}")
            case 0x80...0x9F: result.append("\u{FFFD}")
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar.value != 0x0A && scalar.value != 0x09) || (0x7F...0x9F).contains(scalar.value)
    }
}

/// Text decoded one way (percent-encoding, backslash escapes, base64), with where each decoded
/// byte came from, so a secret found in the decoded bytes is masked in the original.
struct DecodedView {
    var bytes: [UInt8] = []
    /// For each decoded byte, the original bytes it came from.
    var origins: [Range<Int>] = []

    func mark(from first: Int, through last: Int, in marked: inout [Bool]) {
        for position in origins[first].lowerBound..<origins[last].upperBound { marked[position] = true }
    }

    mutating func append(_ byte: UInt8, from origin: Range<Int>) {
        bytes.append(byte)
        origins.append(origin)
    }

    mutating func append(scalar value: UInt32, from origin: Range<Int>) {
        guard let scalar = Unicode.Scalar(value) else { return }
        for byte in String(Character(scalar)).utf8 { append(byte, from: origin) }
    }

    static func all(of bytes: [UInt8]) -> [DecodedView] {
        var views = [identity(bytes)]
        if bytes.contains(0x25) || bytes.contains(0x2B) {
            views.append(percentDecoded(bytes, plusIsSpace: true))
            views.append(percentDecoded(bytes, plusIsSpace: false))
        }
        if bytes.contains(0x5C) { views.append(unescaped(bytes)) }
        if bytes.count >= 12 { views += base64Decoded(bytes) }
        return views
    }

    static func identity(_ bytes: [UInt8]) -> DecodedView {
        DecodedView(bytes: bytes, origins: bytes.indices.map { $0..<($0 + 1) })
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    static func percentDecoded(_ bytes: [UInt8], plusIsSpace: Bool) -> DecodedView {
        var view = DecodedView()
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x25, index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                view.append(high << 4 | low, from: index..<(index + 3))
                index += 3
            } else {
                view.append(plusIsSpace && bytes[index] == 0x2B ? 0x20 : bytes[index], from: index..<(index + 1))
                index += 1
            }
        }
        return view
    }

    /// Backslash escapes as JSON, Swift, C and Python print them.
    static func unescaped(_ bytes: [UInt8]) -> DecodedView {
        var view = DecodedView()
        var index = 0
        var pendingHighSurrogate: (value: UInt32, start: Int)?
        func hexNumber(_ start: Int, _ count: Int) -> UInt32? {
            guard start + count <= bytes.count else { return nil }
            var value: UInt32 = 0
            for position in start..<(start + count) {
                guard let digit = hexValue(bytes[position]) else { return nil }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while index < bytes.count {
            guard bytes[index] == 0x5C, index + 1 < bytes.count else {
                view.append(bytes[index], from: index..<(index + 1))
                index += 1
                continue
            }
            let next = bytes[index + 1]
            let simple: [UInt8: UInt8] = [
                0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09, 0x30: 0x00, 0x62: 0x08, 0x66: 0x0C, 0x76: 0x0B, 0x61: 0x07, 0x65: 0x1B,
                0x5C: 0x5C, 0x22: 0x22, 0x27: 0x27, 0x2F: 0x2F,
            ]
            if next == 0x75, index + 2 < bytes.count, bytes[index + 2] == 0x7B {
                // \u{1B}
                var end = index + 3
                while end < bytes.count, end - index < 12, hexValue(bytes[end]) != nil { end += 1 }
                if end < bytes.count, bytes[end] == 0x7D, end > index + 3, let value = hexNumber(index + 3, end - index - 3) {
                    view.append(scalar: value, from: index..<(end + 1))
                    index = end + 1
                    continue
                }
            } else if next == 0x75, let value = hexNumber(index + 2, 4) {
                // \u001b, with UTF-16 surrogate pairs
                let origin = index..<(index + 6)
                if (0xD800...0xDBFF).contains(value) {
                    pendingHighSurrogate = (value, index)
                } else if (0xDC00...0xDFFF).contains(value), let high = pendingHighSurrogate {
                    view.append(scalar: 0x10000 + ((high.value - 0xD800) << 10) + (value - 0xDC00), from: high.start..<origin.upperBound)
                    pendingHighSurrogate = nil
                } else {
                    view.append(scalar: value, from: origin)
                }
                index += 6
                continue
            } else if next == 0x78, let value = hexNumber(index + 2, 2) {
                view.append(UInt8(value), from: index..<(index + 4))
                index += 4
                continue
            } else if let byte = simple[next] {
                view.append(byte, from: index..<(index + 2))
                index += 2
                continue
            }
            view.append(bytes[index], from: index..<(index + 1))
            index += 1
        }
        return view
    }

    /// Every run of base64 characters decoded, from each of the four alignments, standard and
    /// URL-safe alphabets alike.
    static func base64Decoded(_ bytes: [UInt8]) -> [DecodedView] {
        func sextet(_ byte: UInt8) -> UInt32? {
            switch byte {
            case 0x41...0x5A: UInt32(byte - 0x41)
            case 0x61...0x7A: UInt32(byte - 0x61 + 26)
            case 0x30...0x39: UInt32(byte - 0x30 + 52)
            case 0x2B, 0x2D: 62
            case 0x2F, 0x5F: 63
            default: nil
            }
        }
        var views: [DecodedView] = []
        for alignment in 0..<4 {
            var view = DecodedView()
            var index = 0
            while index < bytes.count {
                guard sextet(bytes[index]) != nil else {
                    index += 1
                    continue
                }
                var end = index
                while end < bytes.count, sextet(bytes[end]) != nil { end += 1 }
                var group = index + alignment
                while group + 4 <= end {
                    let value = (0..<4).reduce(UInt32(0)) { $0 << 6 | sextet(bytes[group + $1])! }
                    let origin = group..<(group + 4)
                    view.append(UInt8(value >> 16), from: origin)
                    view.append(UInt8((value >> 8) & 0xFF), from: origin)
                    view.append(UInt8(value & 0xFF), from: origin)
                    group += 4
                }
                // A last group of 2 or 3 characters (unpadded, or before '=').
                let rest = end - group
                if rest >= 2, group >= index {
                    let value = (0..<rest).reduce(UInt32(0)) { $0 << 6 | sextet(bytes[group + $1])! } << (6 * UInt32(4 - rest))
                    let origin = group..<end
                    view.append(UInt8(value >> 16), from: origin)
                    if rest == 3 { view.append(UInt8((value >> 8) & 0xFF), from: origin) }
                }
                // A separator between runs, so a window never spans two of them.
                view.append(0, from: (end - 1)..<end)
                index = end
            }
            if !view.bytes.isEmpty { views.append(view) }
        }
        return views
    }
}
