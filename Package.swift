// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "outdial",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "outdial", targets: ["outdial"]),
        .library(name: "Outdial", targets: ["Outdial"]),
        .library(name: "OutdialCore", targets: ["OutdialCore"]),
        .library(name: "ConnectSimulator", targets: ["ConnectSimulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0" ..< "4.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libyaml, from the system (Debian: libyaml-dev).
        .systemLibrary(
            name: "CYaml",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // Small pieces every module shares: UTC timestamps, file descriptors, clocks.
        .target(name: "OutdialBase"),
        // AWS Signature Version 4: signing and verification, shared by the client and the simulator.
        .target(
            name: "AWSSigV4",
            dependencies: ["OutdialBase", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // read -> validate -> dedupe -> plan, and the records (results, journal). No networking.
        .target(
            name: "OutdialCore",
            dependencies: [
                "CYaml",
                "OutdialBase",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // send: credentials, region and endpoint, HTTP, the executor.
        .target(
            name: "OutdialClient",
            dependencies: [
                "OutdialBase",
                "OutdialCore",
                "AWSSigV4",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // A local Amazon Connect stand-in for StartOutboundVoiceContact.
        .target(
            name: "ConnectSimulator",
            dependencies: [
                "AWSSigV4",
                "OutdialBase",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The ledger: one store of jobs, attempts, contact history, suppression and limits.
        .target(
            name: "OutdialLedger",
            dependencies: [
                "OutdialBase",
                "OutdialCore",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The library entry point: validate, plan, run, replay and spool as one call each.
        .target(
            name: "Outdial",
            dependencies: [
                "OutdialBase",
                "OutdialCore",
                "OutdialClient",
                "OutdialLedger",
                "ConnectSimulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "outdial",
            dependencies: [
                "Outdial",
                "OutdialBase",
                "OutdialCore",
                "OutdialClient",
                "OutdialLedger",
                "ConnectSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "AWSSigV4Tests", dependencies: ["AWSSigV4"], resources: [.copy("Resources")]),
        .testTarget(name: "OutdialBaseTests", dependencies: ["OutdialBase"]),
        .testTarget(
            name: "OutdialCoreTests",
            dependencies: ["OutdialCore", "OutdialBase"],
            resources: [.copy("Resources")]
        ),
        .testTarget(
            name: "OutdialClientTests",
            dependencies: [
                "OutdialClient", "OutdialCore", "OutdialBase", "OutdialLedger", "ConnectSimulator", "AWSSigV4",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [.copy("Resources")]
        ),
        .testTarget(
            name: "ConnectSimulatorTests",
            dependencies: [
                "ConnectSimulator", "AWSSigV4",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [.copy("Resources")]
        ),
        .testTarget(name: "OutdialLedgerTests", dependencies: ["OutdialLedger", "OutdialCore", "OutdialBase"]),
        .testTarget(
            name: "OutdialTests",
            dependencies: ["Outdial", "OutdialCore", "OutdialClient", "OutdialLedger", "OutdialBase", "ConnectSimulator"]
        ),
        .testTarget(
            name: "OutdialEndToEndTests",
            dependencies: ["ConnectSimulator"],
            resources: [.copy("Resources")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
