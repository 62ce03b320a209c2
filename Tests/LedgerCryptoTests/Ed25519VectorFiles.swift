import Foundation
import Testing

/// One Ed25519 verification case from a published vector file: a public key, a message and a
/// signature, with the file's own verdict where it gives one.
struct Ed25519Case: Sendable, CustomStringConvertible {
    /// The file's identifier: Wycheproof's `tcId`, or speccheck's 0-based case number.
    let id: Int
    let publicKey: [UInt8]
    let message: [UInt8]
    let signature: [UInt8]
    /// Wycheproof's `result` ("valid" is true); nil for speccheck, which states no verdict.
    let fileSaysValid: Bool?
    let note: String

    var description: String { "case \(id) (\(note))" }
}

/// The one loader for Ed25519 vector files under Vectors/, by format:
/// - `*.json`: Wycheproof `eddsa_verify_schema_v1` (testGroups[].publicKey.pk, tests[].tcId/msg/sig/result);
/// - `*.txt`: ed25519-speccheck `cases.txt` (a count line, then `msg=`, `pbk=`, `sig=` lines per case).
enum Ed25519VectorFile {
    static func load(_ name: String) throws -> [Ed25519Case] {
        name.hasSuffix(".json") ? try wycheproof(name) : try speccheck(name)
    }

    private struct Wycheproof: Decodable {
        struct Group: Decodable {
            struct Key: Decodable { let pk: String }
            struct Test: Decodable { let tcId: Int; let comment, msg, sig, result: String; let flags: [String] }
            let publicKey: Key
            let tests: [Test]
        }
        let numberOfTests: Int
        let testGroups: [Group]
    }

    private static func wycheproof(_ name: String) throws -> [Ed25519Case] {
        let file = try JSONDecoder().decode(Wycheproof.self, from: Vectors.data(name))
        let cases = try file.testGroups.flatMap { group in
            try group.tests.map { test in
                try #require(["valid", "invalid"].contains(test.result), "tcId \(test.tcId): result \(test.result)")
                return Ed25519Case(id: test.tcId, publicKey: try [UInt8](hex: group.publicKey.pk), message: try [UInt8](hex: test.msg),
                                   signature: try [UInt8](hex: test.sig), fileSaysValid: test.result == "valid",
                                   note: ([test.result] + test.flags + [test.comment]).filter { !$0.isEmpty }.joined(separator: ", "))
            }
        }
        try #require(cases.count == file.numberOfTests)
        return cases
    }

    private static func speccheck(_ name: String) throws -> [Ed25519Case] {
        var lines = try Vectors.text(name).split(separator: "\n").map(String.init)
        let count = try #require(Int(lines.removeFirst()))
        try #require(lines.count == 3 * count, "\(lines.count) lines for \(count) cases")
        return try (0..<count).map { index in
            func field(_ offset: Int, _ key: String) throws -> [UInt8] {
                let line = lines[3 * index + offset]
                try #require(line.hasPrefix(key + "="), "case \(index): expected \(key)=")
                return try [UInt8](hex: String(line.dropFirst(key.count + 1)))
            }
            return Ed25519Case(id: index, publicKey: try field(1, "pbk"), message: try field(0, "msg"),
                               signature: try field(2, "sig"), fileSaysValid: nil, note: "speccheck")
        }
    }
}
