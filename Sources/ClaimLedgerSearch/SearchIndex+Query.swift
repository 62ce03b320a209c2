import Foundation
import ClaimLedgerCore
import GRDB

extension SearchIndex {
    /// One page of the claims matching every filter of `query`: by relevance (BM25, statements weighing
    /// most) for a text query, else newest first (claim date, then ledger order). Bad filter values throw
    /// `LedgerError(.invalidInput, …)`; any text is accepted.
    public func search(_ query: ClaimQuery) throws -> ClaimResults {
        let plan = try SearchPlan(query)
        return try read { db in
            let total = try Int.fetchOne(db, sql: "SELECT count(*) \(plan.from) WHERE \(plan.conditions)", arguments: plan.arguments) ?? 0
            let offset = (query.page - 1) * query.perPage
            guard offset < total else { return ClaimResults(hits: [], total: total, query: query) }
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.id, c.statement, c.claimant, c.date, c.status, c.verdict, c.reviewed, c.corrected, c.retracted,
                       c.seq\(plan.text == nil ? "" : ", c.quotes, claims_fts.positions, c.rationales")
                \(plan.from) WHERE \(plan.conditions) ORDER BY \(plan.order) LIMIT ? OFFSET ?
                """, arguments: plan.arguments + [query.perPage, offset])
            return ClaimResults(hits: rows.map { hit($0, text: plan.text) }, total: total, query: query)
        }
    }

    private func hit(_ row: Row, text: FullTextQuery?) -> ClaimHit {
        let statement: String = row["statement"], claimant: String = row["claimant"]
        var snippet: [SnippetPart]?
        if let text {
            let fields: [String] = [statement, row["quotes"], claimant, row["positions"], row["rationales"]]
            snippet = Snippets.parts(fields: fields, query: text) ?? [SnippetPart(text: statement, match: false)]
        }
        return ClaimHit(id: row["id"], statement: statement, claimant: claimant,
                        date: CalendarDate(row["date"] as String) ?? CalendarDate(year: 1970, month: 1, day: 1)!,
                        status: ClaimStatus(rawValue: row["status"]) ?? .unverified, verdict: row["verdict"],
                        reviewed: row["reviewed"], corrected: row["corrected"], retracted: row["retracted"],
                        seq: row["seq"], snippet: snippet)
    }

    /// The values of the claimant, party and verdict filters, from the index as it is.
    public func facets() throws -> SearchFacets {
        try read { db in
            func values(_ sql: String) throws -> [String] {
                try String.fetchAll(db, sql: sql, arguments: [SearchFacets.limit])
                    .sorted { $0.compare($1, options: [.caseInsensitive, .diacriticInsensitive]) == .orderedAscending }
            }
            guard try db.tableExists("claims") else { return SearchFacets(claimants: [], parties: [], verdicts: []) }
            return SearchFacets(
                claimants: try values("SELECT claimant FROM claims GROUP BY claimant COLLATE NOCASE ORDER BY count(*) DESC LIMIT ?"),
                parties: try values("SELECT party FROM claim_parties GROUP BY party COLLATE NOCASE ORDER BY count(*) DESC LIMIT ?"),
                verdicts: try values("""
                    SELECT verdict FROM claims WHERE verdict IS NOT NULL GROUP BY verdict COLLATE NOCASE ORDER BY count(*) DESC LIMIT ?
                    """))
        }
    }
}

/// A query checked and turned into SQL: the FROM clause, the conditions with their arguments (user values
/// are always bound, never spliced) and the order.
struct SearchPlan {
    let text: FullTextQuery?
    let from: String
    let order: String
    private(set) var conditions = "1"
    private(set) var arguments = StatementArguments()

    static let maxPage = 1_000_000

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
            order = "bm25(claims_fts, 10.0, 4.0, 4.0, 2.0, 1.0), c.date DESC, c.seq DESC"
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
            add("c.rowid IN (SELECT claim FROM claim_sources WHERE source >= ? AND source < ?)", hex, hex + "g")
        }
        if let r = q.reviewed { add("c.reviewed = ?", r) }
        if let d = q.from { add("c.date >= ?", d.description) }
        if let d = q.to { add("c.date <= ?", d.description) }
        if !q.includeRetracted { add("c.retracted = 0") }
    }

    private mutating func add(_ condition: String, _ values: (any DatabaseValueConvertible)?...) {
        conditions += " AND " + condition
        arguments += StatementArguments(values)
    }
}
