import DoctorKit
import DoctorTestSupport
import Foundation
import MetaChecks
import MetaConfig
import Testing

@Suite("The catalog of probes")
struct CatalogTests {
    static let guide = (try? String(contentsOf: RepositoryPaths.root.appendingPathComponent("docs/setup-guide.md"), encoding: .utf8)) ?? ""

    @Test("The catalog is a valid graph: unique ids, known prerequisites, no cycle")
    func validGraph() throws {
        let configuration = MetaConfiguration(values: [:])
        _ = try CheckGraph(MetaCatalog.checks(environment: TestEnvironment.offline(configuration)))
    }

    @Test("Every check declares its texts, and its id is dotted lowercase", arguments: MetaCatalog.descriptions.map(\.id))
    func declarations(id: CheckID) throws {
        let description = try #require(MetaCatalog.descriptions.first { $0.id == id })
        #expect(id.rawValue.range(of: "^[a-z0-9-]+(\\.[a-z0-9-]+)*$", options: .regularExpression) != nil)
        #expect(!description.title.isEmpty && !description.summary.isEmpty && !description.remediation.isEmpty)
        #expect(!description.calls.isEmpty)
        if let platform = description.platform { #expect(Platform(rawValue: platform) != nil) }
    }

    @Test("Every guide step resolves to an anchor of docs/setup-guide.md", arguments: GuideSteps.all.map(\.anchor))
    func guideAnchors(anchor: String) {
        #expect(Self.guide.contains("<a id=\"\(anchor)\"></a>"), "docs/setup-guide.md lacks the anchor \(anchor)")
    }

    @Test("Every guide step's title is the guide's heading under its anchor, numbered as the guide numbers it", arguments: GuideSteps.all)
    func guideHeadings(step: GuideStep) throws {
        let lines = Self.guide.components(separatedBy: "\n")
        let anchor = try #require(lines.firstIndex(of: "<a id=\"\(step.anchor)\"></a>"))
        #expect(lines[anchor + 1] == "### \(step.heading)", "docs/setup-guide.md: \(lines[anchor + 1])")
    }

    @Test("Every check points at a declared guide step")
    func checksUseDeclaredSteps() {
        let declared = Set(GuideSteps.all.map(\.anchor))
        for description in MetaCatalog.descriptions {
            #expect(declared.contains(description.guideStep.anchor), "\(description.id)")
        }
    }
}

@Suite("graph.version")
struct GraphVersionCheckTests {
    static func run(version: String, on day: String) async throws -> ProbeResult {
        let configuration = MetaConfiguration(values: [.graphVersion: ConfigValue(raw: version, name: "META_GRAPH_VERSION", source: .environment)])
        let now = try #require(GraphVersions.date(day))
        return try await GraphVersionCheck().run(
            TestEnvironment.offline(configuration, now: now), CheckContext(facts: Facts(), timeLimit: .seconds(5)))
    }

    @Test(
        "The verdict follows Meta's version table and the injected clock",
        arguments: [
            ("v25.0", "2026-11-25", Verdict.pass),
            ("v26.0", "2026-11-25", .pass),
            ("v27.0", "2026-12-01", .pass),  // released 2026-11-04
            ("v20.0", "2026-11-25", .fail),  // available until 2026-09-24
            ("v21.0", "2026-11-25", .warn),  // until 2027-01-21: within 90 days
            ("v21.0", "2026-09-01", .pass),
            ("v19.0", "2026-11-25", .fail),  // older than any version still listed
            // Newer than this build knows: judged by Meta's reply, which an offline run cannot get.
            ("v99.0", "2026-11-25", .error),
            ("25.0", "2026-11-25", .fail),
            ("latest", "2026-11-25", .fail),
        ])
    func verdicts(version: String, day: String, expected: Verdict) async throws {
        let result = try await Self.run(version: version, on: day)
        #expect(result.verdict == expected, "\(result.message)")
    }

    @Test("The default version is in the table and current")
    func defaultVersion() async throws {
        #expect(GraphVersions.entry(for: GraphVersions.defaultVersion) != nil)
        let result = try await Self.run(version: GraphVersions.defaultVersion, on: "2026-11-25")
        #expect(result.verdict == .pass)
    }
}
