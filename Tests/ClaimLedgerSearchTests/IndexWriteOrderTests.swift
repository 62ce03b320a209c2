import ClaimLedgerCore
import Foundation
@testable import ClaimLedgerSearch
import Testing

/// The order in which an update writes the claims it changed (`ClaimFold.writeOrder`): the claims the index
/// held by ascending rowid (FTS5 then flushes its pending terms once, at the commit), then the new ones in
/// the order they were first touched (the rowids a rebuild gives them).
@Suite struct IndexWriteOrderTests {
    static func claim(_ id: String, rowid: Int64 = 0) -> IndexedClaim {
        IndexedClaim(rowid: rowid, id: id, seq: 0, statement: id, claimant: "desk", date: CalendarDate("2026-01-06")!, quotes: "", sources: [])
    }

    @Test func heldClaimsGoByRowidAndNewOnesAfterInTheirOrder() {
        let touched: [(claim: IndexedClaim, stored: IndexedClaim?)] = [
            (Self.claim("c9"), Self.claim("c9", rowid: 9)),
            (Self.claim("new-b"), nil),
            (Self.claim("c3"), Self.claim("c3", rowid: 3)),
            (Self.claim("new-a"), nil),
            (Self.claim("c7"), Self.claim("c7", rowid: 7)),
        ]
        let order = ClaimFold.writeOrder(touched)
        #expect(order.map(\.claim.id) == ["c3", "c7", "c9", "new-b", "new-a"])
        #expect(order.map { $0.stored?.rowid } == [3, 7, 9, nil, nil])
    }

    @Test func nothingTouchedWritesNothing() {
        #expect(ClaimFold.writeOrder([]).isEmpty)
    }
}

/// An update that touches the claims it holds out of rowid order, and records a new one, in one batch,
/// leaves what a rebuild writes, rowids included.
@Suite struct IndexWriteOrderRefreshTests {
    @Test func anUpdateOutOfRowidOrderEqualsARebuild() throws {
        let (store, keys) = try SearchFixture.copy()
        var state = try store.fullState()
        let index = try SearchIndex.open(ledgerDirectory: store.directory)
        #expect(try index.refresh(from: store, state: state) == .rebuilt)
        let seed = try SearchRefreshTests.seedQuote(state)
        // The first two claims recorded (rowids 1 and 2 in a rebuild), given statuses later one first.
        let open = state.claimOrder.filter { state.claims[$0]?.isRetracted == false }
        let (first, second) = (open[0], open[1])
        (_, state) = try store.append([
            .status(StatusDraft(claim: second, status: .disputed, rationale: "Second claim, first status of the batch.", evidence: [])),
            .status(StatusDraft(claim: first, status: .disputed, rationale: "First claim, second status of the batch: zeppelin.", evidence: [])),
            SearchRefreshTests.newClaim("write-order-claim", statement: "A claim recorded in the same batch.", quoting: seed),
            .status(StatusDraft(claim: "write-order-claim", status: .disputed, rationale: "Its first status.", evidence: [])),
        ], key: keys.desk, time: SearchRefreshTests.now())
        #expect(try index.refresh(from: store, state: state) == .updated(entries: 4))
        #expect(try index.search(ClaimQuery(text: "zeppelin")).hits.map(\.id) == [first])
        let rows = try index.tableRows()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: SearchIndex.path(forLedger: store.directory) + suffix) }
        let fresh = try SearchIndex.open(ledgerDirectory: store.directory)
        #expect(try fresh.refresh(from: store, state: state) == .rebuilt)
        #expect(try fresh.tableRows() == rows)
    }
}
