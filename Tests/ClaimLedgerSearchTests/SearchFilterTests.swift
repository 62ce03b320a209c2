import ClaimLedgerCore
import ClaimLedgerSearch
import ClaimLedgerStorage
import Foundation
import Testing

/// Every filter, checked against the ledger itself: the claims a query returns are exactly those whose
/// records (a full replay of the seed ledger) satisfy the filter, in the promised order.
@Suite struct SearchFilterTests {
    let store: LedgerStore
    let state: LedgerState
    let index: SearchIndex

    init() throws {
        store = try SearchFixture.copy().store
        state = try store.fullState()
        index = try SearchIndex.open(ledgerDirectory: store.directory)
        #expect(try index.refresh(from: store, state: state) == .rebuilt)
    }

    var records: [ClaimRecord] { state.claimOrder.compactMap { state.claims[$0] } }

    /// Every hit of `query`, page after page.
    func all(_ query: ClaimQuery) throws -> [ClaimHit] {
        var q = query, hits = [ClaimHit]()
        q.perPage = 7
        while true {
            let page = try index.search(q)
            hits += page.hits
            if page.hits.isEmpty || hits.count >= page.total { #expect(hits.count == page.total); return hits }
            q.page += 1
        }
    }

    /// The ids `query` finds, against the ids of the records that `keep` accepts (retracted ones only when
    /// the query includes them), newest first.
    func check(_ query: ClaimQuery, _ keep: (ClaimRecord) -> Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = records.filter { (query.includeRetracted || !$0.isRetracted) && keep($0) }
            .sorted { ($0.current.date, $0.entry.seq) > ($1.current.date, $1.entry.seq) }.map(\.id)
        let found = try all(query).map(\.id)
        #expect(!expected.isEmpty || query.includeRetracted, "the seed should exercise \(query)", sourceLocation: sourceLocation)
        #expect(found == expected, sourceLocation: sourceLocation)
    }

    @Test func theSeedIsIndexedWithEveryCurrentFact() throws {
        let hits = try all(ClaimQuery(includeRetracted: true))
        #expect(hits.count == state.claims.count && hits.count >= 50)
        for hit in hits {
            let r = try #require(state.claims[hit.id])
            #expect(hit.statement == r.current.statement && hit.claimant == r.current.claimant && hit.date == r.current.date)
            #expect(hit.status == r.status && hit.verdict == r.history.last?.payload.verdict && hit.seq == r.entry.seq)
            #expect(hit.reviewed == r.isReviewed && hit.corrected == r.isCorrected && hit.retracted == r.isRetracted)
            #expect(hit.snippet == nil)
        }
        #expect(hits.contains { $0.reviewed } && hits.contains { !$0.reviewed } && hits.contains { $0.verdict != nil })
    }

    @Test func statusFilter() throws {
        for status in ClaimStatus.allCases where records.contains(where: { $0.status == status && !$0.isRetracted }) {
            try check(ClaimQuery(status: status)) { $0.status == status }
        }
    }

    @Test func verdictFilterIgnoresCase() throws {
        let verdicts = Set(records.compactMap { $0.history.last?.payload.verdict })
        #expect(!verdicts.isEmpty)
        for v in verdicts { try check(ClaimQuery(verdict: v.uppercased())) { $0.history.last?.payload.verdict == v } }
    }

    @Test func claimantFilter() throws {
        let claimant = try #require(records.first { !$0.isRetracted }?.current.claimant)
        try check(ClaimQuery(claimant: claimant)) { $0.current.claimant.lowercased() == claimant.lowercased() }
        #expect(try index.search(ClaimQuery(claimant: claimant + "x")).total == 0)
    }

    @Test func partyFilter() throws {
        let party = try #require(records.lazy.flatMap(\.currentPositions).first?.payload.party.name)
        try check(ClaimQuery(party: party)) { $0.currentPositions.contains { $0.payload.party.name == party } }
        try check(ClaimQuery(party: party.lowercased())) { $0.currentPositions.contains { $0.payload.party.name == party } }
    }

    @Test func sourceFilterTakesAnIdOrAPrefixOfEightHexDigits() throws {
        let source = try #require(records.first?.current.quotes.first?.source.hex)
        let quoting: (ClaimRecord) -> Bool = { $0.current.quotes.contains { $0.source.hex == source } }
        try check(ClaimQuery(source: source), quoting)
        try check(ClaimQuery(source: String(source.prefix(8)).uppercased()), quoting)
        for bad in ["", String(source.prefix(7)), "zzzzzzzz", source + "0", "' OR 1=1 --"] {
            #expect(throws: LedgerError.self) { try index.search(ClaimQuery(source: bad)) }
        }
    }

    @Test func reviewedFilter() throws {
        try check(ClaimQuery(reviewed: true)) { $0.isReviewed }
        try check(ClaimQuery(reviewed: false)) { !$0.isReviewed }
    }

    @Test func dateRangeIsInclusive() throws {
        let dates = records.map(\.current.date).sorted()
        let from = dates[dates.count / 3], to = dates[2 * dates.count / 3]
        try check(ClaimQuery(from: from, to: to)) { $0.current.date >= from && $0.current.date <= to }
        try check(ClaimQuery(from: from)) { $0.current.date >= from }
        try check(ClaimQuery(to: to)) { $0.current.date <= to }
    }

    @Test func retractedClaimsOnlyWhenAsked() throws {
        try check(ClaimQuery(includeRetracted: true)) { _ in true }
        try check(ClaimQuery()) { _ in true }
    }

    @Test func filtersCombineWithAnd() throws {
        let r = try #require(records.first { $0.history.last?.payload.verdict != nil && !$0.isRetracted })
        let verdict = r.history.last!.payload.verdict!
        try check(ClaimQuery(status: r.status, verdict: verdict, claimant: r.current.claimant, reviewed: r.isReviewed)) {
            $0.status == r.status && $0.history.last?.payload.verdict == verdict && $0.current.claimant == r.current.claimant
                && $0.isReviewed == r.isReviewed
        }
        let other = ClaimStatus.allCases.first { $0 != r.status }!
        #expect(try index.search(ClaimQuery(status: other, verdict: verdict, claimant: r.current.claimant)).hits.allSatisfy { $0.status == other })
    }

    @Test func pagingCoversEveryClaimOnceAndRefusesBadPages() throws {
        let everything = try index.search(ClaimQuery(perPage: 200))
        var seen = [String]()
        for page in 1...everything.pageCount * 2 + 1 {
            let r = try index.search(ClaimQuery(page: page, perPage: 5))
            #expect(r.total == everything.total && r.pageCount == (everything.total + 4) / 5)
            #expect(r.hits.count == max(0, min(5, everything.total - (page - 1) * 5)))
            seen += r.hits.map(\.id)
        }
        #expect(seen == everything.hits.map(\.id))
        for (page, perPage) in [(0, 10), (-1, 10), (1, 0), (1, 201), (Int.max, 200)] {
            #expect(throws: LedgerError.self) { try index.search(ClaimQuery(page: page, perPage: perPage)) }
        }
    }

    @Test func facetsListTheFiltersValues() throws {
        let facets = try index.facets()
        #expect(Set(facets.claimants.map { $0.lowercased() }) == Set(records.map { $0.current.claimant.lowercased() }))
        #expect(Set(facets.parties) == Set(records.flatMap { $0.currentPositions.map(\.payload.party.name) }))
        #expect(Set(facets.verdicts) == Set(records.compactMap { $0.history.last?.payload.verdict }))
        #expect(!facets.parties.isEmpty)
    }
}
