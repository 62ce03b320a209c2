import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import GRDB

/// The claims list's search index: a derived SQLite database at `<ledger>/index/search.sqlite` (FTS5 over
/// statements, quotes, claimants, positions and rationales; indexed columns for the filters), brought up
/// to a verified `LedgerState` by `refresh`. It is disposable: missing, unreadable, of another schema or
/// describing other entries, it is rebuilt from `entries.jsonl`. The ledger stays the only source of truth:
/// nothing here is used to verify anything.
///
/// Many readers at once (a `DatabasePool` in WAL mode: searches never wait for a refresh, and see the index
/// as of the last committed refresh); one refresher at a time.
public final class SearchIndex: Sendable {
    public let path: String
    private let pool: PoolHolder
    private let refreshing = NSLock()
    let totals = VersionedCache<Int>()
    let facetsCache = VersionedCache<SearchFacets>()

    private init(path: String, pool: DatabasePool) {
        self.path = path
        self.pool = PoolHolder(pool)
    }

    public static func path(forLedger ledgerDirectory: String) -> String { ledgerDirectory + "/index/search.sqlite" }

    /// Opens the index of the ledger in `ledgerDirectory`, creating `index/` and the file when missing and
    /// starting afresh when the file is not a readable index. Call `refresh` before searching.
    public static func open(ledgerDirectory: String) throws -> SearchIndex {
        let dir = ledgerDirectory + "/index"
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false) } catch {
                throw SearchError(.indexUnavailable, "cannot create \(dir) for the search index: \(error.localizedDescription); check that the ledger directory is writable")
            }
        }
        let path = self.path(forLedger: ledgerDirectory)
        return SearchIndex(path: path, pool: try openPool(path))
    }

    /// A pool on `path`; a file that is not a readable SQLite database is removed and made afresh.
    private static func openPool(_ path: String) throws -> DatabasePool {
        if let pool = try? DatabasePool(path: path, configuration: configuration()) {
            // quick_check reads every page: a damaged file is found here, not by a search.
            if (try? pool.read({ db in try String.fetchOne(db, sql: "PRAGMA quick_check(1)") })) == "ok" { return pool }
            try? pool.close()
        }
        removeFiles(path)
        do { return try DatabasePool(path: path, configuration: configuration()) } catch {
            throw SearchError(.indexUnavailable, "cannot open the search index \(path): \(error); check the disk and permissions of the ledger's index/ directory")
        }
    }

    private static func removeFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private static func configuration() -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.maximumReaderCount = 8
        config.prepareDatabase { db in
            // Derived data: losing the last refresh to a power cut only means refreshing again.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A rebuild writes about 100 MiB per 100,000 claims: a larger page cache spares re-reading.
            try db.execute(sql: "PRAGMA cache_size = -32768")
        }
        return config
    }

    /// Reads from the index. SQLite finding the file damaged is reported as `indexUnavailable`, and the
    /// next refresh makes the file afresh.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.value.read(body) } catch let error as DatabaseError
            where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
            pool.isDamaged = true
            throw SearchError(.indexUnavailable, "the search index \(path) is damaged (\(error.message ?? "corrupt")); it is rebuilt at the next refresh")
        }
    }

    /// The pool itself (tests and benchmarks).
    var database: DatabasePool { pool.value }

    /// Brings the index up to `state`, a verified state of the ledger in `store`: nothing to do when it
    /// already describes it; when the ledger only grew, the claims the new entries touch are indexed again
    /// in one transaction; otherwise (or when the index is unreadable or of another schema) it is rebuilt,
    /// also in one transaction, while searches go on seeing the previous index.
    @discardableResult
    public func refresh(from store: LedgerStore, state: LedgerState) throws -> RefreshOutcome {
        refreshing.lock()
        defer { refreshing.unlock() }
        let target = IndexSchema.Meta(version: IndexSchema.version, size: state.size, head: state.head.hex, offset: 0)
        let meta: IndexSchema.Meta?
        do {
            if pool.isDamaged { throw SearchError(.indexUnavailable, "damaged") }
            meta = try pool.value.read(IndexSchema.readMeta)
        } catch {
            try pool.replace { () throws -> DatabasePool in try Self.openPool(path) }
            meta = nil
        }
        if let meta, meta.version == target.version {
            if meta.size == target.size && meta.head == target.head { return .upToDate }
            if meta.size > 0 && meta.size < target.size {
                if try IndexWriter(pool: pool.value, entriesPath: store.entriesPath).update(from: meta, to: target) {
                    return .updated(entries: target.size - meta.size)
                }
            }
        }
        try IndexWriter(pool: pool.value, entriesPath: store.entriesPath).rebuild(to: target)
        return .rebuilt
    }

    /// What `refresh` did.
    public enum RefreshOutcome: Sendable, Equatable {
        case upToDate
        /// The index described a prefix of the ledger: this many new entries were indexed.
        case updated(entries: Int)
        /// The index was missing, unreadable, of another schema or described other entries: made afresh.
        case rebuilt
    }

    /// What the index describes now: the number of entries and the head hash (hex), nil before the first
    /// refresh.
    public func indexedSize() throws -> (size: Int, head: String)? {
        try pool.value.read(IndexSchema.readMeta).map { ($0.size, $0.head) }
    }
}

/// The current pool, replaced when the file had to be made afresh.
private final class PoolHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var pool: DatabasePool
    private var damaged = false

    init(_ pool: DatabasePool) { self.pool = pool }

    /// SQLite reported the file damaged: the next refresh replaces it.
    var isDamaged: Bool {
        get { lock.lock(); defer { lock.unlock() }; return damaged }
        set { lock.lock(); damaged = newValue; lock.unlock() }
    }

    var value: DatabasePool {
        lock.lock()
        defer { lock.unlock() }
        return pool
    }

    /// Closes the current pool (its files may be removed then) and opens another.
    func replace(_ open: () throws -> DatabasePool) throws {
        lock.lock()
        defer { lock.unlock() }
        try? pool.close()
        pool = try open()
        damaged = false
    }
}

extension SearchIndex {
    /// Every row of the claims (with its rowid), sources, parties and full-text tables, by claim id, each
    /// value spelled with its type, texts as their UTF-8 bytes in hex (`String ==` would equate canonically
    /// equivalent texts) (tests: an index updated entry by entry holds what a rebuild writes).
    func tableRows() throws -> [[String]] {
        try database.read { db in
            try [
                "SELECT rowid, id, seq, statement, claimant, date, kind, status, verdict, latest_status, reviewed, corrected, retracted FROM claims ORDER BY id",
                "SELECT c.id, s.source, s.ord FROM claim_sources s JOIN claims c ON c.rowid = s.claim ORDER BY c.id, s.ord",
                "SELECT c.id, p.ord, p.party, p.text FROM claim_parties p JOIN claims c ON c.rowid = p.claim ORDER BY c.id, p.ord",
                "SELECT c.id, f.statement, f.quotes, f.claimant, f.positions, f.rationales FROM claims_fts f JOIN claims c ON c.rowid = f.rowid ORDER BY c.id",
            ].flatMap { sql in
                try Row.fetchAll(db, sql: sql).map { row in
                    row.databaseValues.map { value -> String in
                        switch value.storage {
                        case .null: "null"
                        case .int64(let i): "int \(i)"
                        case .double(let d): "real \(d)"
                        case .string(let text): "text " + text.utf8.map { String($0, radix: 16) }.joined(separator: " ")
                        case .blob(let data): "blob " + data.map { String($0, radix: 16) }.joined(separator: " ")
                        }
                    }
                }
            }
        }
    }

    /// Records another schema version in the index's meta table, as an index written by another version of
    /// this module would hold (tests).
    func recordSchemaVersion(_ version: Int) throws {
        try database.write { db in try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'version'", arguments: [version]) }
    }
}

/// Values computed from one version of the index (its size and head), by key: result counts by query (paging
/// through a result, or loading the same list again, does not count it again) and the facets.
final class VersionedCache<Value>: @unchecked Sendable {
    var capacity: Int { 256 }
    private let lock = NSLock()
    private var version = ""
    private var counts: [String: Value] = [:]

    func value(for key: String, version: String, count: () throws -> Value) rethrows -> Value {
        lock.lock()
        if self.version != version {
            self.version = version
            counts.removeAll()
        }
        if let known = counts[key] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let n = try count()
        lock.lock()
        if self.version == version {
            if counts.count >= capacity { counts.removeAll() }
            counts[key] = n
        }
        lock.unlock()
        return n
    }
}
