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

    @Test func thePanelShowsTheProofsTheDocumentCarries() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.seedCopy(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            let pages = view.pageLedger(try view.snapshot())
            let record = try #require(pages.state.claims[Self.seedClaim])
            let proofs = PageProofs(pages)
            let document = try #require(try pages.claimDocument(record, proofs: proofs))
            let proofsCarried = try #require(document.objectValue?["claims"]?.arrayValue?.first?.objectValue?["proofs"]?.arrayValue)
            #expect(!proofsCarried.isEmpty)
            // Every proof the document carries is the one the panel is given, for the checkpoint of 394.
            for item in proofsCarried {
                let seq = try #require(item.objectValue?["seq"]?.integerValue)
                let inclusion = try proofs.inclusion(seq)
                #expect(inclusion.proof.treeSize == 394)
                #expect(item.objectValue?["inclusion"] == ProofDocuments.inclusion(inclusion.proof, leafHash: inclusion.leafHash,
                                                                                   rootHash: inclusion.rootHash))
            }
            let panel = VerificationPanel.render(record, ledger: pages, proofs: proofs).rendered
            #expect(panel.contains("Every entry of this claim is in the signed checkpoint of 394 entries"))
            #expect(!panel.contains("proof failed"))
        }
    }

    @Test func aProofForAnotherEntryOrTreeIsRefused() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.seedCopy(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            let pages = view.pageLedger(try view.snapshot())
            let record = try #require(pages.state.claims[Self.seedClaim])
            let target = try #require(pages.proofTarget)
            let line = try #require(pages.line)
            let other = try ExportDocuments.verifiedInclusion(seq: 0, target: target, tree: pages.tree)
            #expect(throws: LedgerError.self) {
                try ExportDocuments.claimDocument(record, in: pages.state, target: target, inclusion: { _ in other }, line: line)
            }
            // Proofs in the tree of the first checkpoint (178 entries) are valid proofs, of the wrong tree.
            let smaller = ExportDocuments.ProofTarget(size: 178, root: try MerkleRoot.of(pages.tree, size: 178), note: nil, verifierKeys: [])
            let first = try #require(record.entry.seq < 178 ? record.entry.seq : nil)
            #expect(throws: LedgerError.self) {
                do {
                    _ = try ExportDocuments.claimDocument(record, in: pages.state, target: target,
                                                      inclusion: { _ in try ExportDocuments.verifiedInclusion(seq: first, target: smaller, tree: pages.tree) },
                                                      line: { _ in try line(first) })
                } catch let error as LedgerError {
                    #expect(error.reason.contains("is not in the tree of 394 entries"))
                    throw error
                }
            }
            // The same proofs, each for its own entry in the target's tree, make the document.
            #expect(throws: Never.self) {
                try ExportDocuments.claimDocument(record, in: pages.state, target: target,
                                                  inclusion: { try ExportDocuments.verifiedInclusion(seq: $0, target: target, tree: pages.tree) },
                                                  line: line)
            }
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

/// The root of the first `size` leaves of `tree`.
private enum MerkleRoot {
    static func of(_ tree: any HashReader, size: Int) throws -> SHA256Digest {
        try MerkleTree.rootHash(treeSize: Int64(size), reader: tree)
    }
}
