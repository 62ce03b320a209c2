@testable import ClaimLedgerStorage
import ClaimLedgerCore
import Foundation
import Glibc
import Testing

/// What the streamed import writes besides the entries (`tree/hashes`, the writers' index) must equal what
/// a rebuild from a full verification writes; its claim tables, probed with in-memory key fingerprints,
/// must answer as without them.
@Suite("Import: derived files and claim table probes")
struct ImportDerivedFilesTests {
    /// Claims `d-N` for N in `ids` (every third with a first status), then a status "refuted" for each of `later`.
    static func importFile(_ l: RelLedger, ids: Range<Int>, later: [Int] = []) throws -> String {
        try l.claimsImportFile(ids: ids, prefix: "d", later: later.map { ($0, "refuted") })
    }

    @Test("Two imports of several signing chunks: tree/hashes and the entry index equal a rebuild's byte for byte, the claims its answers")
    func derivedFilesEqualARebuild() throws {
        let l = try RelLedger(base: RelLedger.fastBase)
        defer { l.remove() }
        try l.expect(["import", try Self.importFile(l, ids: 0..<1_300), "--ledger", l.path, "--key", l.deskKey])
        // The second batch changes the statuses of claims of the first (the ledger's table under the overlay).
        try l.expect(["import", try Self.importFile(l, ids: 1_300..<1_700, later: [0, 1, 2, 999, 1_400]),
                      "--ledger", l.path, "--key", l.deskKey])
        let imported = (tree: try RelFiles.bytes(l.path + "/tree/hashes"), entries: try RelFiles.bytes(l.path + "/index/entries"))
        let answers = try ReliabilityIndexTests.answers(LedgerStore.open(l.path).queries(), ids: (0..<1_700).map { "d-\($0)" })

        // The same ledger without its derived files: the next writer rebuilds them from a full verification.
        unlink(l.path + "/tree/hashes")
        try FileManager.default.removeItem(atPath: l.path + "/index")
        let store = try LedgerStore.open(l.path)
        let truth = try store.verifiedState()
        #expect(try ReliabilityIndexTests.answers(store.queries(), ids: truth.claimOrder) == ReliabilityIndexTests.answers(truth))
        #expect(try RelFiles.bytes(l.path + "/tree/hashes") == imported.tree, "tree/hashes as the import wrote it")
        #expect(try RelFiles.bytes(l.path + "/index/entries") == imported.entries, "index/entries as the import wrote it")
        #expect(try ReliabilityIndexTests.answers(store.queries(), ids: (0..<1_700).map { "d-\($0)" }) == answers)
    }

    @Test("Keys crowded into one probe run, buffered: found, absent and updated as without buffering; status bytes on disk carry no fingerprint")
    func fingerprintedProbesFindEveryKey() throws {
        let dir = NSTemporaryDirectory() + "claimledger-ct-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/claims"
        // 600 keys with the same first slot, so that every probe passes the keys before it; lows vary, so
        // some share a fingerprint (31 values) and some do not.
        let keys = (0..<600).map { ClaimKey(high: 5, low: UInt64($0) &* 0x9E37_79B9_7F4A_7C15) }
        let absent = (600..<700).map { ClaimKey(high: 5, low: UInt64($0) &* 0x9E37_79B9_7F4A_7C15) }
        let table = try ClaimTable(creating: path, roomFor: 700)
        try table.startBuffering()
        for (i, k) in keys.enumerated() { try table.insert(k, claimSeq: i) }
        for (i, k) in keys.enumerated() where i % 4 == 0 { _ = try table.chain(k, seq: 1_000 + i, status: .refuted) }
        func check(_ t: ClaimTable, _ when: String) throws {
            for (i, k) in keys.enumerated() {
                let slot = try #require(try t.lookup(k), "\(when): key \(i)")
                #expect(slot.claimSeq == i && slot.status == (i % 4 == 0 ? .refuted : .unverified), "\(when): key \(i)")
            }
            for k in absent { #expect(try t.lookup(k) == nil, "\(when)") }
        }
        try check(table, "buffered")
        try table.save()
        try check(try #require(ClaimTable(path: path, writable: false)), "reopened, unbuffered")
        let reopened = try #require(ClaimTable(path: path, writable: true))
        try reopened.startBuffering()  // fingerprints unknown: every probe reads, as without them
        try check(reopened, "reopened, buffered")
        #expect(try reopened.slots(status: .refuted).count == 150)
        let statusBytes = try RelFiles.bytes(path).suffix(reopened.capacity)
        #expect(statusBytes.allSatisfy { $0 <= 5 }, "status bytes are 0 or 1 + a status code")
    }
}
