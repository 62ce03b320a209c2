import CanonicalJSON
import ClaimLedgerCore
@testable import ClaimLedgerServer
@testable import ClaimLedgerSite
import ClaimLedgerStorage
import Foundation
import LedgerCrypto
import Merkle
import Testing

/// A claim page's proofs: built once for its panel and its self-check document, and read from the file
/// `entries.jsonl` names now.
@Suite("Claim page proofs") struct ClaimPageProofTests {
    static let seedClaim = "kremlin-accuses-ukraine-drone-attack-putin-residence"

    /// What the server renders the seed's drone claim from, on a copy of the committed ledger in `dir`.
    static func seedClaimPage(in dir: String) throws -> (PageLedger, ClaimRecord) {
        let ledger = try TestLedger.seedCopy(in: dir)
        let view = try LedgerView(directory: ledger.ledger)
        let pages = view.pageLedger(try view.snapshot())
        return (pages, try #require(pages.state.claims[seedClaim]))
    }

    @Test func thePanelShowsTheProofsTheDocumentCarries() async throws {
        try await withTemporaryDirectory { dir in
            let (viewPages, _) = try Self.seedClaimPage(in: dir)
            let reads = CountingReader(viewPages.tree)
            let pages = PageLedger(state: viewPages.state, checkpoint: viewPages.checkpoint, tree: reads, line: viewPages.line)
            let record = try #require(pages.state.claims[Self.seedClaim])
            let proofs = PageProofs(pages)
            let document = try #require(try pages.claimDocument(record, proofs: proofs))
            let proofsCarried = try #require(document.objectValue?["claims"]?.arrayValue?.first?.objectValue?["proofs"]?.arrayValue)
            #expect(!proofsCarried.isEmpty)
            // Every proof the document carries is the one the panel is given, for the checkpoint of 394.
            for item in proofsCarried {
                let seq = try #require(item.objectValue?["seq"]?.integerValue)
                let inclusion = try proofs.inclusion(seq).inclusion
                #expect(inclusion.proof.treeSize == 394)
                #expect(item.objectValue?["inclusion"] == ProofDocuments.inclusion(inclusion.proof, leafHash: inclusion.leafHash,
                                                                                   rootHash: inclusion.rootHash))
            }
            let panel = VerificationPanel.render(record, proofs: proofs).rendered
            #expect(panel.contains("Every entry of this claim is in the signed checkpoint of 394 entries"))
            #expect(!panel.contains("proof failed"))
            // Each entry's proof was built once, and read the tree no more than building each once does.
            let listed = Set(VerificationPanel.entries(record, in: pages.state).map(\.ref.seq).filter { $0 < 394 })
            #expect(proofs.built == listed.count)
            let alone = CountingReader(viewPages.tree)
            let target = try #require(pages.proofTarget)
            for seq in listed { _ = try ExportDocuments.verifiedInclusion(seq: seq, target: target, tree: alone) }
            #expect(reads.calls == alone.calls)
        }
    }

    @Test func thePanelFailsAnEntryWhoseHashIsNotTheTreesLeaf() async throws {
        try await withTemporaryDirectory { dir in
            let (pages, record) = try Self.seedClaimPage(in: dir)
            let proofs = PageProofs(pages)
            let ref = record.entry
            guard case .included = InclusionCheck.check(ref, proofs: proofs) else {
                Issue.record("the claim's own entry is in the checkpoint")
                return
            }
            let other = EntryRef(seq: ref.seq, hash: try #require(pages.state.claims.values.first { $0.entry.seq != ref.seq }?.entry.hash),
                                 signer: ref.signer, time: ref.time)
            guard case .failed(let why) = InclusionCheck.check(other, proofs: proofs) else {
                Issue.record("a hash that is not the tree's leaf must fail")
                return
            }
            #expect(why.contains("the tree's leaf is \(ref.hash.hex)"))
        }
    }

    @Test func aProofForAnotherEntryOrTreeIsRefused() async throws {
        try await withTemporaryDirectory { dir in
            let (pages, record) = try Self.seedClaimPage(in: dir)
            let target = try #require(pages.proofTarget)
            let line = try #require(pages.line)
            // Entry 0's proof and line, given for every entry: the line matches the proof, the entry does not.
            let entryZero = try ExportDocuments.verifiedInclusion(seq: 0, target: target, tree: pages.tree)
            try Self.expectRefusal("is for entry 0") {
                try ExportDocuments.claimDocument(record, in: pages.state, target: target, inclusion: { _ in entryZero },
                                                  line: { _ in try line(0) })
            }
            // Proofs in the tree of the first checkpoint (178 entries) are valid proofs, of the wrong tree.
            let smaller = ExportDocuments.ProofTarget(size: 178, root: try MerkleTree.rootHash(treeSize: 178, reader: pages.tree),
                                                      note: nil, verifierKeys: [])
            let first = try #require(record.entry.seq < 178 ? record.entry.seq : nil)
            let inSmaller = try ExportDocuments.verifiedInclusion(seq: first, target: smaller, tree: pages.tree)
            try Self.expectRefusal("is not in the tree of 394 entries") {
                try ExportDocuments.claimDocument(record, in: pages.state, target: target, inclusion: { _ in inSmaller },
                                                  line: { _ in try line(first) })
            }
            // The same proofs, each for its own entry in the target's tree, make the document.
            #expect(throws: Never.self) {
                try ExportDocuments.claimDocument(record, in: pages.state, target: target,
                                                  inclusion: { try ExportDocuments.verifiedInclusion(seq: $0, target: target, tree: pages.tree) },
                                                  line: line)
            }
        }
    }

    /// `body` throws an `invalid-input` LedgerError whose reason contains `reason`.
    static func expectRefusal(_ reason: String, _ body: () throws -> JSONValue) throws {
        do {
            _ = try body()
            Issue.record("expected a refusal: \(reason)")
        } catch let error as LedgerError {
            #expect(error.code == .invalidInput)
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }

    @Test func aPageReadsTheFileThePathNamesNow() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.seedCopy(in: dir)
            let path = ledger.ledger + "/entries.jsonl"
            let view = try LedgerView(directory: ledger.ledger)
            let line = try #require(view.pageLedger(try view.snapshot()).line)
            let original = try line(5)
            // Another file, as long, takes the path (a byte of entry 5 changed): the view's open file is
            // dropped at the next request, and the page reads the new file, whose line no longer verifies.
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let start = try #require(bytes.indices.filter { bytes[$0] == 0x0A }.dropFirst(4).first) + 1
            let at = start + 40
            bytes[at] = bytes[at] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
            try Data(bytes).write(to: URL(fileURLWithPath: path + ".new"))
            #expect(rename(path + ".new", path) == 0)
            let reread = try #require(view.pageLedger(try view.snapshot()).line)
            let changed = try reread(5)
            #expect(changed.count == original.count)
            #expect((changed == original) == false, "the line of the file the path names now")
            #expect((changed == Array(bytes[start..<(start + changed.count)])) == true)
        }
    }
}

/// A tree reader that counts its reads (one test, one thread).
private final class CountingReader: HashReader {
    let inner: any HashReader
    private(set) var calls = 0

    init(_ inner: any HashReader) { self.inner = inner }

    func readHashes(_ indexes: [Int64]) throws -> [SHA256Digest] {
        calls += 1
        return try inner.readHashes(indexes)
    }
}
