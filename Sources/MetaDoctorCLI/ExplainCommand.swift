import ArgumentParser
import Foundation
import DoctorKit
import MetaChecks

extension MetaDoctorCommand {
    /// `meta-doctor explain ID`: what a check verifies, the calls it makes, the permissions, the fix.
    public struct Explain: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Explain a check: what it verifies, its calls, permissions and fix.")

        @Argument(help: "A check id, such as app.secret (see `meta-doctor list`).", completion: .list(MetaChecksIDs.all.map(\.rawValue)))
        var id: String
        @Option(help: ArgumentHelp("Base URL of the setup guide.", valueName: "url")) var docsURL: String = DoctorRunRequest.defaultDocsURL

        public init() {}

        public func run() throws {
            Terminal.writeOut(try output())
        }

        /// What `explain` prints; an unknown id is a usage error that suggests close ones.
        func output() throws -> String {
            let descriptions = MetaCatalog.descriptions
            guard let description = descriptions.first(where: { $0.id.rawValue == id }) else {
                let close = descriptions.map(\.id.rawValue).filter { $0.hasPrefix(id.split(separator: ".").first.map(String.init) ?? id) }
                throw ValidationError(
                    "No check '\(id)'." + (close.isEmpty ? "" : " Did you mean \(close.joined(separator: ", "))?") + " `meta-doctor list` shows every id.")
            }
            return Self.text(for: description, in: descriptions, docsURL: docsURL)
        }

        static func text(for description: CheckDescription, in catalog: [CheckDescription], docsURL: String) -> String {
            let dependents = catalog.filter { $0.prerequisites.contains(description.id) }.map(\.id.rawValue)
            var lines = [
                "\(description.id) — \(description.title)",
                "",
                description.summary,
                "",
                "Platform:      \(description.platform ?? "all")",
                "Runs after:    \(description.prerequisites.isEmpty ? "nothing" : description.prerequisites.map(\.rawValue).joined(separator: ", "))",
                "Needed by:     \(dependents.isEmpty ? "nothing" : dependents.joined(separator: ", "))",
                "Calls:         \(description.calls.joined(separator: "\n               "))",
            ]
            if !description.permissions.isEmpty { lines.append("Permissions:   \(description.permissions.joined(separator: ", "))") }
            lines += [
                "Fix:           \(description.remediation)",
                "Guide:         \(description.guideStep.heading) — \(docsURL)#\(description.guideStep.anchor)",
            ]
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
