import Foundation

/// Golden files: expected output committed under Tests/Goldens/. A test compares what it rendered
/// with the file; `DOCTOR_RECORD_GOLDENS=1 swift test` rewrites the files instead, so an intended
/// change is reviewed as a git diff.
public enum Golden {
    public static let directory = RepositoryPaths.root.appendingPathComponent("Tests/Goldens")

    /// The committed text of `name`, or the text just recorded; nil when the file is missing.
    public static func expected(_ rendered: String, named name: String) throws -> String? {
        let file = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["DOCTOR_RECORD_GOLDENS"] != nil {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(rendered.utf8).write(to: file)
            return rendered
        }
        return try? String(contentsOf: file, encoding: .utf8)
    }
}
