import Foundation
import MetaConfig

/// One integration of a fleet: its stable id and where its configuration comes from. A manifest
/// line is read again, and its secrets resolved, only when its integration starts: per
/// integration the run holds its id and the line's place, never its values.
public struct FleetEntry: Sendable {
    public let id: String
    /// Where it was declared: "line 7" of a JSON Lines manifest, or the .env file's name.
    public let origin: String
    public let source: Source

    public enum Source: Sendable {
        /// Values given whole (a fleet built in memory); reports name the file and line.
        case values([String: String], file: String, line: Int)
        /// A line of a JSON Lines manifest, read again when the integration starts.
        case manifestLine(ManifestLine)
        /// A `.env` file, read when the integration starts, as `check --env-file` reads it.
        case envFile(String)
    }

    public init(id: String, origin: String, source: Source) {
        self.id = id
        self.origin = origin
        self.source = source
    }

    /// An integration whose values are given (secrets resolved).
    public init(id: String, origin: String, values: [String: String]) {
        self.init(id: id, origin: origin, source: .values(values, file: "manifest", line: 0))
    }
}

/// Where a manifest line is: enough to read it again.
public struct ManifestLine: Sendable, Equatable {
    public let file: String
    public let number: Int
    public let offset: Int
    public let length: Int
}

/// A manifest that cannot be run: every problem, each naming its line (or file) and what is wrong.
public struct FleetManifestError: Error, CustomStringConvertible {
    public let problems: [String]
    public var description: String {
        "The manifest cannot be run (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
            + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}

/// A manifest checked whole before any call: its integrations in order, and the app secrets its
/// lines name (for the net under stderr; apps are few, integrations many).
public struct FleetManifestIndex: Sendable {
    public var entries: [FleetEntry]
    public let appSecrets: Set<String>
}

/// Reads a fleet manifest, checking all of it before any call (`meta-doctor fleet MANIFEST`):
/// - a JSON Lines file: one flat object a line, `id` plus configuration names (canonical or alias)
///   with string values; secrets only by reference, `{"env": "NAME"}` or `{"file": "path"}` (a path
///   relative to the manifest's directory); blank lines are ignored;
/// - or a directory of `.env` files, one integration each, its file name without `.env` the id.
///
/// The file is read a line at a time, twice: once to check every line (nothing of a line is kept
/// but its id and place), and again, line by line, as each integration starts.
public enum FleetManifest {
    /// The largest manifest read: 64 MiB, some 100,000 integrations.
    public static let maxManifestBytes = 64 << 20
    /// The longest manifest line: 1 MiB, far above a line's names and ids.
    public static let maxLineBytes = 1 << 20
    /// The largest secret file: 64 KiB.
    public static let maxSecretBytes = 64 << 10
    /// The longest id.
    public static let maxIDLength = 200

    public typealias SecretFileReader = (String) throws(FileReadError) -> Data

    /// The integrations, in manifest order, or every problem found.
    public static func load(
        _ path: String, environment: [String: String], maxBytes: Int = maxManifestBytes, maxLineBytes: Int = maxLineBytes,
        readFile: SecretFileReader = { path throws(FileReadError) in try RegularFile.read(path, maxBytes: maxSecretBytes) }
    ) throws -> FleetManifestIndex {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return FleetManifestIndex(entries: try loadDirectory(path), appSecrets: [])
        }
        let baseDirectory = Self.baseDirectory(of: path)
        var problems: [String] = []
        var entries: [FleetEntry] = []
        var appSecrets: Set<String> = []
        var seen: [String: Int] = [:]
        do {
            try RegularFile.forEachLine(path, maxBytes: maxBytes, maxLineBytes: maxLineBytes, includingUnterminated: true) { bytes, position in
                guard let parsed = parseLine(bytes, number: position.number, baseDirectory: baseDirectory, environment: environment, readFile: readFile)
                else { return }
                var lineProblems = parsed.problems
                if let id = parsed.id {
                    if let first = seen[id] {
                        lineProblems.append("line \(position.number): id \"\(id)\" is also on line \(first); ids must be unique.")
                    } else {
                        seen[id] = position.number
                    }
                }
                problems += lineProblems
                guard lineProblems.isEmpty, let id = parsed.id else { return }
                if let secret = parsed.values[ConfigKey.appSecret.name] { appSecrets.insert(secret) }
                let line = ManifestLine(file: path, number: position.number, offset: position.offset, length: bytes.count)
                entries.append(FleetEntry(id: id, origin: "line \(position.number)", source: .manifestLine(line)))
            }
        } catch {
            throw FleetManifestError(problems: ["\(path) cannot be read: \(error.reason)."])
        }
        if !problems.isEmpty { throw FleetManifestError(problems: problems) }
        if entries.isEmpty { throw FleetManifestError(problems: ["The manifest names no integration."]) }
        return FleetManifestIndex(entries: entries, appSecrets: appSecrets)
    }

    /// A manifest line's values, read again as its integration starts, secrets resolved; the
    /// line must still be the one checked (same id, no problem).
    public static func values(
        of line: ManifestLine, id: String, environment: [String: String],
        readFile: SecretFileReader = { path throws(FileReadError) in try RegularFile.read(path, maxBytes: maxSecretBytes) }
    ) throws(FleetManifestError) -> [String: String] {
        let at = "line \(line.number)"
        let bytes: Data
        do { bytes = try RegularFile.read(line.file, offset: line.offset, length: line.length) } catch {
            throw FleetManifestError(problems: ["\(line.file) cannot be read again: \(error.reason)."])
        }
        let parsed = parseLine(bytes, number: line.number, baseDirectory: baseDirectory(of: line.file), environment: environment, readFile: readFile)
        guard let parsed, parsed.id == id else {
            throw FleetManifestError(problems: ["\(at) changed since the manifest was checked; run the fleet again."])
        }
        guard parsed.problems.isEmpty else { throw FleetManifestError(problems: parsed.problems) }
        return parsed.values
    }

    private static func baseDirectory(of path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }

    /// One line's id, values (secrets resolved) and problems; nil for a blank line. Duplicate ids
    /// are the caller's to find.
    private static func parseLine(
        _ bytes: Data, number: Int, baseDirectory: String, environment: [String: String], readFile: SecretFileReader
    ) -> (id: String?, values: [String: String], problems: [String])? {
        let at = "line \(number)"
        guard let text = String(data: bytes, encoding: .utf8) else { return (nil, [:], ["\(at): not UTF-8 text."]) }
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.isEmpty { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            return (nil, [:], ["\(at): not a JSON object (one flat object a line)."])
        }
        var problems: [String] = []
        var id: String?
        switch object["id"] {
        case nil: problems.append("\(at): no \"id\" (a stable name for the integration).")
        case let value as String:
            if let problem = idProblem(value) { problems.append("\(at): \"id\" \(problem).") } else { id = value }
        default: problems.append("\(at): \"id\" must be a string.")
        }
        var values: [String: String] = [:]
        for key in object.keys.sorted() where key != "id" {
            guard ConfigurationLoader.knownNames.contains(key) else {
                problems.append("\(at): unknown name \"\(displayName(key))\"; `meta-doctor check --help` lists the variables.")
                continue
            }
            let isSecret = isSecretName(key)
            switch object[key] {
            case is String where isSecret:
                problems.append(
                    "\(at): \(key) is a secret given inline; give it by reference, {\"env\": \"NAME\"} or {\"file\": \"path\"}.")
            case let value as String:
                values[key] = value
            case let reference as [String: Any] where isSecret:
                switch resolve(reference, key: key, at: at, baseDirectory: baseDirectory, environment: environment, readFile: readFile) {
                case .success(let secret): values[key] = secret
                case .failure(let problem): problems.append(problem.message)
                }
            case is [String: Any]:
                problems.append("\(at): \(key) is not a secret: give its value as a string.")
            default:
                problems.append(
                    isSecret
                        ? "\(at): \(key) must be {\"env\": \"NAME\"} or {\"file\": \"path\"}."
                        : "\(at): \(key) must be a string (ids too: \"123\", not 123).")
            }
        }
        return (id, values, problems)
    }

    private struct Problem: Error { let message: String }

    private static func resolve(
        _ reference: [String: Any], key: String, at: String, baseDirectory: String, environment: [String: String],
        readFile: SecretFileReader
    ) -> Result<String, Problem> {
        let shape = "\(at): \(key) must be {\"env\": \"NAME\"} or {\"file\": \"path\"}"
        guard reference.count == 1 else { return .failure(Problem(message: shape + ", with one of the two.")) }
        if let name = reference["env"] {
            guard let name = name as? String, !name.isEmpty else { return .failure(Problem(message: shape + "; \"env\" names no variable.")) }
            guard let value = environment[name], !value.isEmpty else {
                return .failure(Problem(message: "\(at): \(key) is read from $\(displayName(name)), which is not set."))
            }
            return .success(value)
        }
        if let file = reference["file"] {
            guard let file = file as? String, !file.isEmpty else { return .failure(Problem(message: shape + "; \"file\" names no path.")) }
            let path = file.hasPrefix("/") ? file : (baseDirectory as NSString).appendingPathComponent(file)
            let data: Data
            do { data = try readFile(path) } catch {
                return .failure(Problem(message: "\(at): \(key) is read from \(file), which cannot be read: \(error.reason)."))
            }
            guard let text = String(data: data, encoding: .utf8) else {
                return .failure(Problem(message: "\(at): \(key) is read from \(file), which is not UTF-8 text."))
            }
            let value = text.trimmingCharacters(in: .newlines)
            guard !value.isEmpty else { return .failure(Problem(message: "\(at): \(key) is read from \(file), which is empty.")) }
            return .success(value)
        }
        return .failure(Problem(message: shape + "."))
    }

    /// A directory of `.env` files: one integration each (in name order), the name without `.env` its id.
    static func loadDirectory(_ path: String) throws -> [FleetEntry] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".env") && $0 != ".env" }.sorted() } catch {
            throw FleetManifestError(problems: ["The directory \(path) cannot be listed: \(FileReadError.describe(error))."])
        }
        var problems: [String] = []
        var entries: [FleetEntry] = []
        for name in names {
            let file = (path as NSString).appendingPathComponent(name)
            let id = String(name.dropLast(4))
            if let problem = idProblem(id) {
                problems.append("\(name): the id \(problem).")
                continue
            }
            do {
                // Checked now, as a manifest's lines are; its values are not kept (secrets
                // included): the file is read again when its integration runs.
                let parsed = try DotEnv.parse(ConfigurationLoader.readEnvFile(file), file: name)
                let unknown = parsed.entries.filter { !ConfigurationLoader.knownNames.contains($0.name) }
                problems += unknown.map {
                    "\(name) line \($0.line): unknown name \"\(displayName($0.name))\"; `meta-doctor check --help` lists the variables."
                }
                if unknown.isEmpty { entries.append(FleetEntry(id: id, origin: name, source: .envFile(file))) }
            } catch let error as DotEnvError {
                problems.append("Malformed line in \(error.description).")
            } catch {
                problems.append("\(name) cannot be read: \(FileReadError.describe(error)).")
            }
        }
        if !problems.isEmpty { throw FleetManifestError(problems: problems) }
        if entries.isEmpty { throw FleetManifestError(problems: ["The directory \(path) holds no .env file."]) }
        return entries
    }

    static func idProblem(_ id: String) -> String? {
        if id.trimmingCharacters(in: .whitespaces).isEmpty { return "is empty" }
        if id.count > maxIDLength { return "is longer than \(maxIDLength) characters" }
        if id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return "holds a control character" }
        return nil
    }

    static func isSecretName(_ name: String) -> Bool {
        ConfigKey(rawValue: name)?.isSecret ?? ConfigAlias.all.first { $0.name == name }?.key.isSecret ?? false
    }

    /// A name from the manifest as a problem shows it: printable, at most 64 characters.
    static func displayName(_ name: String) -> String {
        String(name.unicodeScalars.filter { !$0.properties.generalCategory.isControl }.map(Character.init).prefix(64))
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isControl: Bool { self == .control || self == .format }
}

/// `--shard K/N`: the integrations whose stable hash of `id` falls in shard K of N.
public struct FleetShard: Sendable, Equatable {
    public let index: Int
    public let count: Int

    /// Parses "2/3".
    public init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
            return nil
        }
        self.index = index
        self.count = count
    }

    public func contains(_ id: String) -> Bool { Int(Self.stableHash(id) % UInt64(count)) == index - 1 }

    /// FNV-1a (64-bit) of the id's UTF-8 bytes: the same on every machine and every run, unlike
    /// Swift's `Hasher`, which is seeded per process.
    public static func stableHash(_ id: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

/// `--resume FILE`: the ids an earlier run's NDJSON output already holds, from its complete lines
/// (a line cut short by an interruption does not count). The file is read a line at a time; only
/// the ids are kept.
public enum FleetResume {
    /// The longest line read back: 16 MiB, far above a report's size.
    public static let maxLineBytes = 16 << 20
    /// The largest file read back: 1 GiB, some 100,000 reports.
    public static let maxBytes = 1 << 30

    /// A file that does not exist yet holds no id: a job runner's first attempt names the file
    /// its later attempts resume from. A path that exists but is not a regular file is an error.
    public static func finishedIDs(in path: String, maxLineBytes: Int = maxLineBytes) throws -> Set<String> {
        if RegularFile.isAbsent(path) { return [] }
        var ids: Set<String> = []
        do {
            try RegularFile.forEachLine(path, maxBytes: maxBytes, maxLineBytes: maxLineBytes) { line, _ in
                guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any], let id = object["id"] as? String,
                    object["report"] is [String: Any]
                else { return }
                ids.insert(id)
            }
        } catch {
            throw FleetManifestError(problems: ["--resume \(path) cannot be read: \(error.reason)."])
        }
        return ids
    }
}
