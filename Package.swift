// swift-tools-version: 6.2
import PackageDescription

// Dependencies point one way: COpenSSL -> LedgerCrypto -> (CanonicalJSON, Merkle) -> ClaimLedgerCore
// -> ClaimLedgerStorage -> (ClaimLedgerAccounts, ClaimLedgerSearch, ClaimLedgerTiles, ClaimLedgerWitness) -> ClaimLedgerSite
// (the pages, for the server and the static site) -> ClaimLedgerServer; ClaimLedgerRemote (HTTP: witnesses, remote
// audit) -> claimledger.
// Only LedgerCrypto imports COpenSSL; only ClaimLedgerSearch imports GRDB; only ClaimLedgerServer
// imports Hummingbird.
// Warnings are errors in every target of ours (not in dependencies).
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6), .treatAllWarnings(as: .error)]

let package = Package(
    name: "ClaimLedger",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "claimledger", targets: ["claimledger"]),
        .library(name: "ClaimLedgerCore", targets: ["ClaimLedgerCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(name: "CLinuxFiles"),
        .target(name: "LedgerCrypto", dependencies: ["COpenSSL"], swiftSettings: strict),
        .target(name: "CanonicalJSON", swiftSettings: strict),
        .target(name: "Merkle", dependencies: ["LedgerCrypto"], swiftSettings: strict),
        .target(name: "SignedNote", dependencies: ["LedgerCrypto"], swiftSettings: strict),
        .target(
            name: "ClaimLedgerCore",
            dependencies: ["LedgerCrypto", "CanonicalJSON", "Merkle", "SignedNote"],
            swiftSettings: strict
        ),
        .target(name: "ClaimLedgerStorage", dependencies: ["ClaimLedgerCore", "Merkle", "SignedNote", "CLinuxFiles"], swiftSettings: strict),
        .target(name: "ClaimLedgerTiles", dependencies: ["ClaimLedgerStorage", "Merkle", "SignedNote"], swiftSettings: strict),
        .target(name: "ClaimLedgerAccounts", dependencies: ["ClaimLedgerStorage", "LedgerCrypto"], swiftSettings: strict),
        .target(
            name: "ClaimLedgerSearch",
            dependencies: ["ClaimLedgerStorage", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .target(name: "ClaimLedgerWitness", dependencies: ["ClaimLedgerStorage", "SignedNote", "Merkle", "LedgerCrypto"], swiftSettings: strict),
        .target(
            name: "ClaimLedgerRemote",
            dependencies: ["ClaimLedgerWitness", "ClaimLedgerTiles", "ClaimLedgerStorage", "ClaimLedgerCore", "CanonicalJSON", "SignedNote", "Merkle", "LedgerCrypto"],
            swiftSettings: strict
        ),
        .target(
            name: "ClaimLedgerSite",
            dependencies: [
                "ClaimLedgerStorage", "ClaimLedgerAccounts", "ClaimLedgerCore", "LedgerCrypto", "Merkle", "SignedNote", "CanonicalJSON",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ClaimLedgerServer",
            dependencies: [
                "ClaimLedgerStorage", "ClaimLedgerAccounts", "ClaimLedgerSearch", "ClaimLedgerSite", "ClaimLedgerWitness", "ClaimLedgerTiles",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "claimledger",
            dependencies: [
                "ClaimLedgerStorage", "ClaimLedgerAccounts", "ClaimLedgerServer", "ClaimLedgerSite", "ClaimLedgerWitness",
                "ClaimLedgerRemote", "ClaimLedgerTiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "claimledger-bench",
            dependencies: ["ClaimLedgerStorage", "ClaimLedgerSearch"],
            path: "Benchmarks/claimledger-bench",
            swiftSettings: strict
        ),
        .testTarget(name: "LedgerCryptoTests", dependencies: ["LedgerCrypto"],
                    resources: [.copy("Vectors")], swiftSettings: strict),
        .testTarget(name: "CanonicalJSONTests", dependencies: ["CanonicalJSON"],
                    resources: [.copy("Vectors")], swiftSettings: strict),
        .testTarget(name: "MerkleTests", dependencies: ["Merkle"], exclude: ["Vectors"], swiftSettings: strict),
        .testTarget(name: "SignedNoteTests", dependencies: ["SignedNote"], exclude: ["Vectors"], swiftSettings: strict),
        .testTarget(name: "ClaimLedgerCoreTests", dependencies: ["ClaimLedgerCore"], swiftSettings: strict),
        .testTarget(name: "ClaimLedgerAccountsTests", dependencies: ["ClaimLedgerAccounts"], swiftSettings: strict),
        .testTarget(name: "ClaimLedgerTilesTests", dependencies: ["ClaimLedgerTiles"],
                    resources: [.copy("Vectors")], swiftSettings: strict),
        .testTarget(name: "ClaimLedgerSearchTests", dependencies: ["ClaimLedgerSearch"], swiftSettings: strict),
        .testTarget(
            name: "ClaimLedgerServerTests",
            dependencies: ["ClaimLedgerServer", "ClaimLedgerSearch", "ClaimLedgerSite", "ClaimLedgerWitness", .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ClaimLedgerCLITests",
            dependencies: ["ClaimLedgerStorage"],
            swiftSettings: strict
        ),
    ]
)
