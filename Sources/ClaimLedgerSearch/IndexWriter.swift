import ClaimLedgerCore
import GRDB

/// Writes the index from `entries.jsonl`: all of it (`rebuild`) or the entries after what it describes
/// (`update`). Each is one transaction, so readers see the index before or after, never half of it.
struct IndexWriter {
    let pool: DatabasePool
    let entriesPath: String

    /// Indexes the entries `meta.size..<target.size` and the claims they touch. False, with nothing
    /// changed, when the entries on disk do not continue the chain the index describes (rebuild then).
    func update(from meta: IndexSchema.Meta, to target: IndexSchema.Meta) throws -> Bool {
        try pool.write { db in
            var reader = try EntryFileReader(path: entriesPath, offset: meta.offset)
            var fold = ClaimFold()
            let store = ClaimRows(db)
            var prev = meta.head
            for seq in meta.size..<target.size {
                guard let (line, _) = try reader.nextLine(), let signed = try? SignedEntry.parse(line: line),
                      signed.entry.seq == seq, signed.entry.prev.hex == prev else { return false }
                prev = signed.hash.hex
                try fold.add(signed) { id in try store.load(id) }
            }
            guard prev == target.head else { return false }
            for (claim, stored) in ClaimFold.writeOrder(fold.changedWithStored) { try store.save(claim, replacing: stored) }
            try IndexSchema.writeMeta(IndexSchema.Meta(version: target.version, size: target.size, head: prev,
                                                       offset: reader.offset), db)
            return true
        }
    }

    /// Makes the index afresh from the first `target.size` entries, which must end at `target.head`.
    func rebuild(to target: IndexSchema.Meta) throws {
        var reader = try EntryFileReader(path: entriesPath, offset: 0)
        var fold = ClaimFold()
        var prev = SHA256Hex.zero
        for seq in 0..<target.size {
            guard let (line, offset) = try reader.nextLine() else {
                throw SearchError(.ledgerChanged, "entries.jsonl holds \(seq) entries, fewer than the \(target.size) verified: refresh from a freshly verified state")
            }
            let signed: SignedEntry
            do { signed = try SignedEntry.parse(line: line) } catch {
                throw SearchError(.ledgerUnreadable, "entries.jsonl at byte \(offset) (entry \(seq)): \(error); run `claimledger verify`")
            }
            guard signed.entry.seq == seq, signed.entry.prev.hex == prev else {
                throw SearchError(.ledgerChanged, "entry \(seq) of entries.jsonl does not follow the one before: run `claimledger verify`")
            }
            prev = signed.hash.hex
            try fold.add(signed) { _ in nil }
        }
        guard prev == target.head || target.size == 0 else {
            throw SearchError(.ledgerChanged, "entries.jsonl does not end at the verified head \(target.head.prefix(16)) after \(target.size) entries: refresh from a freshly verified state")
        }
        let end = reader.offset
        try pool.write { db in
            try db.execute(sql: IndexSchema.dropAll)
            try db.execute(sql: IndexSchema.create)
            let store = ClaimRows(db)
            for claim in fold.changed { try store.insert(claim) }
            try db.execute(sql: IndexSchema.createIndexes)
            try IndexSchema.writeMeta(IndexSchema.Meta(version: target.version, size: target.size, head: prev, offset: end), db)
        }
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "INSERT INTO claims_fts (claims_fts) VALUES ('optimize')")
            try db.execute(sql: "ANALYZE")
            _ = try? db.checkpoint(.passive)
        }
    }
}

enum SHA256Hex {
    static let zero = String(repeating: "0", count: 64)
}

/// Claims folded from entries in ledger order; `load` gives a claim recorded before the first entry folded.
struct ClaimFold {
    private var claims: [String: IndexedClaim] = [:]
    private var order: [String] = []
    /// The claims loaded from the index, as they were stored before this fold changed them.
    private var stored: [String: IndexedClaim] = [:]

    mutating func add(_ signed: SignedEntry, load: (String) throws -> IndexedClaim?) throws {
        guard let id = IndexedClaim.claimID(touchedBy: signed.entry.payload) else { return }
        if case .claim(let c) = signed.entry.payload {
            if claims[id] == nil { order.append(id) }
            claims[id] = IndexedClaim(claim: c, seq: signed.entry.seq)
            return
        }
        if claims[id] == nil {
            guard let earlier = try load(id) else { return }  // a verified ledger names only recorded claims
            claims[id] = earlier
            stored[id] = earlier
            order.append(id)
        }
        claims[id]!.apply(signed)
    }

    /// Every claim recorded or touched, in order of first touch.
    var changed: [IndexedClaim] { order.compactMap { claims[$0] } }

    /// Every claim recorded or touched, in order of first touch, with the row the index held for it (nil
    /// for a claim recorded by the folded entries).
    var changedWithStored: [(claim: IndexedClaim, stored: IndexedClaim?)] {
        order.compactMap { id in claims[id].map { ($0, stored[id]) } }
    }

    /// `changed` (a fold's `changedWithStored`) in the order an update writes them: the claims the index
    /// held, by ascending rowid, then the new ones in order of first touch (so that they get rowids in
    /// that order, as a rebuild gives them). FTS5 writes its pending terms out as a new segment, and
    /// merges, whenever a row's rowid is below the one written before it; in rowid order a transaction
    /// does so once, at its commit (unless its pending terms outgrow FTS5's limit). For a status on each of 600 claims of the
    /// 100,000-claim bench index, SQLite's share costs about a quarter less so, the whole pass about 15%
    /// less (PERFORMANCE.md, "Eighth pass").
    static func writeOrder(_ changed: [(claim: IndexedClaim, stored: IndexedClaim?)]) -> [(claim: IndexedClaim, stored: IndexedClaim?)] {
        let held = changed.compactMap { c in c.stored.map { (rowid: $0.rowid, claim: c) } }.sorted { $0.rowid < $1.rowid }
        return held.map(\.claim) + changed.filter { $0.stored == nil }
    }
}
