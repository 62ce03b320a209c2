@testable import ClaimLedgerStorage
import ClaimLedgerCore
import Foundation
import Glibc
import Testing

/// The import brings its derived files (claim table, entry records, tree hashes) up to date on another
/// thread while the batch's lines are written (`ImportDerivedFiles`). The index may hold the batch before
/// the batch is durable, but its head, which makes it believed, is written only after the lines' fsync:
/// a batch whose write fails leaves the ledger as it was and an index without a head, which the next
/// reader or writer rebuilds to the verified answers.
@Suite("Import: derived files updated beside the batch's write", .serialized)
struct ImportOverlapTests {
    static let time = Timestamp(rfc3339: "2026-03-01T10:00:00Z")!

    struct Files: Equatable {
        var entries, indexEntries, claims, tree: [UInt8]
        var head: [UInt8]?

        init(_ l: RelLedger) throws {
            entries = try RelFiles.bytes(l.entries)
            indexEntries = try RelFiles.bytes(l.path + "/index/entries")
            claims = try RelFiles.bytes(l.path + "/index/claims")
            tree = try RelFiles.bytes(l.path + "/tree/hashes")
            head = try? RelFiles.bytes(l.path + "/index/head.json")
        }
    }

    static func ids(_ range: Range<Int>) -> [String] { range.map { "d-\($0)" } }

    @Test("The batch's write fails after the index took the batch: no head, the ledger as it was; the index is rebuilt to the verified answers")
    func failedWriteLeavesTheIndexStale() throws {
        let l = try RelLedger(base: RelLedger.fastBase)
        defer { l.remove() }
        try l.expect(["import", try ImportDerivedFilesTests.importFile(l, ids: 0..<1_300), "--ledger", l.path, "--key", l.deskKey])
        let second = try ImportDerivedFilesTests.importFile(l, ids: 1_300..<1_700, later: [0, 1, 2, 999, 1_400])
        let before = try Files(l)
        #expect(before.head != nil)
        let store = try LedgerStore.open(l.path)
        let key = try KeyFiles.loadPrivateKey(l.deskKey)
        var during: Files?
        #expect(throws: StoreError.self) {
            try store.importFile(second, key: key, time: Self.time, progress: nil) {
                during = try Files(l)
                throw StoreError(.io, "the disk is full (injected)")
            }
        }
        let seen = try #require(during)
        #expect(seen.head == nil, "no head while the batch is not durable")
        #expect(seen.indexEntries.count > before.indexEntries.count && seen.tree.count > before.tree.count,
                "the derived files had taken the batch before its write failed")
        let after = try Files(l)
        #expect(after.entries == before.entries, "entries.jsonl as before the batch")
        #expect(!FileManager.default.fileExists(atPath: l.path + "/append-in-progress"))
        #expect(after.head == nil, "the index stays without a head: not believed")
        #expect(after.indexEntries.count > before.indexEntries.count, "the entry records still hold the failed batch")
        #expect(RelProcess.tool(["claim", "show", "d-1300", "--ledger", l.path]).status != 0, "the failed batch's claims are unknown")

        // The next reader rebuilds the index (and cuts tree/hashes back) from a full verification.
        let reopened = try LedgerStore.open(l.path)
        let truth = try reopened.verifiedState()
        #expect(truth.size == 4 + 1_300 + 434, "genesis, key, source, claim-one, 1,300 claims and 434 first statuses")
        do {  // the queries hold a shared lock on the ledger while they live
            let queries = try reopened.queries()
            #expect(try ReliabilityIndexTests.answers(queries, ids: truth.claimOrder) == ReliabilityIndexTests.answers(truth))
            #expect(try queries.claim("d-1300") == nil && queries.claim("d-1299") != nil)
        }
        let rebuilt = try Files(l)
        #expect(rebuilt.indexEntries == before.indexEntries && rebuilt.tree == before.tree, "the derived files as before the batch")
        #expect(rebuilt.head != nil)

        // The same batch then imports, and its derived files equal a rebuild's.
        try l.expect(["import", second, "--ledger", l.path, "--key", l.deskKey])
        let imported = try Files(l)
        let answers = try ReliabilityIndexTests.answers(LedgerStore.open(l.path).queries(), ids: Self.ids(0..<1_700))
        unlink(l.path + "/tree/hashes")
        try FileManager.default.removeItem(atPath: l.path + "/index")
        let fresh = try LedgerStore.open(l.path)
        #expect(try ReliabilityIndexTests.answers(fresh.queries(), ids: Self.ids(0..<1_700)) == answers)
        let full = try fresh.verifiedState()
        #expect(try ReliabilityIndexTests.answers(fresh.queries(), ids: full.claimOrder) == ReliabilityIndexTests.answers(full))
        let again = try Files(l)
        #expect(again.indexEntries == imported.indexEntries && again.tree == imported.tree)
    }

    @Test("A batch whose write succeeds: the head appears only after the write, and the index answers as a full verification")
    func headOnlyAfterTheWrite() throws {
        let l = try RelLedger(base: RelLedger.fastBase)
        defer { l.remove() }
        let path = try ImportDerivedFilesTests.importFile(l, ids: 0..<2_500, later: [7, 2_499])
        let store = try LedgerStore.open(l.path)
        let key = try KeyFiles.loadPrivateKey(l.deskKey)
        var headDuring = true, entriesDuring = 0
        let summary = try store.importFile(path, key: key, time: Self.time, progress: nil) {
            headDuring = FileManager.default.fileExists(atPath: l.path + "/index/head.json")
            entriesDuring = RelFiles.size(l.path + "/index/entries")
        }
        #expect(!headDuring, "no head until the batch is durable")
        #expect(entriesDuring == 16 + 16 * summary.size, "the entry records had taken the whole batch before its fsync")
        #expect(FileManager.default.fileExists(atPath: l.path + "/index/head.json"))
        let truth = try store.verifiedState()
        #expect(truth.size == summary.size)
        #expect(try ReliabilityIndexTests.answers(LedgerStore.open(l.path).queries(), ids: truth.claimOrder)
                == ReliabilityIndexTests.answers(truth))
    }
}
