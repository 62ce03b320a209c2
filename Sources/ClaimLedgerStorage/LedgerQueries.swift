import ClaimLedgerCore
import Glibc

/// A claim in a listing: what `claim list` shows of it, its claim entry's seq and its current status.
public struct ClaimListing: Sendable, Equatable {
    public let id: String
    public let statement: String
    public let claimant: String
    public let date: CalendarDate
    public let seq: Int
    public let status: ClaimStatus
    /// The statement, claimant or date shown are the corrected ones (FORMAT.md 5.9).
    public var corrected = false
    public var retracted = false

    public init(id: String, statement: String, claimant: String, date: CalendarDate, seq: Int, status: ClaimStatus) {
        self.id = id
        self.statement = statement
        self.claimant = claimant
        self.date = date
        self.seq = seq
        self.status = status
    }

    public init(payload: ClaimPayload, seq: Int, status: ClaimStatus) {
        self.init(id: payload.id, statement: payload.statement, claimant: payload.claimant, date: payload.date, seq: seq, status: status)
    }

    /// The claim's current text and state.
    public init(record: ClaimRecord) {
        self.init(payload: record.current, seq: record.entry.seq, status: record.status)
        corrected = record.isCorrected
        retracted = record.isRetracted
    }
}

/// Queries of a verified ledger (`claim list`, `claim show`, `key list`, `source list`): answered from
/// the writers' index with a few reads when it describes the ledger as it is, else from a full replay.
/// `state` holds the keys, sources, origin and tree; claims are read through `claim` and `claims`.
/// While an instance lives it holds a shared lock on `entries.jsonl`, so appends wait for it.
public final class LedgerQueries {
    public let state: LedgerState
    private let index: WriterIndex?
    private let file: PosixFile
    private let store: LedgerStore
    private var replayed: LedgerState?

    init(store: LedgerStore, file: PosixFile, index: WriterIndex?, replayed: LedgerState?) {
        self.store = store
        self.file = file
        self.index = index
        self.replayed = replayed
        state = index?.state ?? replayed!
    }

    /// The claim `id` with its whole status history, or nil when the ledger has none.
    public func claim(_ id: String) throws -> ClaimRecord? {
        if let index, replayed == nil {
            do { return try index.claimRecord(id, in: file) } catch let damage as IndexDamage { try fallBack(damage) }
        }
        return replayed?.claims[id]
    }

    /// The claims whose current status is `status` (every claim when nil), in ledger order; retracted
    /// claims only `includingRetracted`.
    public func claims(status: ClaimStatus? = nil, includingRetracted: Bool = false) throws -> [ClaimListing] {
        if let index, replayed == nil {
            do {
                return try index.listing(status: status, in: file).filter { includingRetracted || !$0.retracted }
            } catch let damage as IndexDamage { try fallBack(damage) }
        }
        return ClaimDocuments.claims(in: replayed!, status: status).filter { includingRetracted || !$0.isRetracted }.map(ClaimListing.init(record:))
    }

    /// The index contradicts the entries: it is dropped (the next writer rebuilds it) and the answer
    /// comes from a full replay instead.
    private func fallBack(_ damage: IndexDamage) throws {
        unlink(WriterIndex.headPath(store.directory))
        replayed = try store.verifiedState()
    }
}

extension LedgerStore {
    /// Queries of the ledger as it is now. The writers' index is used when it describes the ledger
    /// exactly; otherwise it is rebuilt under the writers' lock (a full verification), or, in a
    /// directory this process cannot write, the ledger is replayed in memory.
    public func queries() throws -> LedgerQueries {
        let file = try PosixFile(path: entriesPath, flags: O_RDONLY)
        // The shared lock is held as long as the queries live (it goes with `file`): no writer updates
        // the index in place while they read it.
        try file.lock(LOCK_SH)
        var size = try file.size()
        if let index = WriterIndex.open(self, entries: file, size: size, writable: false) {
            return LedgerQueries(store: self, file: file, index: index, replayed: nil)
        }
        file.unlock()
        if access(directory, W_OK) == 0 {
            try file.lock(LOCK_EX)
            size = try file.size()
            let (index, _) = try writerIndex(file, size: size)
            try file.lock(LOCK_SH)
            return LedgerQueries(store: self, file: file, index: index, replayed: nil)
        }
        return LedgerQueries(store: self, file: file, index: nil, replayed: try replay(file, size: try snapshotSize(file)))
    }
}
