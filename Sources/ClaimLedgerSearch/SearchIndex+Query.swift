import Foundation
import ClaimLedgerCore
import GRDB

extension SearchIndex {
    /// One page of the claims matching every filter of `query`: by relevance (BM25, statements weighing
    /// most) for a text query, else newest first (claim date, then ledger order). Bad filter values throw
    /// `LedgerError(.invalidInput, …)`; any text is accepted.
    public func search(_ query: ClaimQuery) throws -> ClaimResults {
        try search(query, rankingInFullTextTable: true)
    }

    /// `search`, with the ranked page of a text query either from the full-text table first
    /// (`rankedPage`, reading `tieMargin` scores beyond those it needs) or from one SQL query over the join
    /// (tests compare the two).
    func search(_ query: ClaimQuery, rankingInFullTextTable: Bool, tieMargin: Int = SearchPlan.tieMargin) throws -> ClaimResults {
        var plan = try SearchPlan(query)
        return try read { db in
            guard try db.tableExists("claims") else {
                throw SearchError(.indexUnavailable, "the search index is empty: refresh it from the ledger before searching")
            }
            try plan.chooseSourceFilter(db)
            // Counting every match is most of a page's cost on a large ledger: counts are kept per query
            // (without its page) until the index describes other entries.
            let version = try Self.version(db)
            var textMatches: Int?
            if let text = plan.text {
                let matches = try totals.value(for: "fts\u{0}" + text.matchExpression, version: version) {
                    try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM claims_fts WHERE claims_fts MATCH ?"), arguments: [text.matchExpression]) ?? 0
                }
                // Ranking every match costs more than a page is worth when a term is in most claims:
                // beyond `rankedMatches`, matches come newest recorded first (FTS5's own rowid order).
                if matches > SearchPlan.rankedMatches { plan.order = "claims_fts.rowid DESC" }
                textMatches = matches
            }
            let key = plan.conditions + "\u{0}" + plan.arguments.description
            let total = try totals.value(for: key, version: version) {
                try Self.count(plan, textMatches: textMatches, db)
            }
            let offset = (query.page - 1) * query.perPage
            guard offset < total else { return ClaimResults(hits: [], total: total, query: query) }
            if rankingInFullTextTable, let text = plan.text, let textMatches, plan.onlyTextAndNotRetracted, plan.order == SearchPlan.rankedOrder {
                let rows = try Self.rankedPage(text, offset: offset, limit: query.perPage, retractedMatches: textMatches - total,
                                               tieMargin: tieMargin, db)
                return ClaimResults(hits: rows.map { hit($0, text: plan.text) }, total: total, query: query)
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.id, c.statement, c.claimant, c.date, c.status, c.verdict, c.reviewed, c.corrected, c.retracted,
                       c.seq\(plan.text == nil ? "" : ", claims_fts.quotes, claims_fts.positions, claims_fts.rationales")
                \(plan.from) WHERE \(plan.conditions) ORDER BY \(plan.order) LIMIT ? OFFSET ?
                """, arguments: plan.arguments + [query.perPage, offset])
            return ClaimResults(hits: rows.map { hit($0, text: plan.text) }, total: total, query: query)
        }
    }

    /// A hit from a row of the page query, read by position in its column order (`id, statement, claimant,
    /// date, status, verdict, reviewed, corrected, retracted, seq`, then for a text query `quotes, positions,
    /// rationales`): a lookup by name lowercases the name for every row (2% of a search's CPU).
    private func hit(_ row: Row, text: FullTextQuery?) -> ClaimHit {
        let statement: String = row[1], claimant: String = row[2]
        var snippet: [SnippetPart]?
        if let text {
            let fields: [String] = [statement, row[10], claimant, row[11], row[12]]
            snippet = Snippets.parts(fields: fields, query: text) ?? [SnippetPart(text: statement, match: false)]
        }
        return ClaimHit(id: row[0], statement: statement, claimant: claimant,
                        date: CalendarDate(row[3] as String) ?? CalendarDate(year: 1970, month: 1, day: 1)!,
                        status: ClaimStatus(rawValue: row[4]) ?? .unverified,
                        verdict: row.hasNull(atIndex: 5) ? nil : row[5] as String,  // not `String?`: GRDB's slower generic path
                        reviewed: row[6], corrected: row[7], retracted: row[8],
                        seq: row[9], snippet: snippet)
    }

    /// How many claims match `plan`. A text query filtered only by "not retracted" (the default list) is
    /// the full-text count less the retracted claims that match, looked up one by one, when they are few:
    /// a join would look up every match in `claims` (18 ms of SQLite for 78,000 matches).
    private static func count(_ plan: SearchPlan, textMatches: Int?, _ db: Database) throws -> Int {
        if let textMatches, let text = plan.text, plan.onlyTextAndNotRetracted {
            let retracted = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM claims WHERE retracted = 1 LIMIT ?)",
                                             arguments: [SearchPlan.subtractedRetracted + 1]) ?? 0
            if retracted <= SearchPlan.subtractedRetracted {
                let matching = retracted == 0 ? 0 : try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM claims c WHERE c.retracted = 1
                    AND EXISTS (SELECT 1 FROM claims_fts WHERE claims_fts MATCH ? AND claims_fts.rowid = c.rowid)
                    """, arguments: [text.matchExpression]) ?? 0
                return textMatches - matching
            }
        }
        return try Int.fetchOne(db, sql: "SELECT count(*) \(plan.from) WHERE \(plan.conditions)", arguments: plan.arguments) ?? 0
    }

    /// The values of the claimant, party and verdict filters, from the index as it is.
    public func facets() throws -> SearchFacets {
        try read { db in
            func values(_ sql: String) throws -> [String] {
                try String.fetchAll(db, sql: sql, arguments: [SearchFacets.limit])
                    .sorted { $0.compare($1, options: [.caseInsensitive, .diacriticInsensitive]) == .orderedAscending }
            }
            guard try db.tableExists("claims") else { return SearchFacets(claimants: [], parties: [], verdicts: []) }
            return try facetsCache.value(for: "", version: try Self.version(db)) { SearchFacets(
                claimants: try values("SELECT claimant FROM claims GROUP BY claimant COLLATE NOCASE ORDER BY count(*) DESC LIMIT ?"),
                parties: try values("SELECT party FROM claim_parties GROUP BY party COLLATE NOCASE ORDER BY count(*) DESC LIMIT ?"),
                verdicts: try values("""
                    SELECT verdict FROM claims WHERE verdict IS NOT NULL GROUP BY verdict COLLATE NOCASE ORDER BY count(*) DESC LIMIT ?
                    """)) }
        }
    }

    /// What identifies the index's contents: the size and head it describes.
    private static func version(_ db: Database) throws -> String {
        guard try db.tableExists("meta") else { return "" }
        return try String.fetchOne(db, sql: "SELECT group_concat(value, '/') FROM meta WHERE key IN ('size', 'head')") ?? ""
    }
}

/// A query checked and turned into SQL: the FROM clause, the conditions with their arguments (user values
/// are always bound, never spliced) and the order.
struct SearchPlan {
    let text: FullTextQuery?
    let from: String
    var order: String
    private(set) var conditions = "1"
    private(set) var arguments = StatementArguments()
    private var sourceRange: (String, String)?

    static let maxPage = 1_000_000
    /// BM25 with the statement weighing most, then quotes and claimant, positions, rationales.
    static let bm25 = "bm25(claims_fts, 10.0, 4.0, 4.0, 2.0, 1.0)"
    /// A text query's order: rank, then the newest claim date, then ledger order (newest first).
    static let rankedOrder = bm25 + ", c.date DESC, c.seq DESC"
    /// Text queries with more matches than this are ordered newest recorded first, not by rank.
    static let rankedMatches = 10_000
    /// Scores read beyond a ranked page's candidates, so that ties at its last place rarely need every score.
    static let tieMargin = 64
    /// Up to this many retracted claims, a text query's count subtracts those that match (`count`).
    static let subtractedRetracted = 1_000
    /// Whether the only conditions besides the text are "not retracted" (the default list).
    private(set) var onlyTextAndNotRetracted = false

    init(_ q: ClaimQuery) throws {
        guard (1...ClaimQuery.maxPerPage).contains(q.perPage) else {
            throw LedgerError(.invalidInput, "perPage must be 1 to \(ClaimQuery.maxPerPage), not \(q.perPage)")
        }
        guard (1...Self.maxPage).contains(q.page) else {
            throw LedgerError(.invalidInput, "page must be 1 to \(Self.maxPage), not \(q.page)")
        }
        text = q.text.flatMap(FullTextQuery.init)
        if let text {
            from = "FROM claims_fts JOIN claims c ON c.rowid = claims_fts.rowid"
            order = Self.rankedOrder
            add("claims_fts MATCH ?", text.matchExpression)
        } else {
            from = "FROM claims c"
            order = "c.date DESC, c.seq DESC"
        }
        if let s = q.status { add("c.status = ?", s.rawValue) }
        if let v = q.verdict { add("c.verdict = ? COLLATE NOCASE", v) }
        if let c = q.claimant { add("c.claimant = ? COLLATE NOCASE", c) }
        if let p = q.party { add("c.rowid IN (SELECT claim FROM claim_parties WHERE party = ? COLLATE NOCASE)", p) }
        if let source = q.source {
            let hex = source.lowercased()
            guard (8...64).contains(hex.utf8.count), hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
                throw LedgerError(.invalidInput, "source must be a source id or its first 8 or more hex digits, not \"\(source.prefix(80))\"")
            }
            sourceRange = (hex, hex + "g")
        }
        if let r = q.reviewed { add("c.reviewed = ?", r) }
        if let d = q.from { add("c.date >= ?", d.description) }
        if let d = q.to { add("c.date <= ?", d.description) }
        let filtered = q.status != nil || q.verdict != nil || q.claimant != nil || q.party != nil || q.source != nil
            || q.reviewed != nil || q.from != nil || q.to != nil
        if !q.includeRetracted { add("c.retracted = 0") }
        onlyTextAndNotRetracted = text != nil && !filtered && !q.includeRetracted
    }

    /// The source filter, in the form that suits how many claims quote the source: a few are looked up
    /// (then sorted); for many, the list is read in order and each claim checked.
    mutating func chooseSourceFilter(_ db: Database) throws {
        guard let (low, high) = sourceRange else { return }
        let quoting = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM claim_sources WHERE source >= ? AND source < ? LIMIT 2001)",
                                       arguments: [low, high]) ?? 0
        if quoting > 2000 {
            add("EXISTS (SELECT 1 FROM claim_sources s WHERE s.claim = c.rowid AND s.source >= ? AND s.source < ?)", low, high)
        } else {
            add("c.rowid IN (SELECT claim FROM claim_sources WHERE source >= ? AND source < ?)", low, high)
        }
        sourceRange = nil
    }

    private mutating func add(_ condition: String, _ values: (any DatabaseValueConvertible)?...) {
        conditions += " AND " + condition
        arguments += StatementArguments(values)
    }
}
