import CanonicalJSON
import Foundation
import LedgerCrypto
import Testing

/// The committed seed ledger (`ledger/`) and the seed files it was built from (`seeds/`).
/// Commands run on a copy, since reading commands may refresh derived files in the ledger directory.
@Suite struct SeedLedgerTests {
    static let ledger = CLI.repoRoot + "/ledger"
    static let seeds = CLI.repoRoot + "/seeds"
    static let droneClaim = "kremlin-accuses-ukraine-drone-attack-putin-residence"
    static let sharedKeys = CLI.repoRoot + "/../shared/keys"

    /// Runs `body` with a private copy of the committed ledger.
    func withSeedCopy<T>(_ body: (String) throws -> T) throws -> T {
        try withTemporaryDirectory { dir in
            let copy = dir + "/ledger"
            try FileManager.default.copyItem(atPath: Self.ledger, toPath: copy)
            #expect(try Files.bytes(copy + "/entries.jsonl") == Files.bytes(Self.ledger + "/entries.jsonl"))
            return try body(copy)
        }
    }

    /// The parsed lines of the committed `entries.jsonl`.
    static func entries() throws -> [JSONValue] {
        try Files.lines(ledger + "/entries.jsonl").map { try JSONParser.parse($0) }
    }

    static func claimIDs() throws -> [String] {
        try entries().compactMap { $0["entry"]?["type"] == "claim" ? $0["entry"]?["payload"]?["id"]?.stringValue : nil }
    }

    @Test func committedLedgerVerifies() throws {
        try withSeedCopy { copy in
            let count = try Files.lines(Self.ledger + "/entries.jsonl").count
            let result = try CLI.run(["verify", "--json", "--ledger", copy])
            #expect(result.status == 0, "\(result)")
            let report = try result.json
            #expect(report["ok"] == true)
            #expect(report["entries"] == .number(Double(count)))
        }
    }

    @Test func everyQuoteIsAtItsByteOffsetsInTheSeedFiles() throws {
        var files = [String: [UInt8]]()
        for folder in [Self.seeds, Self.seeds + "/evidence"] {
            for name in Files.list(folder) where name.hasSuffix(".txt") {
                let bytes = try Files.bytes(folder + "/" + name)
                files[SHA256.hash(bytes).hex] = bytes
            }
        }
        var checked = 0
        for line in try Self.entries() where line["entry"]?["type"] == "claim" {
            let claim = try #require(line["entry"]?["payload"])
            for quote in try #require(claim["quotes"]?.arrayValue) {
                let source = try #require(quote["source"]?.stringValue)
                let start = try #require(quote["start"]?.integerValue), end = try #require(quote["end"]?.integerValue)
                let text = try #require(quote["text"]?.stringValue)
                let bytes = try #require(files[source], "no seed file has SHA-256 \(source)")
                try #require(start >= 0 && start <= end && end <= bytes.count)
                #expect(Array(bytes[start..<end]) == Array(text.utf8), "\(claim["id"]?.stringValue ?? ""): \(text)")
                checked += 1
            }
        }
        let claims = try Self.claimIDs().count
        #expect(checked >= claims)
    }

    @Test func exportHoldsEveryRecordedClaim() throws {
        try withSeedCopy { copy in
            let recorded = try Self.claimIDs()
            #expect(recorded.count > 10)
            #expect(Set(recorded).count == recorded.count)
            let export = try CLI.run(["export", "--ledger", copy])
            #expect(export.status == 0, "\(export)")
            let exported = try export.json["claims"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
            #expect(exported == recorded)
        }
    }

    @Test func droneAttackClaimIsDisputedWithItsHistory() throws {
        try withSeedCopy { copy in
            let list = try CLI.run(["claim", "list", "--status", "disputed", "--ledger", copy])
            #expect(list.status == 0, "\(list)")
            #expect(list.stdoutLines.contains { $0.hasPrefix(Self.droneClaim + " ") })
            #expect(list.stdoutLines.allSatisfy { $0.contains(" disputed ") })

            let show = try CLI.run(["claim", "show", Self.droneClaim, "--ledger", copy])
            #expect(show.status == 0, "\(show)")
            #expect(show.stdout.contains("status    disputed"))
            #expect(show.stdout.contains("history"))
            let history = show.stdoutLines.filter { $0.hasPrefix("  20") && $0.contains(" entry ") }
            #expect(!history.isEmpty, "\(show.stdout)")
            #expect(history.last?.contains("disputed") == true)
            let json = try CLI.run(["claim", "show", Self.droneClaim, "--json", "--ledger", copy]).json
            #expect(json["status"] == "disputed")
            #expect(json["history"]?.arrayValue?.last?["status"] == "disputed")
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: SeedLedgerTests.sharedKeys + "/newsroom-root.pem"),
                   "the newsroom's private keys are not available"))
    func rebuildScriptReproducesTheLedgerByteForByte() throws {
        try withTemporaryDirectory { dir in
            let out = dir + "/rebuilt"
            let result = try Subprocess.run("bash", [Self.seeds + "/rebuild-ledger.sh", out], env: ["CLAIMLEDGER_BIN": CLI.binary])
            #expect(result.status == 0, "\(result)")
            let rebuilt = try Files.bytes(out + "/entries.jsonl")
            let committed = try Files.bytes(Self.ledger + "/entries.jsonl")
            #expect(rebuilt.count == committed.count)
            #expect(rebuilt == committed, "the rebuilt ledger differs from the committed one")
            #expect(Files.list(out + "/sources/sha256") == Files.list(Self.ledger + "/sources/sha256"))
        }
    }
}
