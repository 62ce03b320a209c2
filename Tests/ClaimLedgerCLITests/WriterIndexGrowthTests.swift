import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Testing

/// The claim table of the writers' index grows (on disk, in the same file) when a batch would pass its
/// load factor, and is updated in place by small appends; queries must equal a full replay throughout.
@Suite("Writers' index: claim table growth")
struct WriterIndexGrowthTests {
    static func importFile(_ l: RelLedger, ids: Range<Int>, statusOf: [Int: String] = [:]) throws -> String {
        try l.claimsImportFile(ids: ids, prefix: "g", later: statusOf.sorted(by: { $0.key < $1.key }).map { ($0.key, $0.value) })
    }

    @Test("900 then 400 claims, statuses in between: the table grows twice and every query equals a replay")
    func growthKeepsQueriesRight() throws {
        let l = try RelLedger(base: RelLedger.fastBase)
        defer { l.remove() }
        let store = try LedgerStore.open(l.path)
        func check(_ when: String) throws {
            let truth = try store.verifiedState()
            let answers = try ReliabilityIndexTests.answers(store.queries(), ids: truth.claimOrder)
            #expect(answers == ReliabilityIndexTests.answers(truth), "\(when)")
        }
        try l.expect(["import", try Self.importFile(l, ids: 0..<900), "--ledger", l.path, "--key", l.deskKey])
        let tableSize = RelFiles.size(l.path + "/index/claims")
        #expect(tableSize == 32 + 2048 * 81, "901 claims need 2,048 slots at load 0.7: \(tableSize) bytes")
        try check("after the first import")
        for i in [3, 4, 899] { try l.expect(["claim", "status", "g-\(i)", "refuted", "--rationale", "in place", "--ledger", l.path, "--key", l.deskKey]) }
        try check("after appends in place")
        try l.expect(["import", try Self.importFile(l, ids: 900..<1300, statusOf: [0: "corroborated", 1299: "unverifiable"]),
                      "--ledger", l.path, "--key", l.deskKey])
        #expect(RelFiles.size(l.path + "/index/claims") == 32 + 2048 * 81)
        try l.expect(["import", try Self.importFile(l, ids: 1300..<1500), "--ledger", l.path, "--key", l.deskKey])
        #expect(RelFiles.size(l.path + "/index/claims") == 32 + 4096 * 81, "1,501 claims pass 0.7 of 2,048 slots")
        try check("after growing again")
        let listed = try store.queries().claims(status: .refuted).map(\.id)
        #expect(listed == ["g-3", "g-4", "g-899"])
    }
}
