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
    static let testOnlyKeys = CLI.repoRoot + "/Tests/TestOnlyKeys"
    /// The entries of the seed import, sealed by the first checkpoint; the editorial record follows them.
    static let seedSize = 178

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
            // The seed's export is larger than the parser's default 1 MiB document limit.
            let limits = JSONLimits(maxBytes: 64 << 20, maxDepth: JSONLimits.default.maxDepth,
                                    maxStringBytes: JSONLimits.default.maxStringBytes, maxContainerCount: JSONLimits.default.maxContainerCount)
            let exported = try JSONParser.parse(export.stdout, limits: limits)["claims"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
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

    /// The editorial record of issue 11 on the drone claim: the Kremlin asserts and Kyiv denies, a claim
    /// that the Kremlin made the accusation reports it, the hardening is linked to it, and its graded
    /// verdict rests on spans and carries the editor's approval.
    @Test func droneAttackClaimCarriesPositionsLinksAndAReviewedVerdict() throws {
        try withSeedCopy { copy in
            let json = try CLI.run(["claim", "show", Self.droneClaim, "--json", "--ledger", copy]).json
            let stances = json["positions"]?.arrayValue?.compactMap { $0["stance"]?.stringValue } ?? []
            #expect(stances.contains("asserts") && stances.contains("denies"), "\(stances)")
            let from = json["linkedFrom"]?.arrayValue ?? []
            #expect(from.contains { $0["from"] == "kremlin-accused-ukraine-drone-attack-putin-residence" && $0["relation"] == "reports" })
            let to = json["links"]?.arrayValue ?? []
            #expect(to.contains { $0["to"] == "kremlin-intends-to-harden-position" })
            #expect(json["kind"] == "substance")
            #expect(json["reviewed"] == true)
            let latest = try #require(json["history"]?.arrayValue?.last)
            #expect(latest["verdict"]?["label"] == "unproven")
            #expect((latest["spans"]?.arrayValue?.count ?? 0) > 0)
        }
    }

    /// Every claim's latest status that carries a verdict has the editor's approval, signed by another key
    /// than the status; every claim has a kind.
    @Test func everyPublishedVerdictIsReviewed() throws {
        var latestStatus = [String: JSONValue](), latestReview = [String: JSONValue](), kinds = Set<String>()
        for line in try Self.entries() {
            let entry = try #require(line["entry"]), payload = try #require(entry["payload"])
            let claim = payload["claim"]?.stringValue ?? payload["id"]?.stringValue ?? ""
            switch entry["type"]?.stringValue {
            case "status": latestStatus[claim] = line
            case "review": latestReview[claim] = line
            case "claim": if payload["kind"] != nil { kinds.insert(claim) }
            case "amend": if payload["changes"]?["kind"] != nil { kinds.insert(claim) }
            default: break
            }
        }
        #expect(Set(latestStatus.keys).isSubset(of: kinds), "claims without a kind")
        var verdicts = 0
        for (claim, status) in latestStatus where status["entry"]?["payload"]?["verdict"] != nil {
            verdicts += 1
            let review = try #require(latestReview[claim], "\(claim): verdict without a review")
            #expect(review["entry"]?["payload"]?["status"] == status["hash"], "\(claim): the review is not of the latest status")
            #expect(review["entry"]?["payload"]?["decision"] == "approve")
            #expect(review["entry"]?["signer"] != status["entry"]?["signer"])
        }
        #expect(verdicts > 0)
    }

    /// The rebuild script, run with the test-only keys, reproduces every committed entry but for who
    /// signed it: same count, `seq`, `time`, `type` and payload (public keys mapped from the newsroom's to
    /// the test-only ones, and a review's `status` hash from the committed entry's to the rebuilt one's),
    /// same archived sources, the same two checkpoint sizes, and a ledger that verifies. Byte-for-byte
    /// equality needs the newsroom's private keys, which no test has (docs/SEED.md says how a maintainer
    /// checks it).
    @Test func rebuildScriptReproducesEveryEntryButItsSigner() throws {
        try withTemporaryDirectory { dir in
            let out = dir + "/rebuilt"
            let result = try Subprocess.run("bash", [
                Self.seeds + "/rebuild-ledger.sh", "--root-key", Self.testOnlyKeys + "/test-only-root.pem",
                "--desk-key", Self.testOnlyKeys + "/test-only-desk.pem", "--editor-key", Self.testOnlyKeys + "/test-only-editor.pem", out,
            ], env: ["CLAIMLEDGER_BIN": CLI.binary])
            try #require(result.status == 0, "\(result)")
            let committed = try Self.entries()
            #expect(result.stdout.contains("OK: \(committed.count) entries verify"), "\(result)")
            let rebuilt = try Files.lines(out + "/entries.jsonl").map { try JSONParser.parse($0) }
            try #require(rebuilt.count == committed.count, "rebuilt \(rebuilt.count) entries, the ledger has \(committed.count)")
            var signers: [String: String] = [:], publicKeys: [String: String] = [:], hashes: [String: String] = [:]
            for (mine, theirs) in zip(committed, rebuilt) {
                let a = try #require(mine["entry"]), b = try #require(theirs["entry"])
                let seq = a["seq"]?.integerValue ?? -1
                for member in ["seq", "time", "type"] { #expect(a[member] == b[member], "entry \(seq): \(member)") }
                let signer = try #require(a["signer"]?.stringValue), other = try #require(b["signer"]?.stringValue)
                #expect(signers[signer, default: other] == other, "entry \(seq): signed by another key than before")
                signers[signer] = other
                var ours = try Self.withPublicKeysMapped(try #require(a["payload"]), to: b["payload"], recording: &publicKeys)
                if a["type"] == "review", case .object(var members) = ours, let status = members["status"]?.stringValue {
                    let mapped = try #require(hashes[status], "entry \(seq): reviews an entry that is not an earlier one")
                    members["status"] = .string(mapped)
                    ours = .object(members)
                }
                #expect(ours == b["payload"], "entry \(seq): payloads differ")
                hashes[try #require(mine["hash"]?.stringValue)] = try #require(theirs["hash"]?.stringValue)
            }
            #expect(Set(signers.values).count == signers.count && signers.count == 3, "\(signers)")
            #expect(Files.list(out + "/sources/sha256") == Files.list(Self.ledger + "/sources/sha256"))
            #expect(Files.list(out + "/checkpoints") == Files.list(Self.ledger + "/checkpoints"))
        }
    }

    /// `--seed-only` stops after the first checkpoint: the 178 entries of the seed, with `checkpoints/178`.
    @Test func rebuildScriptSeedOnlyStopsAtTheFirstCheckpoint() throws {
        try withTemporaryDirectory { dir in
            let out = dir + "/rebuilt"
            let result = try Subprocess.run("bash", [
                Self.seeds + "/rebuild-ledger.sh", "--root-key", Self.testOnlyKeys + "/test-only-root.pem",
                "--desk-key", Self.testOnlyKeys + "/test-only-desk.pem", "--seed-only", out,
            ], env: ["CLAIMLEDGER_BIN": CLI.binary])
            try #require(result.status == 0, "\(result)")
            #expect(result.stdout.contains("OK: \(Self.seedSize) entries verify"), "\(result)")
            #expect(try Files.lines(out + "/entries.jsonl").count == Self.seedSize)
            #expect(Files.list(out + "/checkpoints") == ["\(Self.seedSize)"])
        }
    }

    /// The committed ledger keeps the checkpoint of the seed (178 entries) and a later one that extends it:
    /// both verify, and the consistency proof between them checks.
    @Test func committedCheckpointsAreConsistent() throws {
        try withSeedCopy { copy in
            let count = try Files.lines(Self.ledger + "/entries.jsonl").count
            #expect(count > Self.seedSize)
            #expect(Set(Files.list(Self.ledger + "/checkpoints")) == ["\(Self.seedSize)", "\(count)"])
            for size in [Self.seedSize, count] {
                let result = try CLI.run(["verify", "--ledger", copy, "--checkpoint", copy + "/checkpoints/\(size)"])
                #expect(result.status == 0, "\(result)")
            }
            let proof = try CLI.run(["prove", "consistency", "\(Self.seedSize)", "\(count)", "--json", "--ledger", copy])
            #expect(proof.status == 0, "\(proof)")
            #expect(try proof.json["oldSize"] == .number(Double(Self.seedSize)))
        }
    }

    /// `payload` with each `publicKey` member replaced by the one at the same place in `other`, each
    /// newsroom key always by the same test-only key.
    static func withPublicKeysMapped(_ payload: JSONValue, to other: JSONValue?, recording map: inout [String: String]) throws -> JSONValue {
        switch payload {
        case .object(let members):
            var mapped = members
            for (name, value) in members {
                if name == "publicKey", let mine = value.stringValue, let theirs = other?[name]?.stringValue {
                    #expect(map[mine, default: theirs] == theirs)
                    map[mine] = theirs
                    mapped[name] = .string(theirs)
                } else {
                    mapped[name] = try withPublicKeysMapped(value, to: other?[name], recording: &map)
                }
            }
            return .object(mapped)
        case .array(let items):
            let others = other?.arrayValue ?? []
            return .array(try items.enumerated().map { try withPublicKeysMapped($1, to: $0 < others.count ? others[$0] : nil, recording: &map) })
        default:
            return payload
        }
    }
}
