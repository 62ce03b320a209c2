import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Glibc
import LedgerCrypto
import Merkle
import Testing

/// Every byte of the writers' index (`index/state.json`), changed two ways, in-process: what the next
/// query (`indexedState`), proof (`verifiedTree(full: false)`) and append (with a slow clock) make of it.
@Suite("Reliability: writers' index")
struct ReliabilityIndexTests {
    struct Outcomes: CustomStringConvertible {
        var mutations = 0, appendRefused = 0, appendBrokeLedger = 0, wrongQuery = 0, wrongTree = 0
        var description: String {
            "mutations=\(mutations) appendRefused=\(appendRefused) appendBrokeLedger=\(appendBrokeLedger) wrongQuery=\(wrongQuery) wrongTree=\(wrongTree)"
        }
    }

    @Test("Every byte of index/state.json changed once: appends never write an entry verify rejects; queries and proofs stay right")
    func everyByteOfTheIndex() throws {
        // A fixed time full of 9s: either change of a 9 in the index's lastTime makes it earlier (deterministic).
        let l = try RelLedger(base: RelLedger.fastBase, time: "2029-09-29T19:59:59Z")
        defer { l.remove() }
        #expect(l.status("Kyiv disputes it.").status == 0)
        let indexPath = l.path + "/index/state.json", treePath = l.path + "/tree/hashes"
        let entries = try RelFiles.bytes(l.entries), index = try RelFiles.bytes(indexPath), tree = try RelFiles.bytes(treePath)
        let mtime = RelFiles.mtime(l.entries)
        var before = stat(), after = stat()
        stat(l.entries, &before)
        RelFiles.restore(entries, l.entries, mtime: mtime)
        stat(l.entries, &after)
        // The harness restores the ledger without changing what the index fingerprints (size, mtime, inode).
        try #require(before.st_ino == after.st_ino && before.st_size == after.st_size
                     && before.st_mtim.tv_sec == after.st_mtim.tv_sec && before.st_mtim.tv_nsec == after.st_mtim.tv_nsec)
        let store = try LedgerStore.open(l.path)
        let truth = try store.verifiedState()
        let truthSnapshot = try JCS.canonicalize(truth.snapshot())
        let key = try KeyFiles.loadPrivateKey(l.deskKey)
        let slowClock = Timestamp(secondsSinceEpoch: 0)  // before every entry: the appender must use the last entry's time
        var outcomes = Outcomes()
        var examples = [String]()

        for p in index.indices {
            // One change per byte, alternating a flipped bit and another printable character.
            for byte in [ReliabilityTamperTests.replacements(index[p])[p % 2]] {
                RelFiles.restore(entries, l.entries, mtime: mtime)  // the index's fingerprint of the ledger still matches
                try RelFiles.write(tree, treePath)
                try RelFiles.write(index, indexPath)
                RelFiles.poke(indexPath, at: p, byte)
                outcomes.mutations += 1
                let context = "index byte \(p) 0x\(String(index[p], radix: 16)) -> 0x\(String(byte, radix: 16))"

                if let state = try? store.indexedState(), (try? JCS.canonicalize(state.snapshot())) != truthSnapshot {
                    outcomes.wrongQuery += 1
                    if examples.count < 3 { examples.append("query: \(context)") }
                }
                if let (state, reader) = try? store.verifiedTree() {
                    let root = try? MerkleTree.rootHash(treeSize: Int64(truth.size), reader: reader)
                    if state.rootHash != truth.rootHash || root != truth.rootHash {
                        outcomes.wrongTree += 1
                        if examples.count < 6 { examples.append("tree: \(context)") }
                    }
                }
                let draft = StatusDraft(claim: "claim-one", status: .refuted, rationale: "index mutation \(p)", evidence: [])
                do {
                    try store.append([.status(draft)], key: key, time: slowClock)
                    let report = try store.verify().report
                    if let failure = report.failure {
                        outcomes.appendBrokeLedger += 1
                        if examples.count < 9 { examples.append("append: \(context): \(failure)") }
                    }
                } catch {
                    outcomes.appendRefused += 1
                    #expect(try RelFiles.bytes(l.entries) == entries, "\(context): a refused append changed the ledger")
                }
            }
        }
        RelFiles.restore(entries, l.entries, mtime: mtime)
        try RelFiles.write(index, indexPath)
        #expect(try store.indexedState().size == truth.size)
        #expect(outcomes.mutations == index.count)
        // The index carries a digest of its contents and the last entry's time is checked too: no damage
        // to it may make an append break the ledger, a query show what the ledger does not hold, or a
        // proof come from a wrong tree.
        #expect(outcomes.appendBrokeLedger == 0, "\(outcomes); e.g. \(examples)")
        #expect(outcomes.wrongQuery == 0, "\(outcomes); e.g. \(examples)")
        #expect(outcomes.wrongTree == 0, "\(outcomes); e.g. \(examples)")
        print("RELIABILITY index mutations: \(outcomes)")
    }
}
