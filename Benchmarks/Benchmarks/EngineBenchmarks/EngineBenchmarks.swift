import Benchmark
import DoctorKit
import Foundation
import Reports

/// A deterministic generator, so every run benchmarks the same graph.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// 1,000 no-op checks, each after up to 3 random earlier ones.
func syntheticGraph(size: Int = 1000) throws -> CheckGraph {
    var generator = SplitMix64(state: 2026)
    let checks = (0..<size).map { index -> Check in
        let prerequisites = index == 0 ? [] : Set((0..<Int.random(in: 0...3, using: &generator)).map { _ in
            CheckID("check.\(Int.random(in: 0..<index, using: &generator))")
        })
        return Check(
            CheckDescription(
                id: CheckID("check.\(index)"), title: "Check \(index)", prerequisites: prerequisites.sorted(),
                guideStep: GuideStep(anchor: "step", title: "Step"), summary: "A no-op.", remediation: "None."),
            probe: { _ in .pass("ok") })
    }
    return try CheckGraph(checks)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Engine: 1,000 no-op checks scheduled and reported",
        configuration: .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(10), maxIterations: 50)
    ) { benchmark in
        let graph = try syntheticGraph()
        let builder = ReportBuilder(
            tool: .init(name: "meta-doctor", version: "bench"), guideBaseURL: "https://example.com", inputChecks: [], strict: false)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let run = await Runner(graph: graph, clock: ContinuousClock()).run()
            let report = builder.report(for: run, graph: graph, startedAt: Date(), platforms: [])
            blackHole(JSONRenderer.render(report, options: RenderOptions()))
        }
    }
}
