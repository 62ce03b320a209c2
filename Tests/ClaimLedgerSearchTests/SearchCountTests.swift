import ClaimLedgerCore
@testable import ClaimLedgerSearch
import ClaimLedgerStorage
import Foundation
import Testing

/// The counts of text queries (the full-text count less the retracted claims that match, when no other
/// filter applies) and the snippets' word matching (bytes for ASCII words, folding for the others) give
/// what the slower, plainer ways give.
@Suite struct SearchCountTests {
    let store: LedgerStore
    let state: LedgerState
    let index: SearchIndex

    /// The seed with four of its claims retracted, so that text queries have retracted matches to leave out.
    init() throws {
        let (copy, fixture) = try SearchFixture.copy()
        let seed = try copy.fullState()
        let retract = seed.claimOrder.enumerated().filter { $0.offset % 13 == 2 }.map(\.element)
        #expect(retract.count >= 4)
        (_, state) = try copy.append(retract.map { .payload(.amend(AmendPayload(claim: $0, action: .retract, reason: "Test retraction."))) },
                                     key: fixture.desk, time: Timestamp(secondsSinceEpoch: 1_800_000_000))
        store = copy
        index = try SearchIndex.open(ledgerDirectory: store.directory)
        try index.refresh(from: store, state: state)
    }

    /// Queries of one and two characters (the prefix indexes), words, and words with a prefix.
    static let queries = ["n", "s", "l", "2", "né", "co", "de", "la", "les", "sommet", "négo", "the", "summit", "coalition s", "de la", "x"]

    @Test(arguments: queries)
    func textCountsLeaveOutRetractedClaims(_ text: String) throws {
        let all = try index.search(ClaimQuery(text: text, includeRetracted: true, perPage: 200))
        let shown = try index.search(ClaimQuery(text: text, perPage: 200))
        #expect(all.hits.count == all.total && shown.hits.count == shown.total)
        #expect(shown.total == all.hits.filter { !$0.retracted }.count)
        #expect(Set(shown.hits.map(\.id)) == Set(all.hits.filter { !$0.retracted }.map(\.id)))
        // A filter besides the text takes the join; its count agrees with its hits too.
        for status in ClaimStatus.allCases {
            let filtered = try index.search(ClaimQuery(text: text, status: status, perPage: 200))
            #expect(filtered.total == filtered.hits.count)
            #expect(filtered.total == shown.hits.filter { $0.status == status }.count)
        }
    }

    /// The ranked page from the full-text table first (candidates, then their facts) equals the page of the
    /// one SQL query over the join, page after page, ties and retracted matches included; with no scores
    /// read beyond the candidates (a tie at the cut then reads every score), one, and the default margin.
    @Test(arguments: queries)
    func rankedPagesEqualTheJoinsPages(_ text: String) throws {
        for perPage in [1, 2, 3, 7, 50] {
            let first = try index.search(ClaimQuery(text: text, perPage: perPage), rankingInFullTextTable: false)
            for page in 1...(first.total / perPage + 2) {
                let q = ClaimQuery(text: text, page: page, perPage: perPage)
                let joined = try index.search(q, rankingInFullTextTable: false)
                for margin in [0, 1, SearchPlan.tieMargin] {
                    let ranked = try index.search(q, rankingInFullTextTable: true, tieMargin: margin)
                    #expect(ranked.total == joined.total)
                    #expect(ranked.hits.map(\.id) == joined.hits.map(\.id), "\(text) page \(page) of \(perPage), margin \(margin)")
                    #expect(ranked.hits.map(\.snippet) == joined.hits.map(\.snippet))
                }
            }
        }
    }

    @Test func someQueryMatchesARetractedClaim() throws {
        let retracted = try Self.queries.map { try index.search(ClaimQuery(text: $0, includeRetracted: true, perPage: 200)).hits.filter(\.retracted).count }
        #expect(retracted.contains { $0 > 0 }, "the test would not exercise the subtraction")
    }

    /// `Snippets.matches` against folding every word, on random words of ASCII letters, digits and
    /// letters that fold (accents, ligatures, other scripts), with exact and prefix terms.
    @Test func snippetWordMatchingAgreesWithFolding() throws {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("aAbBeEiIzZ09éÉèçÇœŒßıİДдΣσς")
        func word(_ n: Int) -> String { String((0..<n).map { _ in alphabet.randomElement(using: &rng)! }) }
        func fold(_ s: String) -> String { s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
        var checked = 0, matched = 0
        for _ in 0..<20_000 {
            let terms = (0..<Int.random(in: 1...3, using: &rng)).map { _ in fold(word(Int.random(in: 1...3, using: &rng))) }
            let candidate = word(Int.random(in: 1...4, using: &rng))
            // Half the time the word is built from a term, so that matches are common.
            let w = Bool.random(using: &rng) ? (terms.last! + word(Int.random(in: 0...1, using: &rng))).uppercased() : candidate
            for prefixLast in [false, true] {
                let expected = terms.enumerated().contains { k, t in
                    fold(w) == t || (k == terms.count - 1 && prefixLast && fold(w).hasPrefix(t))
                }
                let got = Snippets.matches(Substring(w), terms: terms, termBytes: terms.map { Array($0.utf8) }, prefixLast: prefixLast)
                #expect(got == expected, "\(w) against \(terms), prefix \(prefixLast)")
                checked += 1
                if got { matched += 1 }
            }
        }
        #expect(checked == 40_000 && matched > 1_000)
    }

    /// The ranked page's id lists are padded to a power of two (at most 9 prepared statement shapes per
    /// query) with ids already in them: the same set of rows.
    @Test func idListsArePaddedToAPowerOfTwoWithTheirOwnIds() {
        #expect(SearchIndex.padded([]) == [])
        #expect(SearchIndex.padded([7]) == [7])
        #expect(SearchIndex.padded([1, 2, 3]) == [1, 2, 3, 3])
        let long = (0..<Int64(SearchIndex.cachedListLength + 1)).map { $0 }
        #expect(SearchIndex.padded(long) == long)  // not kept prepared: nothing to gain from padding
        for n in [2, 5, 50, 84, 128, 129, 256] {
            let ids = (0..<Int64(n)).map { $0 * 3 }
            let padded = SearchIndex.padded(ids)
            #expect(padded.count == 1 << (Int.bitWidth - (n - 1).leadingZeroBitCount), "\(n)")
            #expect(Array(padded.prefix(n)) == ids && Set(padded) == Set(ids), "\(n)")
        }
    }
}
