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
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
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

public struct OutputTargetError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
