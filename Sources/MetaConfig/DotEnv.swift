import Foundation

/// A `.env` file parsed as dotenv does: `KEY=value` lines, blank lines and `#` comments,
/// an optional `export ` prefix, single quotes (literal), double quotes (with `\n`, `\t`, `\"`,
/// `\\` escapes, and newlines inside), unquoted values ending at ` #`, and CRLF line ends.
public struct DotEnv: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let value: String
        /// The 1-based line the entry starts on.
        public let line: Int
    }

    public let entries: [Entry]

    /// The last value of each name, as dotenv keeps it.
    public var values: [String: String] {
        Dictionary(entries.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    public static func parse(_ text: String, file: String) throws(DotEnvError) -> DotEnv {
        // "\r\n" is one Character in Swift, so both line ends are separators.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = String(first.dropFirst()) }
        var entries: [Entry] = []
        var index = 0
        while index < lines.count {
            let lineNumber = index + 1
            var line = Substring(lines[index])
            index += 1
            line = line.trimmingLeadingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export "), line.dropFirst(7).contains("=") {
                line = line.dropFirst(7).trimmingLeadingWhitespace()
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw DotEnvError(file: file, line: lineNumber, reason: "expected NAME=value, found no '='")
            }
            let name = String(line[..<equals].trimmingTrailingWhitespace())
            guard Self.isValidName(name) else {
                // The text before "=" is not echoed: a pasted line may hold a secret there.
                throw DotEnvError(
                    file: file, line: lineNumber,
                    reason: name.isEmpty
                        ? "the name before '=' is empty"
                        : "the text before '=' is not a variable name (letters, digits and underscores, not starting with a digit)")
            }
            var rest = line[line.index(after: equals)...].trimmingLeadingWhitespace()
            let value: String
            switch rest.first {
            case "\"":
                var collected = ""
                var remainder = rest.dropFirst()
                var closed = false
                var escaping = false
                while !closed {
                    var consumed = remainder.startIndex
                    for character in remainder {
                        consumed = remainder.index(after: consumed)
                        if escaping {
                            switch character {
                            case "n": collected.append("\n")
                            case "t": collected.append("\t")
                            case "r": collected.append("\r")
                            case "\"", "\\", "$": collected.append(character)
                            default: collected.append("\\"); collected.append(character)
                            }
                            escaping = false
                        } else if character == "\\" {
                            escaping = true
                        } else if character == "\"" {
                            closed = true
                            break
                        } else {
                            collected.append(character)
                        }
                    }
                    if closed {
                        rest = remainder[consumed...]
                    } else if index < lines.count {
                        collected.append("\n")
                        remainder = Substring(lines[index])
                        index += 1
                    } else {
                        throw DotEnvError(file: file, line: lineNumber, reason: "the double quote opened here is never closed")
                    }
                }
                value = collected
                try Self.expectEndOfLine(rest, file: file, line: lineNumber)
            case "'":
                let body = rest.dropFirst()
                guard let close = body.firstIndex(of: "'") else {
                    throw DotEnvError(file: file, line: lineNumber, reason: "the single quote opened here is never closed")
                }
                value = String(body[..<close])
                try Self.expectEndOfLine(body[body.index(after: close)...], file: file, line: lineNumber)
            default:
                var unquoted = rest
                if let comment = unquoted.range(of: " #") ?? unquoted.range(of: "\t#") {
                    unquoted = unquoted[..<comment.lowerBound]
                }
                value = String(unquoted.trimmingTrailingWhitespace())
            }
            entries.append(Entry(name: name, value: value, line: lineNumber))
        }
        return DotEnv(entries: entries)
    }

    private static func expectEndOfLine(_ rest: Substring, file: String, line: Int) throws(DotEnvError) {
        let trimmed = rest.trimmingLeadingWhitespace()
        guard trimmed.isEmpty || trimmed.hasPrefix("#") else {
            throw DotEnvError(file: file, line: line, reason: "unexpected text after the closing quote")
        }
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar == "_" || scalar == "." || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar)
        }
    }
}

/// A `.env` line that cannot be parsed: names the file and the line, never the value.
public struct DotEnvError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let reason: String

    public var description: String { "\(file):\(line): \(reason)" }
}

extension Substring {
    func trimmingLeadingWhitespace() -> Substring {
        drop(while: { $0 == " " || $0 == "\t" })
    }

    func trimmingTrailingWhitespace() -> Substring {
        var result = self
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
