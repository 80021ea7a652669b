// swift-tools-version:6.3
import PackageDescription

// Benchmarks live in their own package so the main build (and CI) never compiles
// package-benchmark. Run them with `make bench` from the repository root (release builds only).
let package = Package(
    name: "meta-doctor-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "meta-doctor", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // package-benchmark: the engine's own overhead, in time and allocations.
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "DoctorKit", package: "meta-doctor"),
                .product(name: "Reports", package: "meta-doctor"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        // The bench command: a full check against the sandbox with 100 ms per request, compared with
        // the critical-path bound and with one check at a time; startup time and peak RSS of the
        // release binary, also against hostile endpoints.
        .executableTarget(
            name: "meta-doctor-bench",
            dependencies: [
                .product(name: "DoctorKit", package: "meta-doctor"),
                .product(name: "MetaChecks", package: "meta-doctor"),
                .product(name: "MetaConfig", package: "meta-doctor"),
                .product(name: "MetaGraph", package: "meta-doctor"),
                .product(name: "MetaSandbox", package: "meta-doctor"),
                .product(name: "MetaDoctorCLI", package: "meta-doctor"),
            ],
            path: "Sources/meta-doctor-bench"
        ),
    ]
)
