import ArgumentParser
import Foundation
import DoctorKit
import MetaChecks
import Reports

extension MetaDoctorCommand {
    /// `meta-doctor graph`: the check graph itself, for docs and reviews.
    public struct GraphCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "graph", abstract: "Print the check graph (dot or mermaid).")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case dot
            case mermaid
        }

        @Option(help: "dot or mermaid.") var format: Format = .mermaid

        public init() {}

        public func run() {
            let descriptions = MetaCatalog.descriptions
            switch format {
            case .mermaid:
                Terminal.writeOut(MermaidGraph.render(nodes: descriptions.map { ($0.id, $0.title, $0.prerequisites, nil) }) + "\n")
            case .dot:
                var lines = ["digraph meta_doctor {", "  rankdir=LR;", "  node [shape=box, fontname=\"Helvetica\"];"]
                for description in descriptions {
                    lines.append("  \"\(description.id)\" [tooltip=\"\(description.title.replacingOccurrences(of: "\"", with: "'"))\"];")
                }
                for description in descriptions {
                    for prerequisite in description.prerequisites { lines.append("  \"\(prerequisite)\" -> \"\(description.id)\";") }
                }
                lines.append("}")
                Terminal.writeOut(lines.joined(separator: "\n") + "\n")
            }
        }
    }
}
