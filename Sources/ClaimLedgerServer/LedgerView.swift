import ClaimLedgerSite
import SignedNote
import ClaimLedgerCore
import ClaimLedgerStorage
import Glibc
import LedgerCrypto
import Merkle
import SignedNote
import Synchronization

/// What a request reads: one consistent, verified state of the ledger. Immutable: a request keeps
/// the snapshot it started with even while the view moves on.
public struct ViewSnapshot: Sendable {
    /// Every claim, source and key with their records, replayed from verified entries only.
    public let state: LedgerState
    /// The stored Merkle hashes of `state.size` entries (an append-only store: a snapshot reads only
    /// the indexes of its own tree size).
    public let tree: ViewHashes
    /// Where the last verified entry's line ends in `entries.jsonl`.
    public let verifiedBytes: Int
    /// The latest stored checkpoint, verified against this state (nil when none is stored).
    public let checkpoint: CheckpointStatus?
    /// Why the bytes after `verifiedBytes` do not verify, if they do not (the view then serves the
    /// verified prefix and the audit page says so); or why the checkpoints do not.
    public let failure: String?
    public let failureCode: String?
    /// What verification reported without failing (FORMAT.md 8.6).
    public let warningCount: Int
    public let warnings: [LedgerWarning]
    /// Counts snapshots: changes whenever the state does.
    public let generation: Int
}


/// The server's in-memory view of the verified ledger (issue 12).
///
/// - Built at start with a full verification of `entries.jsonl` (every signature, rule, source and
///   quote; on all cores), keeping every claim's record in memory for the pages.
/// - Refreshed cheaply: `snapshot()` stats `entries.jsonl` (one syscall); when it grew, only the new
///   lines are verified, resuming from the verified state (`LedgerStore.verify(resume:)` checks first
///   that the last verified entry still ends where it did, so a rewritten or rolled-back file is caught).
///   So a `claimledger claim add` from a terminal is visible on the next request that finds the writers'
///   lock free (and no catch-up running, below).
/// - Entries that do not verify are never shown: the view keeps the last verified state and reports
///   the failure (audit page, /api/v1/verification).
/// - A request does not wait for another writer's lock: when the file grew or a checkpoint came while a
///   writer holds the writers' lock (a CLI append, an import's copy and `fsync`, the server's next group),
///   `snapshot()` serves the state it has, and the first request that finds the lock free (or the server
///   writer's next `refresh()`) verifies what was added. `refresh()`, which the server's writer calls after
///   its appends and which must answer with the bytes another writer added before them, waits for the lock
///   outside the view's lock: it starts a catch-up (`LedgerView+CatchUp`) and waits for that.
/// - Nor for a large append by another writer: beyond `inlineCatchUpBytes`, the new bytes are verified by a
///   catch-up outside the view's lock while requests serve the snapshot they have; the server's writer
///   waits for it.
///
/// THE WRITE SEAM: the server's writer (write side + group commit) appends through
/// `LedgerStore.appendGroup` (app-contract.md section 3) on its own `LedgerStore` (same directory, same
/// flock as the CLI), and once the entries are durable calls `view.refresh()` before answering, so that
/// the 303'd claim page shows them. The view never writes.
/// While the writer writes a batch (`writerAppending(at:)`: under the writers' lock, from a known offset),
/// a request's `snapshot()` that finds nothing offered, no new checkpoint, and the new bytes starting
/// exactly where that batch starts serves the state it has: the batch is not acknowledged yet, and its
/// offer brings it in without a second check of its signatures; verifying it now would wait for the
/// writer's lock (its `fsync`) under the view's lock, which every request takes. Bytes appended before
/// the batch, a new checkpoint or a file that shrank are not put off for it (only for another writer's
/// lock, a catch-up, or a few seconds after a catch-up failed); bytes a CLI appends in the moment between
/// the batch's unlock and its offer come in with it.
public final class LedgerView: Sendable {
    public let directory: String
    let inner: Mutex<Inner>
    private let observers: Mutex<[@Sendable (ViewSnapshot, LedgerStore) -> Void]>
    private let offered = Mutex<[SignedEntry]>([])
    /// Where the batch the server's writer is writing starts in `entries.jsonl`, or -1 (see the type).
    private let ownBatchStart = Atomic<Int>(-1)
    /// Whether each source read so far is valid UTF-8 (`sourceText`).
    private let utf8Sources = Mutex<[SHA256Digest: Bool]>([:])
    /// `entries.jsonl`, open for the pages' line reads (nil until a page needs it, or after the path
    /// named another file).
    private let lines = Mutex<ReadOnlyFile?>(nil)

    /// Bytes appended by other writers beyond which a request does not verify them itself, under the view's
    /// lock, but starts a catch-up that does so outside it (`LedgerView+CatchUp`).
    let inlineCatchUpBytes: Int
    let catchUp = CatchUp()

    struct Inner: ~Copyable {
        let store: LedgerStore
        var snapshot: ViewSnapshot
        /// The file size and checkpoint-directory change time last looked at.
        var seenBytes: Int
        var seenCheckpoints: Int64
        /// Whether `seenCheckpoints` was settled when read (`checkpointStamp`).
        var seenCheckpointsSettled: Bool
    }

    /// Opens the ledger and verifies it in full. Throws when there is no ledger or its very first
    /// entries do not verify; a ledger that verifies only up to some entry is served up to there.
    public init(directory: String, inlineCatchUpBytes: Int = LedgerView.defaultInlineCatchUpBytes) throws {
        self.directory = directory
        self.inlineCatchUpBytes = inlineCatchUpBytes
        let store = try LedgerStore.open(directory)
        let hashes = ViewHashes()
        let empty = ViewSnapshot(state: LedgerState(), tree: hashes, verifiedBytes: 0, checkpoint: nil, failure: nil, failureCode: nil,
                                 warningCount: 0, warnings: [], generation: 0)
        let bytes = Self.fileSize(store.entriesPath), (stamp, settled) = Self.checkpointStamp(directory)
        let snapshot = try Self.advance(store, from: empty)
        guard snapshot.state.size > 0 else {
            throw StoreError(.invalidLedger, "the ledger at \(directory) does not verify from its first entry: \(snapshot.failure ?? "no entries"); run `claimledger verify`")
        }
        inner = Mutex(Inner(store: store, snapshot: snapshot, seenBytes: bytes, seenCheckpoints: stamp, seenCheckpointsSettled: settled))
        observers = Mutex([])
    }

    /// The current verified state, after picking up whatever was appended since the last call, except what
    /// a request does not wait for (see the type): a batch the server's writer is appending, bytes under
    /// another writer's lock, a large append (a catch-up verifies it) and anything while a catch-up runs.
    public func snapshot() throws -> ViewSnapshot {
        try refresh(deferringOwnAppend: true)
    }

    /// Picks up appended entries and new checkpoints now (writers call it after their appends).
    ///
    /// Entries the server's own writer has appended, durably, and offered (`offer`)
    /// are taken as they are when they follow the view's state directly and `entries.jsonl` holds exactly
    /// their lines there: every rule is applied, but their signatures are not checked a second time, since
    /// this process made them over those very bytes (`EntryAppender`); `claimledger verify` checks them
    /// all. Anything else appended (by the CLI, meanwhile) is verified in full as usual.
    @discardableResult
    public func refresh() throws -> ViewSnapshot {
        try refresh(deferringOwnAppend: false)
    }

    private func refresh(deferringOwnAppend: Bool) throws -> ViewSnapshot {
        while true {
            switch try refreshStep(deferringOwnAppend: deferringOwnAppend) {
            case .done(let snapshot):
                return snapshot
            case .catchUp(let serving, let size):
                startCatchUp(size: size)
                if let serving { return serving }  // a request: the catch-up publishes when it is done
                try catchUp.waitUntilIdle()  // the server's writer: it answers with the state after its append
            case .catchingUp:
                try catchUp.waitUntilIdle()
            }
        }
    }

    private enum RefreshStep {
        case done(ViewSnapshot)
        /// Start a catch-up (the file has `size` bytes); a request serves this snapshot meanwhile, the
        /// writer (nil) waits for it.
        case catchUp(serving: ViewSnapshot?, size: Int)
        /// A catch-up is running and the writer waits for it.
        case catchingUp
    }

    private func refreshStep(deferringOwnAppend: Bool) throws -> RefreshStep {
        try inner.withLock { inner -> RefreshStep in
            // Sizes are taken before verifying: whatever is appended meanwhile changes them again.
            let (size, identity) = Self.fileSizeAndIdentity(inner.store.entriesPath), (stamp, settled) = Self.checkpointStamp(directory)
            lines.withLock { if let held = $0, held.identity != identity { $0 = nil } }
            guard size != inner.seenBytes || stamp != inner.seenCheckpoints else { return .done(inner.snapshot) }
            if size == inner.snapshot.verifiedBytes, inner.seenBytes < size, stamp == inner.seenCheckpoints, inner.snapshot.failure == nil {
                // Verified already: a verification read more than the size noted before it. (A snapshot with a
                // failure is verified again: the bad bytes after it may have been cut off, by `recover`.)
                inner.seenBytes = size
                return .done(inner.snapshot)
            }
            if catchUp.isRunning { return deferringOwnAppend ? .done(inner.snapshot) : .catchingUp }
            let ownBatch = deferringOwnAppend ? ownBatchStart.load(ordering: .acquiring) : -1
            var next = inner.snapshot
            let size0 = next.state.size
            let pending = offered.withLock { offers in
                defer { offers.removeAll(keepingCapacity: true) }
                return offers.drop(while: { $0.entry.seq < size0 })
            }
            // Nothing here waits for another writer's lock (under the view's lock, which every request takes):
            // a request serves what the view has and a later one looks again; the server's writer has a
            // catch-up wait for it outside the view's lock (see the type).
            let checkpointsUnchanged = stamp == inner.seenCheckpoints && inner.seenCheckpointsSettled
            if let adopted = Self.adopt(Array(pending), store: inner.store, after: next, checkpointsUnchanged: checkpointsUnchanged) {
                // Bytes after the adopted entries (the writer's next batch, not yet offered, or the CLI's)
                // are left for the next refresh: verifying them now would wait on the writer's lock.
                next = adopted
                inner.seenBytes = next.verifiedBytes
                // Published before anything else can fail: the view's tree holds the adopted leaves now.
                _ = publish(next, in: &inner)
                if stamp != inner.seenCheckpoints {
                    // Looked at again next time without the lock, or behind a large append (a catch-up takes both).
                    guard size - next.verifiedBytes <= inlineCatchUpBytes,
                          let advanced = try Self.advanceUnlessWriting(inner.store, from: next) else { return .done(inner.snapshot) }
                    next = advanced
                }
            } else if pending.isEmpty, ownBatch >= 0, ownBatch == inner.seenBytes, size > inner.seenBytes, stamp == inner.seenCheckpoints {
                return .done(inner.snapshot)  // only the writer's batch is new: its offer brings it in (see the type)
            } else if size - next.verifiedBytes > inlineCatchUpBytes {
                // Offers taken above are verified in full by the catch-up, like any other appended bytes. A
                // request does not start again, for a few seconds, a catch-up that failed on this very file
                // size (the writer does).
                if deferringOwnAppend, catchUp.failedRecently(atSize: size) { return .done(inner.snapshot) }
                return .catchUp(serving: deferringOwnAppend ? inner.snapshot : nil, size: size)
            } else {
                guard let advanced = try Self.advanceUnlessWriting(inner.store, from: next) else {
                    return deferringOwnAppend ? .done(inner.snapshot) : .catchUp(serving: nil, size: size)
                }
                next = advanced
                inner.seenBytes = size
            }
            inner.seenCheckpoints = stamp
            inner.seenCheckpointsSettled = settled
            return .done(publish(next, in: &inner))
        }
    }

    /// Makes `next` the view's snapshot when it is a new one, and tells the observers.
    func publish(_ next: ViewSnapshot, in inner: inout Inner) -> ViewSnapshot {
        if next.generation != inner.snapshot.generation {
            inner.snapshot = next
            for observe in observers.withLock({ $0 }) { observe(next, inner.store) }
        }
        return inner.snapshot
    }

    /// Entries the server's writer has just appended, durably, in the order written: the next refresh
    /// takes them without checking their signatures again (see `refresh`).
    public func offer(_ entries: [SignedEntry]) {
        offered.withLock { $0 += entries }
    }

    /// The server's writer says where the batch it is about to write starts (under the writers' lock), or
    /// that its append is over (nil, after its offer).
    func writerAppending(at start: Int?) {
        ownBatchStart.store(start ?? -1, ordering: .releasing)
    }

    /// Calls `observe` with every new snapshot from now on (and once now), under the view's lock,
    /// with the view's store: for derived data such as the search index.
    public func onChange(_ observe: @escaping @Sendable (ViewSnapshot, LedgerStore) -> Void) {
        observers.withLock { $0.append(observe) }
        inner.withLock { inner in observe(inner.snapshot, inner.store) }
    }

    /// What the pages render from, for `snapshot`: its state, checkpoint and tree, and its entries'
    /// lines, read from `entries.jsonl` where the view found them (verified lines never change).
    public func pageLedger(_ snapshot: ViewSnapshot) -> PageLedger {
        let (size, end, tree, path) = (snapshot.state.size, snapshot.verifiedBytes, snapshot.tree, directory + "/entries.jsonl")
        let file = lines.withLock { held in
            if held == nil { held = try? ReadOnlyFile(path: path) }
            return held
        }
        return PageLedger(state: snapshot.state, checkpoint: snapshot.checkpoint, tree: tree.reader(size: size)) { seq in
            let (start, next) = try tree.lineBounds(seq, size: size, verifiedBytes: end)
            var line = try file?.read(at: start, count: next - start) ?? ReadOnlyFile.read(path, at: start, count: next - start)
            guard line.last == 0x0A else { throw StoreError(.invalidLedger, "entry \(seq) does not end where the view found it") }
            line.removeLast()
            return line
        }
    }

    /// Reads the archived bytes of a recorded source (by its digest, never by a name from a request).
    public func sourceBytes(_ digest: SHA256Digest) throws -> [UInt8]? {
        try inner.withLock { inner in try inner.store.archive.contents(of: digest) }
    }

    /// The archived bytes of a recorded source when they are valid UTF-8, else nil. The answer is kept for
    /// bytes that match their digest (those never change; a damaged file may be repaired by a later
    /// `store`), and worked out outside the view's lock, which every request takes.
    public func sourceText(_ digest: SHA256Digest) -> [UInt8]? {
        guard let bytes = try? sourceBytes(digest) else { return nil }
        if let known = utf8Sources.withLock({ $0[digest] }) { return known ? bytes : nil }
        let valid = Parts.isUTF8(bytes)
        if bytes.withUnsafeBytes({ SHA256.hash($0) }) == digest { utf8Sources.withLock { $0[digest] = valid } }
        return valid ? bytes : nil
    }
}
