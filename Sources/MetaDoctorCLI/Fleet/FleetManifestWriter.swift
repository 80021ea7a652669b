import Foundation
import MetaConfig
import MetaSandbox

/// Writes a sandbox fleet's manifest for `meta-doctor fleet`: `manifest.jsonl` in `directory`, one
/// line per integration with its ids and META_GRAPH_URL as strings and its secrets by reference,
/// `{"file": "secrets/…"}`, relative to the manifest's directory; each secret in a file of its
/// own, mode 0600 (an app's secret once per app).
public enum FleetManifestWriter {
    public static let manifestName = "manifest.jsonl"

    /// The manifest's path.
    @discardableResult
    public static func write(_ fleet: SandboxFleet, graphURL: String, to directory: String) throws -> String {
        let files = FileManager.default
        let secrets = (directory as NSString).appendingPathComponent("secrets")
        try files.createDirectory(atPath: secrets, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var written: Set<String> = []
        var manifest = ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for integration in fleet.integrations {
            var line: [String: ManifestValue] = [ConfigKey.graphURL.name: .text(graphURL)]
            for (name, value) in integration.configured {
                guard ConfigKey(rawValue: name)?.isSecret ?? false else {
                    line[name] = .text(value)
                    continue
                }
                // One file per distinct secret: the app's secret is shared by its integrations.
                let file =
                    name == ConfigKey.appSecret.name && value == fleet.model.apps[integration.appID]?.secret
                    ? "secrets/app-\(integration.appID).secret" : "secrets/\(integration.id).\(name)"
                if written.insert(file).inserted {
                    try writeSecret(value + "\n", to: (directory as NSString).appendingPathComponent(file))
                }
                line[name] = .file(file)
            }
            // The id leads each line, so a person reading the manifest sees whose line it is first.
            let id = String(decoding: try encoder.encode(integration.id), as: UTF8.self)
            let rest = String(decoding: try encoder.encode(line), as: UTF8.self).dropFirst()
            manifest += "{\"id\":\(id),\(rest)\n"
        }
        let path = (directory as NSString).appendingPathComponent(manifestName)
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    struct WriteError: Error, CustomStringConvertible {
        let description: String
    }

    /// Creates the file with mode 0600 from its first instant (O_CREAT|O_EXCL, as the env
    /// writers do), never through a symbolic link; an earlier run's file at the path is removed
    /// first (a link is removed, not what it points to).
    static func writeSecret(_ text: String, to path: String) throws(WriteError) {
        if unlink(path) != 0, errno != ENOENT {
            throw WriteError(description: "Cannot replace \(path): \(RegularFile.describeErrno(errno)).")
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw WriteError(description: "Cannot create \(path): \(RegularFile.describeErrno(errno)).") }
        defer { close(descriptor) }
        // The mode is set on the descriptor too, so the umask does not change it.
        _ = fchmod(descriptor, 0o600)
        if let failure = Terminal.write(Array(text.utf8), to: descriptor) { throw WriteError(description: "Cannot write \(path): \(failure).") }
    }

    private enum ManifestValue: Encodable {
        case text(String)
        case file(String)

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .text(let text):
                var container = encoder.singleValueContainer()
                try container.encode(text)
            case .file(let path):
                var container = encoder.singleValueContainer()
                try container.encode(["file": path])
            }
        }
    }
}
