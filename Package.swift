// swift-tools-version: 6.2
import PackageDescription

// Dependencies point one way: COpenSSL -> LedgerCrypto -> (CanonicalJSON, Merkle) -> ClaimLedgerCore
// -> ClaimLedgerStorage -> claimledger. Only LedgerCrypto imports COpenSSL.
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
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "LedgerCrypto", dependencies: ["COpenSSL"], swiftSettings: strict),
        .target(name: "CanonicalJSON", swiftSettings: strict),
        .target(name: "Merkle", dependencies: ["LedgerCrypto"], swiftSettings: strict),
        .target(name: "SignedNote", dependencies: ["LedgerCrypto"], swiftSettings: strict),
        .target(
            name: "ClaimLedgerCore",
            dependencies: ["LedgerCrypto", "CanonicalJSON", "Merkle", "SignedNote"],
            swiftSettings: strict
        ),
        .target(name: "ClaimLedgerStorage", dependencies: ["ClaimLedgerCore", "Merkle", "SignedNote"], swiftSettings: strict),
        .executableTarget(
            name: "claimledger",
            dependencies: [
                "ClaimLedgerStorage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "claimledger-bench",
            dependencies: ["ClaimLedgerStorage"],
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
        .testTarget(
            name: "ClaimLedgerCLITests",
            dependencies: ["ClaimLedgerStorage"],
            swiftSettings: strict
        ),
    ]
)
