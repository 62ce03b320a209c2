import ClaimLedgerCore
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
