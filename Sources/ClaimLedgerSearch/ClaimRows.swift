import ClaimLedgerCore
import GRDB

/// Reads and writes `IndexedClaim`s in the index's tables (within the caller's transaction).
struct ClaimRows {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// The claim `id` as indexed, or nil.
    func load(_ id: String) throws -> IndexedClaim? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT c.rowid, c.id, c.seq, c.statement, c.claimant, c.date, c.kind, f.quotes, c.status, c.verdict,
                   c.latest_status, c.reviewed, c.corrected, c.retracted, f.rationales
            FROM claims c JOIN claims_fts f ON f.rowid = c.rowid WHERE c.id = ?
            """), arguments: [id]) else { return nil }
        // Columns by position, in the SELECT's order: a lookup by name compares the names one by one (about
        // half of this function's CPU when a status is indexed, `perf` of the server under 32 writers).
        let rowid: Int64 = row[0]
        guard let date = CalendarDate(row[5] as String) else { return nil }
        let sources = try String.fetchAll(db.cachedStatement(sql: "SELECT source FROM claim_sources WHERE claim = ? ORDER BY ord"),
                                          arguments: [rowid])
        var claim = IndexedClaim(rowid: rowid, id: row[1], seq: row[2], statement: row[3],
                                 claimant: row[4], date: date, quotes: row[7], sources: sources)
        claim.kind = (row[6] as String?).flatMap(ClaimKind.init(rawValue:))
        claim.status = ClaimStatus(rawValue: row[8]) ?? .unverified
        claim.verdict = row[9]
        claim.latestStatus = row[10]
        claim.reviewed = row[11]
        claim.corrected = row[12]
        claim.retracted = row[13]
        claim.rationales = row[14]
        let parties = try Row.fetchAll(db.cachedStatement(sql: "SELECT party, text FROM claim_parties WHERE claim = ? ORDER BY ord"),
                                       arguments: [rowid])
        claim.positions = parties.map { IndexedClaim.Position(party: $0[0], text: $0[1]) }
        return claim
    }

    /// Stores `claim`, folded from `stored`, the row the index held for it (as `load` read it in this
    /// transaction), or inserts it when new (`stored` nil): only the columns, sources, parties and full-text
    /// row that differ are written. A status changes a few columns and its rationales; rewriting the whole
    /// row would also rewrite the claims table's six indexes, its sources and its parties (SQLite updates
    /// every index on a column named in `SET`).
    func save(_ claim: IndexedClaim, replacing stored: IndexedClaim?) throws {
        guard let stored else { return try insert(claim) }
        var claim = claim
        claim.rowid = stored.rowid  // the row it was folded from
        let columns: [(name: String, changed: Bool, value: (any DatabaseValueConvertible)?)] = [
            ("id", !same(claim.id, stored.id), claim.id),
            ("seq", claim.seq != stored.seq, claim.seq),
            ("statement", !same(claim.statement, stored.statement), claim.statement),
            ("claimant", !same(claim.claimant, stored.claimant), claim.claimant),
            ("date", claim.date != stored.date, claim.date.description),
            ("kind", claim.kind != stored.kind, claim.kind?.rawValue),
            ("status", claim.status != stored.status, claim.status.rawValue),
            ("verdict", !same(claim.verdict, stored.verdict), claim.verdict),
            ("latest_status", !same(claim.latestStatus, stored.latestStatus), claim.latestStatus),
            ("reviewed", claim.reviewed != stored.reviewed, claim.reviewed),
            ("corrected", claim.corrected != stored.corrected, claim.corrected),
            ("retracted", claim.retracted != stored.retracted, claim.retracted),
        ].filter(\.changed)
        if !columns.isEmpty {
            let set = columns.map { "\($0.name) = ?" }.joined(separator: ", ")
            try db.cachedStatement(sql: "UPDATE claims SET \(set) WHERE rowid = ?")
                .execute(arguments: StatementArguments(columns.map(\.value) + [claim.rowid]))
        }
        if !claim.sources.elementsEqual(stored.sources, by: same) {
            try db.cachedStatement(sql: "DELETE FROM claim_sources WHERE claim = ?").execute(arguments: [claim.rowid])
            try insertSources(claim)
        }
        if !claim.positions.elementsEqual(stored.positions, by: { same($0.party, $1.party) && same($0.text, $1.text) }) {
            try db.cachedStatement(sql: "DELETE FROM claim_parties WHERE claim = ?").execute(arguments: [claim.rowid])
            try insertParties(claim)
        }
        if !same(claim.statement, stored.statement) || !same(claim.quotes, stored.quotes) || !same(claim.claimant, stored.claimant)
            || !same(claim.positionsText, stored.positionsText) || !same(claim.rationales, stored.rationales) {
            try db.cachedStatement(sql: "DELETE FROM claims_fts WHERE rowid = ?").execute(arguments: [claim.rowid])
            try insertFullText(claim)
        }
    }

    /// Byte-wise equality: Swift's `==` holds for canonically equivalent strings that the index stores as
    /// different bytes (an NFC and an NFD spelling), and the index must hold what a rebuild would.
    private func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }
    private func same(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case let (a?, b?): same(a, b)
        default: false
        }
    }

    /// Inserts `claim`, a claim the index does not hold yet, with its sources, parties and full-text row.
    func insert(_ claim: IndexedClaim) throws {
        try db.cachedStatement(sql: """
            INSERT INTO claims (id, seq, statement, claimant, date, kind, status, verdict, latest_status,
                                reviewed, corrected, retracted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
            """).execute(arguments: [
                claim.id, claim.seq, claim.statement, claim.claimant, claim.date.description, claim.kind?.rawValue,
                claim.status.rawValue, claim.verdict, claim.latestStatus, claim.reviewed, claim.corrected, claim.retracted,
            ])
        var inserted = claim
        inserted.rowid = db.lastInsertedRowID
        try insertSources(inserted)
        try insertParties(inserted)
        try insertFullText(inserted)
    }

    private func insertSources(_ claim: IndexedClaim) throws {
        let insertSource = try db.cachedStatement(sql: "INSERT OR IGNORE INTO claim_sources (source, claim, ord) VALUES (?, ?, ?)")
        for (i, source) in claim.sources.enumerated() { try insertSource.execute(arguments: [source, claim.rowid, i]) }
    }

    private func insertParties(_ claim: IndexedClaim) throws {
        let insertParty = try db.cachedStatement(sql: "INSERT INTO claim_parties (claim, ord, party, text) VALUES (?, ?, ?, ?)")
        for (i, p) in claim.positions.enumerated() { try insertParty.execute(arguments: [claim.rowid, i, p.party, p.text]) }
    }

    private func insertFullText(_ claim: IndexedClaim) throws {
        try db.cachedStatement(sql: """
            INSERT INTO claims_fts (rowid, statement, quotes, claimant, positions, rationales) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [claim.rowid, claim.statement, claim.quotes, claim.claimant, claim.positionsText, claim.rationales])
    }
}
