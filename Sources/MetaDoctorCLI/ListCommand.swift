import ArgumentParser
import Foundation
import DoctorKit
import MetaChecks
import Reports

/// The ids of the catalog, for validating selections without building an environment.
enum MetaChecksIDs {
    static var all: [CheckID] { MetaCatalog.descriptions.map(\.id) }
}

extension MetaDoctorCommand {
    /// `meta-doctor list`: every check with its prerequisites and guide step.
    public struct List: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "List the checks, their prerequisites and guide steps.")

        @Option(help: ArgumentHelp("human or json.", valueName: "format"), completion: .list(["human", "json"])) var format: String = "human"

        public init() {}

        public func validate() throws {
            guard ["human", "json"].contains(format) else { throw ValidationError("--format for list is human or json.") }
        }

        public func run() throws {
            Terminal.writeOut(output())
        }

        /// What `list` prints: JSON, or one line per check with its prerequisites and guide step.
        func output() -> String {
            let descriptions = MetaCatalog.descriptions
            if format == "json" {
                return JSONRenderer.encode(CheckListing(checks: descriptions.map(CheckListing.Entry.init)))
            }
            let width = descriptions.map(\.id.rawValue.count).max() ?? 0
            return descriptions.map { description in
                let id = description.id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
                let needs = description.prerequisites.isEmpty ? "" : "  (after \(description.prerequisites.map(\.rawValue).joined(separator: ", ")))"
                let step = description.guideStep.number.map { "step \($0), " } ?? ""
                return "\(id)  \(description.title)\(needs)  [\(step)#\(description.guideStep.anchor)]\n"
            }.joined()
        }
    }
}

/// `list --format json`: `{"checks":[{"id","title","platform","prerequisites","step"}]}`.
struct CheckListing: Encodable {
    struct Entry: Encodable {
        let id: String
        let title: String
        let platform: String?
        let prerequisites: [String]
        let step: String

        init(_ description: CheckDescription) {
            id = description.id.rawValue
            title = description.title
            platform = description.platform
            prerequisites = description.prerequisites.map(\.rawValue)
            step = description.guideStep.anchor
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(title, forKey: .title)
            try container.encode(platform, forKey: .platform)
            try container.encode(prerequisites, forKey: .prerequisites)
            try container.encode(step, forKey: .step)
        }

        enum CodingKeys: String, CodingKey { case id, title, platform, prerequisites, step }
    }

    let checks: [Entry]
}
