import ClaimLedgerCore
import GRDB

/// Reads and writes `IndexedClaim`s in the index's tables (within the caller's transaction).
struct ClaimRows {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// The claim `id` as indexed, or nil.
    func load(_ id: String) throws -> IndexedClaim? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT rowid, id, seq, statement, claimant, date, kind, quotes, status, verdict, latest_status,
                   reviewed, corrected, retracted, rationales FROM claims WHERE id = ?
            """), arguments: [id]) else { return nil }
        let rowid: Int64 = row["rowid"]
        guard let date = CalendarDate(row["date"] as String) else { return nil }
        let sources = try String.fetchAll(db.cachedStatement(sql: "SELECT source FROM claim_sources WHERE claim = ? ORDER BY ord"),
                                          arguments: [rowid])
        var claim = IndexedClaim(rowid: rowid, id: row["id"], seq: row["seq"], statement: row["statement"],
                                 claimant: row["claimant"], date: date, quotes: row["quotes"], sources: sources)
        claim.kind = (row["kind"] as String?).flatMap(ClaimKind.init(rawValue:))
        claim.status = ClaimStatus(rawValue: row["status"]) ?? .unverified
        claim.verdict = row["verdict"]
        claim.latestStatus = row["latest_status"]
        claim.reviewed = row["reviewed"]
        claim.corrected = row["corrected"]
        claim.retracted = row["retracted"]
        claim.rationales = row["rationales"]
        let parties = try Row.fetchAll(db.cachedStatement(sql: "SELECT party, text FROM claim_parties WHERE claim = ? ORDER BY ord"),
                                       arguments: [rowid])
        claim.positions = parties.map { IndexedClaim.Position(party: $0["party"], text: $0["text"]) }
        return claim
    }

    /// Stores `claim`: inserted when new (rowid 0), else replaced with its full-text row.
    func save(_ claim: IndexedClaim) throws {
        let values: StatementArguments = [
            claim.id, claim.seq, claim.statement, claim.claimant, claim.date.description, claim.kind?.rawValue, claim.quotes,
            claim.status.rawValue, claim.verdict, claim.latestStatus, claim.reviewed, claim.corrected, claim.retracted,
            claim.rationales,
        ]
        var rowid = claim.rowid
        if rowid == 0 {
            try db.cachedStatement(sql: """
                INSERT INTO claims (id, seq, statement, claimant, date, kind, quotes, status, verdict, latest_status,
                                    reviewed, corrected, retracted, rationales) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """).execute(arguments: values)
            rowid = db.lastInsertedRowID
        } else {
            try db.cachedStatement(sql: """
                UPDATE claims SET id = ?, seq = ?, statement = ?, claimant = ?, date = ?, kind = ?, quotes = ?, status = ?,
                       verdict = ?, latest_status = ?, reviewed = ?, corrected = ?, retracted = ?, rationales = ?
                WHERE rowid = ?
                """).execute(arguments: values + [rowid])
            try db.cachedStatement(sql: "DELETE FROM claim_sources WHERE claim = ?").execute(arguments: [rowid])
            try db.cachedStatement(sql: "DELETE FROM claim_parties WHERE claim = ?").execute(arguments: [rowid])
            try db.cachedStatement(sql: "DELETE FROM claims_fts WHERE rowid = ?").execute(arguments: [rowid])
        }
        let insertSource = try db.cachedStatement(sql: "INSERT OR IGNORE INTO claim_sources (source, claim, ord) VALUES (?, ?, ?)")
        for (i, source) in claim.sources.enumerated() { try insertSource.execute(arguments: [source, rowid, i]) }
        let insertParty = try db.cachedStatement(sql: "INSERT INTO claim_parties (claim, ord, party, text) VALUES (?, ?, ?, ?)")
        for (i, p) in claim.positions.enumerated() { try insertParty.execute(arguments: [rowid, i, p.party, p.text]) }
        try db.cachedStatement(sql: """
            INSERT INTO claims_fts (rowid, statement, quotes, claimant, positions, rationales) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [rowid, claim.statement, claim.quotes, claim.claimant, claim.positionsText, claim.rationales])
    }
}
