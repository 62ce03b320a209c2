import ClaimLedgerCore
import ClaimLedgerSearch
import ClaimLedgerStorage
import Foundation
import Testing

/// Full-text search over the seed's French and English text: accents and case do not matter, the last
/// word is a prefix, snippets are plain-text parts, and no query string can reach SQLite as syntax.
@Suite struct SearchTextTests {
    let store: LedgerStore
    let state: LedgerState
    let index: SearchIndex

    init() throws {
        store = try SearchFixture.copy().store
        state = try store.fullState()
        index = try SearchIndex.open(ledgerDirectory: store.directory)
        try index.refresh(from: store, state: state)
    }

    static func fold(_ s: String) -> String { s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }

    /// Everything the index searches of a claim, folded.
    func searchable(_ id: String) -> String {
        guard let r = state.claims[id] else { return "" }
        let c = r.current
        let positions = r.currentPositions.map { p in
            ([p.payload.party.name, p.payload.stance.rawValue] + p.payload.quotes.map(\.text) + [p.payload.note ?? ""]).joined(separator: " ")
        }
        return Self.fold(([c.statement, c.claimant] + c.quotes.map(\.text) + positions + r.history.map(\.payload.rationale)).joined(separator: " "))
    }

    func ids(_ text: String, includeRetracted: Bool = true) throws -> [String] {
        let r = try index.search(ClaimQuery(text: text, includeRetracted: includeRetracted, perPage: 200))
        #expect(r.hits.count == r.total)
        return r.hits.map(\.id)
    }

    @Test func accentsAndCaseDoNotMatter() throws {
        for (accented, plain) in [("négociations", "negociations"), ("sécurité", "securite"), ("européens", "EUROPEENS")] {
            let found = try ids(accented + " ")
            #expect(!found.isEmpty, "\(accented)")
            #expect(Set(try ids(plain + " ")) == Set(found))
            #expect(Set(try ids(accented.uppercased() + " ")) == Set(found))
            for id in found { #expect(searchable(id).contains(Self.fold(plain))) }
            // Every claim quoting the word is found.
            let quoting = state.claims.values.filter { $0.current.quotes.contains { $0.text.contains(accented) } }.map(\.id)
            #expect(Set(quoting).isSubset(of: Set(found)))
        }
    }

    @Test func theLastWordIsAPrefixUnlessFollowedByASpace() throws {
        let whole = Set(try ids("négociations "))
        let prefix = Set(try ids("négo"))
        #expect(whole.isSubset(of: prefix) && !whole.isEmpty)
        #expect(try ids("négo ").isEmpty)
    }

    @Test func wordsCombineWithAndAcrossFields() throws {
        let both = Set(try ids("Paris summit"))
        #expect(!both.isEmpty)
        #expect(try both.isSubset(of: Set(try ids("Paris "))) && both.isSubset(of: Set(try ids("summit"))))
        // A claimant and a word of a statement, from different fields of the same claim.
        let r = try #require(state.claims.values.first { $0.current.claimant == "AFP" && !$0.isRetracted })
        let word = String(try #require(r.current.statement.split(separator: " ").first { $0.count > 6 && $0.allSatisfy(\.isLetter) }))
        #expect(try ids("AFP \(word) ").contains(r.id), "AFP and \(word) should find \(r.id)")
    }

    @Test func textCombinesWithFilters() throws {
        let all = try index.search(ClaimQuery(text: "Ukraine", perPage: 200)).hits
        let reviewed = try index.search(ClaimQuery(text: "Ukraine", reviewed: true, perPage: 200)).hits
        #expect(!reviewed.isEmpty && reviewed.count < all.count)
        #expect(reviewed.allSatisfy(\.reviewed) && Set(reviewed.map(\.id)).isSubset(of: Set(all.map(\.id))))
    }

    @Test func snippetsArePlainTextPartsOfTheMatchedField() throws {
        let hits = try index.search(ClaimQuery(text: "securite", perPage: 200)).hits
        #expect(!hits.isEmpty)
        for hit in hits {
            let parts = try #require(hit.snippet)
            #expect(parts.contains { $0.match && Self.fold($0.text) == "securite" })
            let text = parts.filter { $0.text != "…" }.map(\.text).joined()
            #expect(searchable(hit.id).contains(Self.fold(text)), "\(text)")
        }
        // Rationales are searched too: a word only found there.
        let r = try #require(state.claims.values.first { !$0.history.isEmpty && !$0.isRetracted })
        #expect(try ids(r.history.last!.payload.rationale).contains(r.id))
    }

    static let hostile: [String] = [
        "\"", "\"\"", "\"unclosed", "a\"b", "NEAR(paris summit)", "NEAR(paris summit, 2)", "*", "**", "a*b", "*paris", "paris*",
        "(", ")", "((paris)", "AND", "OR", "NOT", "paris AND", "OR paris", "NOT NOT", "paris NOT summit", "statement:paris",
        "claimant:AFP", "{statement quotes}: paris", "^paris", "-paris", "+paris", "paris^", "'; DROP TABLE claims; --",
        "\\", "%", "_", "\u{0}", "paris\u{0}summit", "💥", "e\u{301}", "\u{202E}sirap", "\n\t", "",  "   ",
        String(repeating: "(a OR \"b ", count: 5000), String(repeating: "x", count: 100_000),
        String(repeating: "paris ", count: 10_000), "ε ευρωπαϊκή Україна",
    ]

    @Test func hostileQueryStringsNeverReachSQLiteAsSyntax() throws {
        for text in Self.hostile {
            let r = try index.search(ClaimQuery(text: text, includeRetracted: true))
            #expect(r.hits.count <= r.total)
            _ = try index.search(ClaimQuery(text: text, verdict: text, claimant: text, party: text, reviewed: false))
        }
        // The index is intact afterwards.
        #expect(try index.search(ClaimQuery(includeRetracted: true)).total == state.claims.count)
        #expect(try ids("paris").count > 0)
        // Operators typed by a user are words: "paris OR xyzzy" needs both words, so finds nothing.
        #expect(try ids("paris OR xyzzy").isEmpty)
        #expect(try ids("xyzzy*").isEmpty)
    }
}
