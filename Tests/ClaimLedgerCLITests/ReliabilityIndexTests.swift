import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Glibc
import LedgerCrypto
import Merkle
import Testing

/// Every byte of the writers' index head (`index/head.json`), changed once, in-process, with every file
/// it stamps restored to its recorded size, mtime and inode: what the next query, proof and append (with
/// a slow clock) make of it.
@Suite("Reliability: writers' index")
struct ReliabilityIndexTests {
    struct Outcomes: CustomStringConvertible {
        var mutations = 0, appendRefused = 0, appendBrokeLedger = 0, wrongQuery = 0, wrongProof = 0
        var description: String {
            "mutations=\(mutations) appendRefused=\(appendRefused) appendBrokeLedger=\(appendBrokeLedger) wrongQuery=\(wrongQuery) wrongProof=\(wrongProof)"
        }
    }

    /// Everything the queries answer, as text: keys, sources, every claim with its history, the listings.
    static func answers(_ q: LedgerQueries, ids: [String]) throws -> String {
        var out = "size \(q.state.size) head \(q.state.head.hex) origin \(q.state.origin ?? "-")\n"
        for id in q.state.keyOrder { out += "key \(id.hex) \(q.state.keys[id]!)\n" }
        for d in q.state.sourceOrder { out += "source \(d.hex) \(q.state.sources[d]!)\n" }
        for id in ids + ["no-such-claim"] { out += "claim \(id) \(String(describing: try q.claim(id)))\n" }
        for s in [nil] + ClaimStatus.allCases.map(Optional.some) { out += "list \(String(describing: s)) \(try q.claims(status: s))\n" }
        return out
    }

    static func answers(_ state: LedgerState) -> String {
        var out = "size \(state.size) head \(state.head.hex) origin \(state.origin ?? "-")\n"
        for id in state.keyOrder { out += "key \(id.hex) \(state.keys[id]!)\n" }
        for d in state.sourceOrder { out += "source \(d.hex) \(state.sources[d]!)\n" }
        for id in state.claimOrder + ["no-such-claim"] { out += "claim \(id) \(String(describing: state.claims[id]))\n" }
        for s in [nil] + ClaimStatus.allCases.map(Optional.some) {
            let listed = ClaimDocuments.claims(in: state, status: s).map { ClaimListing(payload: $0.payload, seq: $0.entry.seq, status: $0.status) }
            out += "list \(String(describing: s)) \(listed)\n"
        }
        return out
    }

    @Test("Every byte of index/head.json changed once: appends never write an entry verify rejects; queries and proofs stay right")
    func everyByteOfTheIndexHead() throws {
        // A fixed time full of 9s: either change of a 9 in the head's lastTime makes it earlier (deterministic).
        let l = try RelLedger(base: RelLedger.fastBase, time: "2029-09-29T19:59:59Z")
        defer { l.remove() }
        #expect(l.status("Kyiv disputes it.").status == 0)
        #expect(l.status("Then refuted.", "refuted").status == 0)
        let headPath = l.path + "/index/head.json", treePath = l.path + "/tree/hashes"
        // The files the head stamps: restored in place with their mtimes, so that the stamps still match.
        let stamped = [l.entries, l.path + "/index/entries", l.path + "/index/claims"]
        let saved = try stamped.map { (try RelFiles.bytes($0), RelFiles.mtime($0)) }
        let head = try RelFiles.bytes(headPath), tree = try RelFiles.bytes(treePath)
        func restoreAll() throws {
            for (path, (bytes, mtime)) in zip(stamped, saved) { RelFiles.restore(bytes, path, mtime: mtime) }
            try RelFiles.write(tree, treePath)
            try RelFiles.write(head, headPath)
        }
        let store = try LedgerStore.open(l.path)
        let truth = try store.verifiedState()
        let truthAnswers = Self.answers(truth)
        try restoreAll()
        // The harness restores the index exactly: queries from it give the truth.
        try #require(try Self.answers(store.queries(), ids: truth.claimOrder) == truthAnswers)
        // ... and from the index itself: a rebuild would have rewritten the head with new stamps.
        try #require(try RelFiles.bytes(headPath) == head, "the restored index was not used as it is")
        let key = try KeyFiles.loadPrivateKey(l.deskKey)
        let slowClock = Timestamp(secondsSinceEpoch: 0)  // before every entry: the appender must use the last entry's time
        var outcomes = Outcomes()
        var examples = [String]()

        for p in head.indices {
            // One change per byte, alternating a flipped bit and another printable character.
            let byte = ReliabilityTamperTests.replacements(head[p])[p % 2]
            try restoreAll()
            RelFiles.poke(headPath, at: p, byte)
            outcomes.mutations += 1
            let context = "head byte \(p) 0x\(String(head[p], radix: 16)) -> 0x\(String(byte, radix: 16))"

            if let q = try? store.queries(), (try? Self.answers(q, ids: truth.claimOrder)) != truthAnswers {
                outcomes.wrongQuery += 1
                if examples.count < 3 { examples.append("query: \(context)") }
            }
            try restoreAll()
            RelFiles.poke(headPath, at: p, byte)
            if let answer = try? store.inclusionProof(seq: truth.size - 2, treeSize: nil),
               answer.rootHash != truth.rootHash || (try? ProofVerifier.verifyInclusion(answer.proof, leafHash: answer.leafHash, rootHash: truth.rootHash)) == nil {
                outcomes.wrongProof += 1
                if examples.count < 6 { examples.append("proof: \(context)") }
            }
            try restoreAll()
            RelFiles.poke(headPath, at: p, byte)
            let draft = StatusDraft(claim: "claim-one", status: .corroborated, rationale: "index mutation \(p)", evidence: [])
            do {
                try store.append([.status(draft)], key: key, time: slowClock)
                let report = try store.verify().report
                if let failure = report.failure {
                    outcomes.appendBrokeLedger += 1
                    if examples.count < 9 { examples.append("append: \(context): \(failure)") }
                }
            } catch {
                outcomes.appendRefused += 1
                #expect(try RelFiles.bytes(l.entries) == saved[0].0, "\(context): a refused append changed the ledger")
            }
        }
        try restoreAll()
        #expect(try store.queries().state.size == truth.size)
        #expect(outcomes.mutations == head.count)
        // The head carries a digest of its contents and the last entry is checked too: no damage to it
        // may make an append break the ledger, a query show what the ledger does not hold, or a proof come
        // from a wrong tree.
        #expect(outcomes.appendBrokeLedger == 0, "\(outcomes); e.g. \(examples)")
        #expect(outcomes.wrongQuery == 0, "\(outcomes); e.g. \(examples)")
        #expect(outcomes.wrongProof == 0, "\(outcomes); e.g. \(examples)")
        print("RELIABILITY index head mutations: \(outcomes)")
    }
}
