import ArgumentParser
import Foundation
import Reports

/// One `--format FORMAT[:PATH]` request.
public struct OutputTarget: Sendable, Equatable {
    public let format: ReportFormat
    /// nil: standard output (or `--output`).
    public let path: String?

    public init(format: ReportFormat, path: String?) {
        self.format = format
        self.path = path
    }

    /// Parses `json`, `json:report.json`, `human`.
    public init(argument: String) throws(OutputTargetError) {
        let parts = argument.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let name = parts.first, let format = ReportFormat(rawValue: name.lowercased()) else {
            throw OutputTargetError(
                message: "Unknown format '\(argument.split(separator: ":").first ?? "")'; use one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        if parts.count == 2, parts[1].isEmpty { throw OutputTargetError(message: "'\(argument)' names no file after the colon.") }
        self.init(format: format, path: parts.count == 2 ? parts[1] : nil)
    }

    /// Resolves the targets: at most one without a path, which goes to `--output` or stdout;
    /// human on stdout when none is given.
    public static func resolve(_ arguments: [String], output: String?) throws(OutputTargetError) -> [OutputTarget] {
        var targets: [OutputTarget] = []
        for argument in arguments { targets.append(try OutputTarget(argument: argument)) }
        if targets.isEmpty { targets = [OutputTarget(format: .human, path: nil)] }
        let unnamed = targets.filter { $0.path == nil }
        guard unnamed.count <= 1 else {
            throw OutputTargetError(message: "At most one --format may go to standard output; give the others a path (FORMAT:PATH).")
        }
        if let output {
            targets = targets.map { $0.path == nil ? OutputTarget(format: $0.format, path: output) : $0 }
        }
        return targets
    }
}

extension OutputTarget {
    /// The targets, checked before any network call: each file's directory exists and is
    /// writable, no file is a directory, no path is named twice or is the file read (`--env-file`, the report given to `report`). A problem
    /// is a usage error (exit 64) with its reason.
    static func validated(_ arguments: [String], output: String?, input: (path: String, label: String)?) throws -> [OutputTarget] {
        if let output, output.isEmpty { throw ValidationError("--output names no file.") }
        let targets: [OutputTarget]
        do { targets = try resolve(arguments, output: output) } catch { throw ValidationError(error.message) }
        var seen: [String: OutputTarget] = [:]
        let inputPath = input.map { canonicalPath($0.path) }
        for target in targets {
            guard let path = target.path else { continue }
            let canonical = canonicalPath(path)
            if let earlier = seen[canonical] {
                throw ValidationError(
                    "The \(earlier.format.rawValue) and \(target.format.rawValue) reports both go to \(path); give each its own file.")
            }
            seen[canonical] = target
            if canonical == inputPath, let input {
                throw ValidationError("The \(target.format.rawValue) report would overwrite \(input.label) \(path); choose another path.")
            }
            if let problem = writeProblem(path) {
                throw ValidationError("Cannot write the \(target.format.rawValue) report to \(path): \(problem).")
            }
        }
        return targets
    }

    /// Why `path` cannot be written, or nil. An existing file must be writable and not a
    /// directory; a new one needs a writable directory.
    static func writeProblem(_ path: String) -> String? {
        // FileManager rather than stat(2): the static Swift SDK keeps `struct stat` in a module
        // that per-file import visibility does not reach from here.
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return "it is a directory" }
            return files.isWritableFile(atPath: path) ? nil : "permission denied"
        }
        let directory = (path as NSString).deletingLastPathComponent
        let parent = directory.isEmpty ? "." : directory
        var parentIsDirectory: ObjCBool = false
        guard files.fileExists(atPath: parent, isDirectory: &parentIsDirectory), parentIsDirectory.boolValue else {
            return "the directory \(parent) does not exist"
        }
        return files.isWritableFile(atPath: parent) ? nil : "the directory \(parent) is not writable"
    }

    /// An absolute path with `.`, `..` and symbolic links in its directory resolved, to compare two.
    static func canonicalPath(_ path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let directory = url.deletingLastPathComponent().resolvingSymlinksInPath()
        return directory.appendingPathComponent(url.lastPathComponent).path
    }
}

public struct OutputTargetError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
