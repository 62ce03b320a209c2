import GRDB

/// The index's tables. Bump `version` whenever they or what goes in them change: an index of another
/// version is rebuilt, never migrated (it is derived and disposable).
enum IndexSchema {
    static let version = 3

    // The full-text table keeps prefix indexes of one and two characters for the last term of a query
    // (search as you type, FullTextQuery): without them `"d"*` merges the lists of every term that starts
    // with d (78,255 claims of the 100,000-claim bench ledger for `"1"*`: 12 ms of SQLite to count, 20 ms
    // for a page). They add about a fifth to the index's size.
    // `claims_retracted` lists the few retracted claims, so that a text query's count can be the full-text
    // count less the retracted claims that match (SearchIndex+Query.swift) instead of a join per match.

    static let create = """
        CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value NOT NULL) WITHOUT ROWID;
        CREATE TABLE claims (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            seq INTEGER NOT NULL,
            statement TEXT NOT NULL,
            claimant TEXT NOT NULL,
            date TEXT NOT NULL,
            kind TEXT,
            status TEXT NOT NULL,
            verdict TEXT,
            latest_status TEXT,
            reviewed INTEGER NOT NULL,
            corrected INTEGER NOT NULL,
            retracted INTEGER NOT NULL
        );
        CREATE TABLE claim_sources (source TEXT NOT NULL, claim INTEGER NOT NULL, ord INTEGER NOT NULL,
                                    PRIMARY KEY (source, claim)) WITHOUT ROWID;
        CREATE INDEX claim_sources_by_claim ON claim_sources (claim, source);
        CREATE TABLE claim_parties (claim INTEGER NOT NULL, ord INTEGER NOT NULL, party TEXT NOT NULL,
                                    text TEXT NOT NULL, PRIMARY KEY (claim, ord)) WITHOUT ROWID;
        CREATE INDEX claim_parties_by_party ON claim_parties (party COLLATE NOCASE, claim);
        CREATE VIRTUAL TABLE claims_fts USING fts5(
            statement, quotes, claimant, positions, rationales,
            tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2'
        );
        """

    /// Indexes of the filter columns, made after a rebuild's bulk insert (faster than maintaining them).
    /// Each holds the list's order (date, seq) and the flags, so that a page and its count are read from
    /// the index alone. The claims table holds only the short facts; the long texts (quotes, positions,
    /// rationales) live in the full-text table only.
    static let createIndexes = """
        CREATE INDEX claims_by_date ON claims (date, seq, retracted, reviewed);
        CREATE INDEX claims_by_status ON claims (status, date, seq, retracted, reviewed);
        CREATE INDEX claims_by_verdict ON claims (verdict COLLATE NOCASE, date, seq, retracted, reviewed);
        CREATE INDEX claims_by_claimant ON claims (claimant COLLATE NOCASE, date, seq, retracted, reviewed);
        CREATE INDEX claims_by_reviewed ON claims (reviewed, date, seq, retracted);
        CREATE INDEX claims_retracted ON claims (retracted) WHERE retracted = 1;
        """

    static let dropAll = """
        DROP TABLE IF EXISTS claims_fts;
        DROP TABLE IF EXISTS claim_parties;
        DROP TABLE IF EXISTS claim_sources;
        DROP TABLE IF EXISTS claims;
        DROP TABLE IF EXISTS meta;
        """

    /// What the index reflects: the first `size` entries, the last of which hashes to `head`, ending at
    /// byte `offset` of entries.jsonl.
    struct Meta: Equatable {
        var version: Int
        var size: Int
        var head: String
        var offset: Int
    }

    static func readMeta(_ db: Database) throws -> Meta? {
        guard try db.tableExists("meta") else { return nil }
        var values = [String: DatabaseValue]()
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") { values[row["key"]] = row["value"] }
        guard let version = values["version"].flatMap(Int.fromDatabaseValue),
              let size = values["size"].flatMap(Int.fromDatabaseValue),
              let head = values["head"].flatMap(String.fromDatabaseValue),
              let offset = values["offset"].flatMap(Int.fromDatabaseValue) else { return nil }
        return Meta(version: version, size: size, head: head, offset: offset)
    }

    static func writeMeta(_ meta: Meta, _ db: Database) throws {
        let values: [(String, any DatabaseValueConvertible)] = [
            ("version", meta.version), ("size", meta.size), ("head", meta.head), ("offset", meta.offset),
        ]
        for (key, value) in values {
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }
}
