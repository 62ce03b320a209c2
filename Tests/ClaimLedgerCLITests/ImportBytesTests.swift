import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import LedgerCrypto
import Testing

/// The bytes an import writes do not depend on how they are produced: a fixed import file, signed with
/// fixed keys at a fixed time, gives the very `entries.jsonl` that the code before the direct canonical
/// writer and the cheaper read-back (2197c4f, entries canonicalised through a `JSONValue` tree) wrote.
@Suite struct ImportBytesTests {
    static let article = "Le ministre a déclaré : « la trêve tiendra » — puis, à 20 h, « \"rien\" n'est sûr ». Fin.\n"

    /// Sources, claims with and without id, offset, status and date, and texts that need escapes
    /// (quotes, backslashes, tab, newline) or none (non-ASCII, U+2027, emoji). U+2028, which RFC 8785 does not
    /// escape either, is now refused by writers as a misleading character (FORMAT.md 1.9).
    static let importFile = #"""
        {"type":"source","file":"article.txt","ref":"a","title":"Dépêche \"spéciale\" \\ n°1","publisher":"Agence\tTest","url":"https://example.org/d?x=1&y=é","published":"2026-01-05","language":"fr-FR","mediaType":"text/plain; charset=utf-8"}
        {"type":"claim","id":"truce-holds","statement":"The minister said the truce \"will hold\".\nSecond line\twith a tab and a backslash \\.","claimant":"Ministre 🕊","quotes":[{"source":"a","text":"la trêve tiendra","offset":29}],"status":"disputed","rationale":"Later: « \"rien\" n'est sûr »\u2027end.","evidence":["a"]}
        {"type":"claim","statement":"Nothing is certain.","lang":"en-GB","claimant":"Ministre","date":"2026-01-06","quotes":[{"source":"a","text":"n'est sûr"}]}
        {"type":"status","claim":"truce-holds","status":"refuted","rationale":"Fin."}
        """#

    /// SHA-256 of `entries.jsonl` as a `claimledger` binary that canonicalises through the tree (ad54e10, the
    /// streamed import before the direct writer; it gives 7c7ce18f… for the earlier U+2028 file, as 2197c4f did)
    /// wrote it for these inputs: `init`
    /// and `key add` at 2026-01-06T09:00:00Z, `import` at 2026-01-06T10:00:00Z (`CLAIMLEDGER_TIME`), keys
    /// from the seeds 32 × 0x11 (root) and 32 × 0x22 (desk).
    static let expectedDigest = "402c7073a88eff606cc6d266dbb0998063dab7393e3dc9d480a961a2f85fc21a"

    @Test func importWritesTheBytesOfTheTreeCanonicalisingCode() throws {
        try withTemporaryDirectory { dir in
            let ledger = dir + "/ledger"
            try KeyFiles.write(try Ed25519PrivateKey(seed: [UInt8](repeating: 0x11, count: 32)), to: dir + "/root.pem")
            try KeyFiles.write(try Ed25519PrivateKey(seed: [UInt8](repeating: 0x22, count: 32)), to: dir + "/desk.pem")
            try Files.write(Self.article, to: dir + "/article.txt")
            try Files.write(Self.importFile + "\n", to: dir + "/import.jsonl")
            let early = ["CLAIMLEDGER_TIME": "2026-01-06T09:00:00Z"]
            for args in [["init", "--ledger", ledger, "--origin", "golden.example/claims", "--name", "root", "--key", dir + "/root.pem"],
                         ["key", "add", dir + "/desk.pem.pub", "--name", "desk", "--ledger", ledger, "--key", dir + "/root.pem"]] {
                let r = try CLI.run(args, env: early)
                try #require(r.status == 0, "\(r)")
            }
            let r = try CLI.run(["import", dir + "/import.jsonl", "--ledger", ledger, "--key", dir + "/desk.pem"],
                                env: ["CLAIMLEDGER_TIME": "2026-01-06T10:00:00Z"])
            try #require(r.status == 0, "\(r)")
            let bytes = try Files.bytes(ledger + "/entries.jsonl")
            let lines = bytes.split(separator: 0x0A)
            #expect(lines.count == 7)
            // Each entry's canonical bytes are those of its JSONValue tree, canonicalised (the old path).
            for line in lines {
                let entry = try SignedEntry.parse(line: Array(line))
                #expect(entry.canonicalBytes == (try JCS.canonicalize(entry.entry.json)))
            }
            #expect(SHA256.hash(bytes).hex == Self.expectedDigest, "entries.jsonl in \(dir)")
        }
    }
}
