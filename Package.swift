// swift-tools-version:6.2
import PackageDescription

/// Settings every target shares: Swift 6 language mode (the tools version's default) plus
/// explicit existentials and per-file import visibility, as Hummingbird builds.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "meta-doctor",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "meta-doctor", targets: ["meta-doctor"]),
        .library(name: "DoctorKit", targets: ["DoctorKit"]),
        .library(name: "MetaConfig", targets: ["MetaConfig"]),
        .library(name: "MetaGraph", targets: ["MetaGraph"]),
        .library(name: "MetaChecks", targets: ["MetaChecks"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "MetaSandbox", targets: ["MetaSandbox"]),
        .library(name: "MetaDoctorCLI", targets: ["MetaDoctorCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The generic engine: check graph, runner, outcomes, report model. Nothing of Meta, no networking.
        .target(name: "DoctorKit", swiftSettings: strictSettings),
        // Configuration: .env parsing, canonical names and aliases, platform enablement.
        .target(
            name: "MetaConfig",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // The Graph API client and the HTTP transport every probe uses.
        .target(
            name: "MetaGraph",
            dependencies: [
                "DoctorKit", "MetaConfig",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strictSettings
        ),
        // The probes, one file each, by area.
        .target(
            name: "MetaChecks",
            dependencies: [
                "DoctorKit", "MetaConfig", "MetaGraph",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "checks",
            swiftSettings: strictSettings
        ),
        // One renderer per report format.
        .target(
            name: "Reports",
            dependencies: ["DoctorKit"],
            path: "reports",
            exclude: ["report.schema.json", "fix-plan.schema.json", "discover.schema.json", "fleet-summary.schema.json", "examples"],
            swiftSettings: strictSettings
        ),
        // The Graph API, webhook and ngrok emulator that demo and every test run against.
        .target(
            name: "MetaSandbox",
            dependencies: [
                "MetaConfig",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The commands: option parsing and the services behind them.
        .target(
            name: "MetaDoctorCLI",
            dependencies: [
                "DoctorKit", "MetaConfig", "MetaGraph", "MetaChecks", "Reports", "MetaSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // A thin executable over MetaDoctorCLI.
        .executableTarget(name: "meta-doctor", dependencies: ["MetaDoctorCLI"], swiftSettings: strictSettings),
        // Helpers the test targets share: a JSON Schema validator, paths into the repository.
        .target(
            name: "DoctorTestSupport",
            dependencies: ["DoctorKit"],
            path: "Tests/DoctorTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DoctorKitTests",
            dependencies: ["DoctorKit", "Reports", "DoctorTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MetaDoctorTests",
            dependencies: [
                "DoctorKit", "MetaConfig", "MetaGraph", "MetaChecks", "Reports", "MetaSandbox", "MetaDoctorCLI",
                "DoctorTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
