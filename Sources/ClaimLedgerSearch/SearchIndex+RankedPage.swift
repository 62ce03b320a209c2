import GRDB

extension SearchIndex {
    /// The page `[offset, offset + limit)` of a text query whose only other condition is "not retracted",
    /// in `SearchPlan.rankedOrder`, without looking every match up in `claims` (for a query matching 3,000
    /// claims that lookup was most of SQLite's time):
    ///
    /// 1. the best scores, from the full-text table alone: SQLite keeps the `wanted + tieMargin` best as it
    ///    scores every match (`ORDER BY ... LIMIT`), so that a query matching 30,000 claims hands over 84 rows,
    ///    not 30,000 to be decoded and sorted here. When the last of them ties with the `wanted`-th, the run
    ///    of ties may go on beyond them, and every match's score is read instead;
    /// 2. the candidates: the `wanted = offset + limit + retractedMatches` best scores, and every match tied
    ///    with the last of them. Any other match scores worse than all candidates, and at most
    ///    `retractedMatches` candidates are retracted, so the page is among them;
    /// 3. the candidates' date, ledger position and retraction from `claims`; the page is sorted there
    ///    (score, then newest date, then newest entry) and only its rows are read in full.
    ///
    /// The rows have the page query's columns, in its order (`hit` reads them by position).
    static func rankedPage(_ text: FullTextQuery, offset: Int, limit: Int, retractedMatches: Int, tieMargin: Int, _ db: Database) throws -> [Row] {
        let wanted = offset + limit + max(0, retractedMatches)
        guard wanted > 0 else { return [] }
        var scored = try scores(text, best: wanted + tieMargin, db)
        if scored.count == wanted + tieMargin, scored[wanted - 1].score == scored[scored.count - 1].score {
            scored = try scores(text, best: nil, db)
        }
        var end = min(scored.count, wanted)
        guard end > 0 else { return [] }
        let threshold = scored[end - 1].score
        while end < scored.count, scored[end].score == threshold { end += 1 }
        let candidates = scored[..<end]

        var facts = [Int64: (date: String, seq: Int64)]()
        facts.reserveCapacity(candidates.count)
        let ids = Self.padded(candidates.map(\.rowid))
        for row in try Row.fetchAll(statement("SELECT rowid, date, seq FROM claims WHERE retracted = 0 AND rowid IN (\(placeholders(ids.count)))",
                                              db, cached: ids.count <= cachedListLength), arguments: StatementArguments(ids)) {
            facts[row[0]] = (row[1], row[2])
        }
        let ordered = candidates.compactMap { c in facts[c.rowid].map { (rowid: c.rowid, score: c.score, date: $0.date, seq: $0.seq) } }
            .sorted { a, b in
                if a.score != b.score { return a.score < b.score }
                if a.date != b.date { return a.date > b.date }
                return a.seq > b.seq
            }
        let page = ordered.dropFirst(offset).prefix(limit).map(\.rowid)
        guard !page.isEmpty else { return [] }
        let pageIDs = Self.padded(page)
        let rows = try Row.fetchAll(statement("""
            SELECT c.id, c.statement, c.claimant, c.date, c.status, c.verdict, c.reviewed, c.corrected, c.retracted, c.seq,
                   f.quotes, f.positions, f.rationales, c.rowid
            FROM claims c JOIN claims_fts f ON f.rowid = c.rowid WHERE c.rowid IN (\(placeholders(pageIDs.count)))
            """, db, cached: pageIDs.count <= cachedListLength), arguments: StatementArguments(pageIDs))
        // Each row put in its place: its rowid decoded once (a sort decoded it in every comparison, 6% of
        // a distinct search's CPU).
        let position = Dictionary(uniqueKeysWithValues: page.enumerated().map { ($1, $0) })
        var placed = [Row?](repeating: nil, count: page.count)
        for row in rows {
            if let p = position[row[13] as Int64] { placed[p] = row }
        }
        return placed.compactMap { $0 }
    }

    /// Every match's rowid and score, best (lowest) first; only the `best` first ones when it is given.
    private static func scores(_ text: FullTextQuery, best: Int?, _ db: Database) throws -> [(rowid: Int64, score: Double)] {
        var scored = [(rowid: Int64, score: Double)]()
        let sql = "SELECT rowid, \(SearchPlan.bm25) AS score FROM claims_fts WHERE claims_fts MATCH ?"
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: best == nil ? sql : sql + " ORDER BY score LIMIT ?"),
                                         arguments: best.map { [text.matchExpression, $0] } ?? [text.matchExpression])
        while let row = try cursor.next() { scored.append((row[0], row[1])) }
        if best == nil { scored.sort { $0.score < $1.score } }
        return scored
    }

    /// Lists of ids up to this length are queried through statements kept prepared, so that a search does
    /// not compile the page's join again; longer lists, rare (ties past the margin), are compiled each time.
    /// Lists are padded to a power of two (`padded`), so that each query has at most 9 prepared shapes
    /// whatever pages and page sizes are asked for.
    static let cachedListLength = 256

    /// `ids` with its last id repeated up to the next power of two (an `IN` list is a set: the rows are the
    /// same); a list longer than `cachedListLength`, whose statement is not kept, as it is.
    static func padded(_ ids: [Int64]) -> [Int64] {
        guard let last = ids.last, ids.count <= cachedListLength else { return ids }
        var length = 1
        while length < ids.count { length *= 2 }
        return ids + Array(repeating: last, count: length - ids.count)
    }

    private static func statement(_ sql: String, _ db: Database, cached: Bool) throws -> Statement {
        cached ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
    }

    private static func placeholders(_ count: Int) -> String {
        String(repeating: "?,", count: max(0, count - 1)) + (count > 0 ? "?" : "")
    }
}
