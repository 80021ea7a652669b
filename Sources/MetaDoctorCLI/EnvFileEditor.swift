import Foundation
import MetaChecks
import MetaConfig

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rewrites lines of a `.env` file in place, as `fix --apply --write-env` does for values a finding
/// shows wrong: only those lines' values change (their `export`, quoting, comments and every other
/// line stay), the file keeps its mode, and a backup of the old file is written next to it first,
/// once for all the file's changes.
public enum EnvFileEditor {
    public struct EditError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Rewrites the lines of `changes`, all set in one file, or none of them; returns the backup's
    /// path. One backup for all: a second edit's backup would hold the first edit's result.
    public static func apply(_ changes: [ConfigChange]) throws(EditError) -> String {
        guard let first = changes.first, let file = first.file else {
            throw EditError(description: changes.first.map { "\($0.name) was not set in a .env file (\($0.source)); change it there by hand." }
                ?? "nothing to rewrite")
        }
        let data: Data
        do { data = try RegularFile.read(file, maxBytes: ConfigurationLoader.maxEnvFileBytes) } catch {
            throw EditError(description: "\(file) cannot be rewritten: \(error.reason).")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw EditError(description: "\(file) cannot be read as UTF-8 text.") }
        var lines = text.components(separatedBy: "\n")
        for change in changes {
            guard change.file == file, let number = change.line, number >= 1, number <= lines.count,
                let rewritten = rewrite(lines[number - 1], name: change.name, to: change.to)
            else {
                throw EditError(description: "\(file):\(change.line ?? 0) no longer sets \(change.name); change it by hand.")
            }
            lines[number - 1] = rewritten
        }
        let backup = file + ".meta-doctor-backup"
        let mode = (try? FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) ?? 0o600
        do {
            if FileManager.default.fileExists(atPath: backup) { try FileManager.default.removeItem(atPath: backup) }
            try FileManager.default.copyItem(atPath: file, toPath: backup)
            // The new file holds the secrets too: created exclusively with the old file's mode (never
            // through a link left at its path), so no one else can read it even for a moment.
            let temporary = file + ".meta-doctor-new"
            unlink(temporary)
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(mode & 0o777))
            guard descriptor >= 0 else { throw EditError(description: "\(file) could not be rewritten: \(RegularFile.describeErrno(errno)).") }
            _ = fchmod(descriptor, mode_t(mode & 0o777))
            let failure = Terminal.write(Array(lines.joined(separator: "\n").utf8), to: descriptor)
            close(descriptor)
            if let failure {
                unlink(temporary)
                throw EditError(description: "\(file) could not be rewritten: \(failure).")
            }
            // rename(2) replaces the file in one step: a reader sees the old file or the new one.
            guard rename(temporary, file) == 0 else {
                throw EditError(description: "\(file) could not be replaced: \(String(cString: strerror(errno))).")
            }
        } catch let error as EditError {
            throw error
        } catch {
            throw EditError(description: "\(file) could not be rewritten: \(FileReadError.describe(error))")
        }
        return backup
    }

    /// `NAME=old` (optionally `export `, quoted, with a trailing `\r` or comment) with its value
    /// replaced; nil when the line does not set `name`, or sets it with a quoted value that does
    /// not close on this line (a value of several lines is changed by hand, never cut).
    static func rewrite(_ line: String, name: String, to value: String) -> String? {
        let trailingCR = line.hasSuffix("\r")
        var body = trailingCR ? String(line.dropLast()) : line
        let indent = String(body.prefix { $0 == " " || $0 == "\t" })
        body.removeFirst(indent.count)
        var prefix = indent
        if body.hasPrefix("export ") {
            prefix += "export "
            body.removeFirst("export ".count)
        }
        guard body.hasPrefix(name), let equals = body.firstIndex(of: "="),
            body[body.startIndex..<equals].trimmingCharacters(in: .whitespaces) == name
        else { return nil }
        let old = body[body.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        let quote = old.first.flatMap { $0 == "\"" || $0 == "'" ? String($0) : nil } ?? ""
        var comment = ""
        if quote.isEmpty {
            if let hash = old.range(of: #"[ \t]#"#, options: .regularExpression) {
                comment = " " + old[hash.lowerBound...].trimmingCharacters(in: .whitespaces)
            }
        } else {
            // The comment after the closing quote stays; no closing quote: the value goes on below.
            guard let close = old.dropFirst().firstIndex(of: Character(quote)) else { return nil }
            let after = old[old.index(after: close)...].trimmingCharacters(in: .whitespaces)
            if after.hasPrefix("#") { comment = " " + after }
        }
        return prefix + "\(name)=\(quote)\(value)\(quote)" + comment + (trailingCR ? "\r" : "")
    }
}
