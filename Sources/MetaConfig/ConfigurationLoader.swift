import Foundation

/// Builds a `MetaConfiguration` from, lowest to highest precedence: the `.env` file (`./.env`, or
/// `--env-file PATH` instead), the process environment, and flags.
///
/// Per setting, the canonical name wins over every alias, whatever layer each comes from; among
/// aliases, the one listed first in `ConfigAlias.all` wins. An alias whose value disagrees with the
/// one used is reported as a conflict.
public struct ConfigurationLoader: Sendable {
    /// `--env-file`, or nil for `./.env` when it exists.
    public var envFile: String?
    public var environment: [String: String]
    public var flags: [ConfigKey: (name: String, value: String)]
    /// Reads a file; injectable for tests.
    public var readFile: @Sendable (String) throws -> String
    /// Values the caller read elsewhere, with their provenance (a fleet manifest's line), between
    /// the .env file and the environment.
    public var given: [(name: String, value: String, source: ConfigSource)] = []

    public init(
        envFile: String? = nil, environment: [String: String], flags: [ConfigKey: (name: String, value: String)] = [:],
        readFile: @escaping @Sendable (String) throws -> String = ConfigurationLoader.readEnvFile
    ) {
        self.envFile = envFile
        self.environment = environment
        self.flags = flags
        self.readFile = readFile
    }

    public static let defaultEnvFile = ".env"

    public func load(readingDefaultFile: Bool = true) -> MetaConfiguration {
        var problems: [String] = []
        var warnings: [String] = []
        var layers: [String: ConfigValue] = [:]
        var fileUsed: String?

        let path = envFile ?? Self.defaultEnvFile
        if envFile != nil || (readingDefaultFile && FileManager.default.fileExists(atPath: path)) {
            do {
                let text = try readFile(path)
                let parsed = try DotEnv.parse(text, file: path)
                fileUsed = path
                warnings += Self.duplicateWarnings(parsed, file: path)
                for entry in parsed.entries {
                    layers[entry.name] = ConfigValue(raw: entry.value, name: entry.name, source: .dotenv(file: path, line: entry.line))
                }
            } catch let error as DotEnvError {
                problems.append("Malformed line in \(error.description).")
            } catch {
                problems.append("Cannot read the env file \(path): \(Self.describe(error)).")
            }
        }
        for entry in given where Self.knownNames.contains(entry.name) {
            layers[entry.name] = ConfigValue(raw: entry.value, name: entry.name, source: entry.source)
        }
        for name in Self.knownNames {
            if let value = environment[name] {
                layers[name] = ConfigValue(raw: value, name: name, source: .environment)
            }
        }
        for (key, flag) in flags {
            layers[key.name] = ConfigValue(raw: flag.value, name: key.name, source: .flag(flag.name))
        }

        var values: [ConfigKey: ConfigValue] = [:]
        var conflicts: [String] = []
        var unusedSecrets: [String] = []
        for key in ConfigKey.allCases {
            let candidates = ([layers[key.name]] + ConfigAlias.aliases(of: key).map { layers[$0.name] }).compactMap { $0 }
            guard let chosen = candidates.first else { continue }
            values[key] = chosen
            for other in candidates.dropFirst() where other.value != chosen.value {
                conflicts.append("\(other.provenance) disagrees with \(chosen.provenance); \(chosen.name) is used.")
                if key.isSecret { unusedSecrets += [other.raw, other.value] }
            }
        }
        var proxy: ProxyConfiguration?
        switch ProxyConfiguration.parse(environment: environment) {
        case .success(let parsed): proxy = parsed
        case .failure(let error): problems.append(error.message)
        }
        return MetaConfiguration(
            values: values, aliasConflicts: conflicts, loadProblems: problems, loadWarnings: warnings, envFile: fileUsed,
            secretAliasValues: unusedSecrets, proxy: proxy)
    }

    /// A name set on several lines: dotenv keeps the last, which is rarely what the author meant.
    static func duplicateWarnings(_ parsed: DotEnv, file: String) -> [String] {
        var lines: [String: [Int]] = [:]
        var order: [String] = []
        for entry in parsed.entries {
            if lines[entry.name] == nil { order.append(entry.name) }
            lines[entry.name, default: []].append(entry.line)
        }
        return order.compactMap { name in
            guard let found = lines[name], found.count > 1 else { return nil }
            let listed = found.dropLast().map(String.init).joined(separator: ", ") + " and \(found.last!)"
            return "\(file) sets \(name) on lines \(listed); the last one (line \(found.last!)) is used."
        }
    }

    /// The most a .env file may weigh: a real one is a few hundred bytes.
    public static let maxEnvFileBytes = 1 << 20

    /// Reads a .env file, bounded, from a regular file (or /dev/null); a FIFO, socket or device
    /// is refused at once.
    @Sendable public static func readEnvFile(_ path: String) throws -> String {
        let data: Data
        do { data = try RegularFile.read(path, maxBytes: maxEnvFileBytes) } catch {
            throw EnvFileError(error.reason == "it is larger than 1 MiB" ? "it is larger than 1 MiB, not a .env file" : error.reason)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw EnvFileError("it is not UTF-8 text") }
        return text
    }

    public static let knownNames: [String] = ConfigKey.allCases.map(\.name) + ConfigAlias.all.map(\.name)

    private static func describe(_ error: any Error) -> String {
        if let error = error as? EnvFileError { return error.reason }
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadInapplicableStringEncodingError {
            return "not UTF-8 text"
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoPermissionError { return "permission denied" }
        return nsError.localizedDescription
    }
}

/// Why a .env file cannot be read.
struct EnvFileError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
