import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import LedgerCrypto
import Testing

/// `claimledger tiles` (FORMAT.md 16): what it writes for a small ledger, byte for byte from the entries
/// and the stored checkpoint; running it again; publishing a grown ledger; and its refusals.
@Suite struct TilesCommandTests {
    /// A sandbox ledger of 7 entries with `checkpoints/7` signed by its root key.
    static func checkpointed(_ dir: String) throws -> Sandbox {
        let s = try Sandbox(in: dir)
        try s.populate()
        try s.expectSuccess(["checkpoint", "--ledger", s.ledger, "--key", s.rootKey])
        return s
    }

    static func tiles(_ s: Sandbox, out: String, json: Bool = true) throws -> ProcessResult {
        try CLI.run(["tiles", "--ledger", s.ledger, "--out", out] + (json ? ["--json"] : []))
    }

    static func files(under root: String) -> [String] {
        let e = FileManager.default.enumerator(atPath: root)
        var out = [String]()
        while let p = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + p, isDirectory: &isDir), !isDir.boolValue { out.append(p) }
        }
        return out.sorted()
    }

    @Test func theTilesOfASmallLedgerAreItsEntriesAndCheckpoint() throws {
        try withTemporaryDirectory { dir in
            let s = try Self.checkpointed(dir)
            let out = dir + "/public"
            let result = try Self.tiles(s, out: out)
            try #require(result.status == 0, "\(result)")
            let json = try #require(try result.json.objectValue)
            #expect(json["entries"] == 7 && json["ledgerEntries"] == 7 && json["tilesWritten"] == 3 && json["tilesUnchanged"] == 0)
            #expect(json["checkpointWritten"] == true)
            #expect(Self.files(under: out).filter { !$0.hasPrefix("sources/") } == ["checkpoint", "tile/0/000.p/7", "tile/entries/000.p/7", "tile/signatures/000.p/7"])
            // FORMAT.md 16.5: each recorded source, content addressed.
            for source in Self.files(under: out).filter({ $0.hasPrefix("sources/sha256/") }) {
                #expect(SHA256.hash(try Files.bytes(out + "/" + source)).hex == source.dropFirst("sources/sha256/".count))
            }
            #expect(try Files.bytes(out + "/checkpoint") == (try Files.bytes(s.ledger + "/checkpoints/7")))

            // FORMAT.md 4.2: a line is {"entry":<canonical bytes>,"hash":"<hex>","signature":"<base64>"}.
            let lines = try s.lines().map { Array($0.utf8) }
            let canonical = lines.map { Array($0[9..<($0.count - 178)]) }
            let signatures = try lines.map { try #require(Base64.decode(String(decoding: $0[($0.count - 90)..<($0.count - 2)], as: UTF8.self))) }
            let bundle = try Files.bytes(out + "/tile/entries/000.p/7")
            #expect(bundle == canonical.flatMap { [UInt8($0.count >> 8), UInt8($0.count & 0xFF)] + $0 })
            #expect(try Files.bytes(out + "/tile/signatures/000.p/7") == signatures.flatMap { $0 })
            let leafHashes = canonical.map { c in c.withUnsafeBytes { SHA256.hash(prefix: 0x00, $0) } }
            #expect(try Files.bytes(out + "/tile/0/000.p/7") == leafHashes.flatMap(\.bytes))
            #expect(leafHashes.map(\.hex) == lines.map { String(decoding: $0[($0.count - 169)..<($0.count - 105)], as: UTF8.self) })

            // Again: nothing written, every file compared.
            let again = try Self.tiles(s, out: out, json: false)
            #expect(again.status == 0 && again.stdout == "0 tile files written (0 bytes), 3 unchanged, 0 sources written: 7 entries as of checkpoint 7 (already published), in \(out)\n",
                    "\(again)")
        }
    }

    /// After the ledger grows and is checkpointed again, the new partial tiles are written, the old ones
    /// stay for readers of the old checkpoint, and the checkpoint is replaced. Entries after the latest
    /// checkpoint are not published.
    @Test func aGrownLedgerIsPublishedAsOfItsNewCheckpoint() throws {
        try withTemporaryDirectory { dir in
            let s = try Self.checkpointed(dir)
            let out = dir + "/public"
            try #require(try Self.tiles(s, out: out).status == 0)
            try #require(try s.desk(["claim", "status", "drone-claim", "refuted", "--rationale", "Debunked."]).status == 0)
            let pending = try Self.tiles(s, out: out)
            #expect(pending.status == 0 && pending.stderr.contains("the 1 entries after checkpoint 7"), "\(pending)")
            #expect(try pending.json.objectValue?["tilesUnchanged"] == 3)

            try s.expectSuccess(["checkpoint", "--ledger", s.ledger, "--key", s.rootKey])
            let grown = try Self.tiles(s, out: out)
            #expect(grown.status == 0 && grown.stderr.isEmpty, "\(grown)")
            let json = try #require(try grown.json.objectValue)
            #expect(json["entries"] == 8 && json["tilesWritten"] == 3 && json["tilesUnchanged"] == 0 && json["checkpointWritten"] == true)
            #expect(Self.files(under: out).filter { !$0.hasPrefix("sources/") } == ["checkpoint", "tile/0/000.p/7", "tile/0/000.p/8", "tile/entries/000.p/7", "tile/entries/000.p/8",
                                               "tile/signatures/000.p/7", "tile/signatures/000.p/8"])
            #expect(try Files.bytes(out + "/checkpoint") == (try Files.bytes(s.ledger + "/checkpoints/8")))
            #expect(try Files.bytes(out + "/tile/0/000.p/8").prefix(7 * 32) == (try Files.bytes(out + "/tile/0/000.p/7"))[...])
        }
    }

    @Test func aLedgerWithoutACheckpointIsRefused() throws {
        try withTemporaryDirectory { dir in
            let s = try Sandbox(in: dir)
            let result = try Self.tiles(s, out: dir + "/public", json: false)
            expectOneLineError(result, exit: 3, mentioning: ["no checkpoint is stored", "claimledger checkpoint", "[no-checkpoint]"])
            #expect(!FileManager.default.fileExists(atPath: dir + "/public"))
        }
    }

    /// A published file that differs from what the ledger gives is never overwritten: the log changed
    /// what it had published (exit 1); so is a published checkpoint of more entries (a rollback).
    @Test func publishedFilesThatDifferAreRefused() throws {
        try withTemporaryDirectory { dir in
            let s = try Self.checkpointed(dir)
            let out = dir + "/public"
            try #require(try Self.tiles(s, out: out).status == 0)
            let tile = out + "/tile/entries/000.p/7"
            var bytes = try Files.bytes(tile)
            bytes[40] ^= 1
            try Files.write(bytes, to: tile)
            let changed = try Self.tiles(s, out: out, json: false)
            expectOneLineError(changed, exit: 1, mentioning: [tile, "first difference at byte 40", "[published-differs]"])
            #expect(try Files.bytes(tile) == bytes)
            bytes[40] ^= 1
            try Files.write(bytes, to: tile)

            let note = try String(decoding: Files.bytes(out + "/checkpoint"), as: UTF8.self)
            try Files.write(note.replacingOccurrences(of: "\n7\n", with: "\n9\n"), to: out + "/checkpoint")
            let rollback = try Self.tiles(s, out: out, json: false)
            expectOneLineError(rollback, exit: 1, mentioning: ["checkpoint of 9 entries", "roll the log back", "[published-differs]"])

            try Files.write(note.replacingOccurrences(of: "test.example/claims", with: "other.example/log"), to: out + "/checkpoint")
            let other = try Self.tiles(s, out: out, json: false)
            expectOneLineError(other, exit: 2, mentioning: ["other.example/log", "[other-log]"])
        }
    }

    /// FORMAT.md 12 and 16: writers refuse an entry of more than 65,535 canonical bytes (here an import),
    /// `verify` accepts one written before the limit, and `tiles` refuses to publish a ledger holding one,
    /// naming it.
    @Test func anOversizedEntryIsRefusedByWritersAndByTiles() throws {
        try withTemporaryDirectory { dir in
            let s = try Sandbox(in: dir)
            let passages = (0..<6).map { p in String((0..<2000).map { w in "p\(p)-\(w)" }.joined(separator: " ").prefix(12_000)) }
            try Files.write(passages.joined(separator: "\n"), to: dir + "/long.txt")
            let statement = String(repeating: "s", count: 8000)
            let source: JSONValue = ["type": "source", "ref": "long", "file": "long.txt", "title": "Long transcript", "publisher": "Test",
                                     "url": "https://example.org/long", "published": "2026-01-06", "language": "en"]
            let claim: JSONValue = ["type": "claim", "id": "long-claim", "statement": .string(statement), "claimant": "Test",
                                    "quotes": .array(passages.prefix(5).map { ["source": "long", "text": .string($0)] })]
            try Files.writeLines([source, claim].map { String(decoding: try JCS.canonicalize($0), as: UTF8.self) }, to: dir + "/long.import.jsonl")
            let refused = try s.desk(["import", dir + "/long.import.jsonl"])
            expectOneLineError(refused, exit: 2, mentioning: ["limit 65535", "[limit-exceeded]"])
            #expect(try s.lines().count == 2)

            // The same claim written as an older writer would have: signed with the library and appended.
            let added = try s.desk(["source", "add", dir + "/long.txt", "--title", "Long transcript", "--publisher", "Test",
                                    "--url", "https://example.org/long", "--published", "2026-01-06", "--language", "en"])
            try #require(added.status == 0, "\(added)")
            let id = added.stdout.trimmingCharacters(in: .newlines)
            let state = try LedgerStore.open(s.ledger).verifiedState()
            let bytes = try Files.bytes(dir + "/long.txt")
            let digest = try #require(SHA256Digest(hex: id))
            let quotes = try passages.prefix(5).map { try QuoteLocator.locate($0, in: bytes, source: digest, offset: nil) }
            let key = try KeyFiles.loadPrivateKey(s.deskKey)
            let payload = ClaimPayload(id: "long-claim", statement: statement, statementLanguage: "en", claimant: "Test",
                                       date: CalendarDate(year: 2026, month: 1, day: 6)!, quotes: quotes)
            let entry = Entry(seq: state.size, prev: state.head, time: state.lastTime!, signer: key.publicKey.keyID, payload: .claim(payload))
            let signed = try SignedEntry.sign(entry, with: key)
            #expect(signed.canonicalBytes.count > 65_535)
            try Files.write(try s.entries() + signed.line + [0x0A], to: s.entriesPath)
            #expect(try s.verifyJSON().status == 0)
            try s.expectSuccess(["checkpoint", "--ledger", s.ledger, "--key", s.rootKey])

            let tiles = try Self.tiles(s, out: dir + "/public", json: false)
            expectOneLineError(tiles, exit: 2, mentioning: ["entry 3:", "\(signed.canonicalBytes.count) bytes", "[limit-exceeded]"])
            #expect(!FileManager.default.fileExists(atPath: dir + "/public"))
        }
    }
}
