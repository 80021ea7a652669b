import Foundation

/// Runs the built `meta-doctor` binary, as a user or a CI job would, and captures its streams.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public enum MetaDoctorBinary {
    /// The debug binary `swift build` left next to the test bundle.
    public static var path: String {
        let candidates = [
            RepositoryPaths.root.appendingPathComponent(".build/debug/meta-doctor").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("meta-doctor").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// Runs the binary with `arguments` in `directory`, with only `environment` (plus PATH and HOME),
    /// and stdin closed.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil
    ) async throws -> CommandResult {
        try await runTool(path, arguments, environment: environment, directory: directory)
    }

    /// Runs any executable the same way.
    public static func runTool(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil
    ) async throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var base = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
        base.merge(environment) { _, new in new }
        process.environment = base
        process.currentDirectoryURL = directory ?? FileManager.default.temporaryDirectory
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let out = PipeReader(stdout)
        let err = PipeReader(stderr)
        let outData = await out.untilEnd()
        let errData = await err.untilEnd()
        await process.exited()
        return CommandResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A fresh temporary directory, removed by the caller.
public func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("meta-doctor-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
