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
///   lock free.
/// - Entries that do not verify are never shown: the view keeps the last verified state and reports
///   the failure (audit page, /api/v1/verification).
/// - A request does not wait for another writer's lock: when the file grew or a checkpoint came while a
///   writer holds the writers' lock (a CLI append, an import's copy and `fsync`, the server's next group),
///   `snapshot()` serves the state it has, and the first request that finds the lock free (or the server
///   writer's next `refresh()`) verifies what was added. `refresh()`, which the server's writer calls after
///   its appends, does wait for the lock when it must verify bytes another writer added, and it waits under
///   the view's lock: requests then wait with it (not yet removed: it would take the lock outside the view's).
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
/// the batch, a new checkpoint or a file that shrank are never put off; bytes a CLI appends in the moment
/// between the batch's unlock and its offer come in with it.
public final class LedgerView: Sendable {
    public let directory: String
    private let inner: Mutex<Inner>
    private let observers: Mutex<[@Sendable (ViewSnapshot, LedgerStore) -> Void]>
    private let offered = Mutex<[SignedEntry]>([])
    /// Where the batch the server's writer is writing starts in `entries.jsonl`, or -1 (see the type).
    private let ownBatchStart = Atomic<Int>(-1)
    /// Whether each source read so far is valid UTF-8 (`sourceText`).
    private let utf8Sources = Mutex<[SHA256Digest: Bool]>([:])
    /// `entries.jsonl`, open for the pages' line reads (nil until a page needs it, or after the path
    /// named another file).
    private let lines = Mutex<EntryLinesFile?>(nil)

    private struct Inner: ~Copyable {
        let store: LedgerStore
        var snapshot: ViewSnapshot
        /// The file size and checkpoint-directory change time last looked at.
        var seenBytes: Int
        var seenCheckpoints: Int64
    }

    /// Opens the ledger and verifies it in full. Throws when there is no ledger or its very first
    /// entries do not verify; a ledger that verifies only up to some entry is served up to there.
    public init(directory: String) throws {
        self.directory = directory
        let store = try LedgerStore.open(directory)
        let hashes = ViewHashes()
        let empty = ViewSnapshot(state: LedgerState(), tree: hashes, verifiedBytes: 0, checkpoint: nil, failure: nil, failureCode: nil,
                                 warningCount: 0, warnings: [], generation: 0)
        let bytes = Self.fileSize(store.entriesPath), stamp = Self.checkpointStamp(directory)
        let snapshot = try Self.advance(store, from: empty)
        guard snapshot.state.size > 0 else {
            throw StoreError(.invalidLedger, "the ledger at \(directory) does not verify from its first entry: \(snapshot.failure ?? "no entries"); run `claimledger verify`")
        }
        inner = Mutex(Inner(store: store, snapshot: snapshot, seenBytes: bytes, seenCheckpoints: stamp))
        observers = Mutex([])
    }

    /// The current verified state, after picking up whatever was appended since the last call, except a
    /// batch the server's writer is appending (see the type).
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
        try inner.withLock { inner -> ViewSnapshot in
            // Sizes are taken before verifying: whatever is appended meanwhile changes them again.
            let (size, identity) = Self.fileSizeAndIdentity(inner.store.entriesPath), stamp = Self.checkpointStamp(directory)
            lines.withLock { if let held = $0, held.identity != identity { $0 = nil } }
            guard size != inner.seenBytes || stamp != inner.seenCheckpoints else { return inner.snapshot }
            let ownBatch = deferringOwnAppend ? ownBatchStart.load(ordering: .acquiring) : -1
            var next = inner.snapshot
            let size0 = next.state.size
            let pending = offered.withLock { offers in
                defer { offers.removeAll(keepingCapacity: true) }
                return offers.drop(while: { $0.entry.seq < size0 })
            }
            // A request does not wait for another writer's lock (under the view's lock, which every request
            // takes): it serves what the view has, and a later request looks again (see the type).
            let waiting = !deferringOwnAppend
            if let adopted = Self.adopt(Array(pending), store: inner.store, after: next) {
                // Bytes after the adopted entries (the writer's next batch, not yet offered, or the CLI's)
                // are left for the next refresh: verifying them now would wait on the writer's lock.
                next = adopted
                inner.seenBytes = next.verifiedBytes
                if stamp != inner.seenCheckpoints {
                    guard let advanced = try Self.advance(inner.store, from: next, waiting: waiting) else {
                        return publish(next, in: &inner)  // the checkpoint is looked at again next time
                    }
                    next = advanced
                }
            } else if pending.isEmpty, ownBatch >= 0, ownBatch == inner.seenBytes, size > inner.seenBytes, stamp == inner.seenCheckpoints {
                return inner.snapshot  // only the writer's batch is new: its offer brings it in (see the type)
            } else {
                guard let advanced = try Self.advance(inner.store, from: next, waiting: waiting) else { return inner.snapshot }
                next = advanced
                inner.seenBytes = size
            }
            inner.seenCheckpoints = stamp
            return publish(next, in: &inner)
        }
    }

    /// Makes `next` the view's snapshot when it is a new one, and tells the observers.
    private func publish(_ next: ViewSnapshot, in inner: inout Inner) -> ViewSnapshot {
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
            if held == nil { held = try? EntryLinesFile(path: path) }
            return held
        }
        return PageLedger(state: snapshot.state, checkpoint: snapshot.checkpoint, tree: tree.reader(size: size)) { seq in
            let (start, next) = try tree.lineBounds(seq, size: size, verifiedBytes: end)
            var line = try file?.read(offset: start, count: next - start) ?? FileBytes.read(path, offset: start, count: next - start)
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

    /// Verifies what follows `previous` and returns the next snapshot. Always resumes (from an empty
    /// state that keeps records, the first time): a fresh verification would keep only claim keys.
    private static func advance(_ store: LedgerStore, from previous: ViewSnapshot) throws -> ViewSnapshot {
        try snapshot(after: try store.verify(resume: AuditState(state: previous.state, offset: previous.verifiedBytes)), from: previous, store)
    }

    /// `advance`, or without `waiting` nil at once when another writer holds the writers' lock.
    private static func advance(_ store: LedgerStore, from previous: ViewSnapshot, waiting: Bool) throws -> ViewSnapshot? {
        guard !waiting else { return try advance(store, from: previous) }
        let resume = AuditState(state: previous.state, offset: previous.verifiedBytes)
        return try store.verifyUnlessWriting(resume: resume).map { outcome in try snapshot(after: outcome, from: previous, store) }
    }

    /// The snapshot after `previous` that a verification resumed from it gives.
    private static func snapshot(after outcome: LedgerStore.Verification, from previous: ViewSnapshot, _ store: LedgerStore) throws -> ViewSnapshot {
        var state = previous.state
        var verifiedBytes = previous.verifiedBytes
        var failure = outcome.report.failure.map { $0.description }
        var failureCode = outcome.report.failure?.code.rawValue
        // The state is taken only when it is exactly the verified entries (after a failed batch it may
        // hold entries whose signatures were not checked).
        if outcome.state.size == outcome.report.entries, outcome.state.size > previous.state.size || previous.state.size == 0 {
            let (hashes, starts) = try leafHashes(store.entriesPath, from: previous.verifiedBytes, to: outcome.verifiedBytes)
            try previous.tree.append(hashes, lineStarts: starts, expecting: outcome.state.size, root: outcome.state.rootHash)
            state = outcome.state
            verifiedBytes = outcome.verifiedBytes
        } else if outcome.state.size != outcome.report.entries, failure == nil {
            failure = "verification stopped at entry \(outcome.report.entries)"
        }
        var checkpoint: CheckpointStatus?
        if state.size > 0 {
            do { checkpoint = try CheckpointStatus.latest(in: store.directory, state: state, tree: previous.tree.reader(size: state.size)) } catch {
                failure = failure ?? "stored checkpoint: \(error)"
                failureCode = failureCode ?? (error as? LedgerError)?.code.rawValue ?? "checkpoint-rejected"
            }
        }
        let next = ViewSnapshot(state: state, tree: previous.tree, verifiedBytes: verifiedBytes, checkpoint: checkpoint,
                                failure: failure, failureCode: failureCode, warningCount: outcome.report.warningCount,
                                warnings: outcome.report.warnings, generation: previous.generation + 1)
        return next
    }

    /// The leaf hashes of the verified lines in bytes `[from, to)`: each line's `hash` member, which
    /// verification just recomputed and compared (the tree root is checked against the verified one);
    /// and where each line starts in the file.
    static func leafHashes(_ path: String, from: Int, to: Int) throws -> (hashes: [SHA256Digest], lineStarts: [Int]) {
        guard to > from else { return ([], []) }
        let bytes = try FileBytes.read(path, offset: from, count: to - from)
        var out = [SHA256Digest]()
        var starts = [Int]()
        let marker = Array(#""hash":""#.utf8)
        var lineStart = 0
        while lineStart < bytes.count {
            let end = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            let line = bytes[lineStart..<end]
            // `{"entry":{...},"hash":"<64 hex>","signature":"..."}`: the last `"hash":"` of the line.
            guard let at = lastRange(of: marker, in: line), at + marker.count + 64 <= end,
                  let digest = SHA256Digest(hex: String(decoding: bytes[(at + marker.count)..<(at + marker.count + 64)], as: UTF8.self))
            else { throw StoreError(.invalidLedger, "a verified line has no hash member (byte \(from + lineStart))") }
            out.append(digest)
            starts.append(from + lineStart)
            lineStart = end + 1
        }
        return (out, starts)
    }

    private static func lastRange(of needle: [UInt8], in hay: ArraySlice<UInt8>) -> Int? {
        guard hay.count >= needle.count else { return nil }
        var i = hay.endIndex - needle.count
        while i >= hay.startIndex {
            if hay[i] == needle[0], hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }

    static func fileSize(_ path: String) -> Int { fileSizeAndIdentity(path).size }

    /// The file's size (-1 when it cannot be looked at) and which file it is (nil then).
    static func fileSizeAndIdentity(_ path: String) -> (size: Int, identity: FileIdentity?) {
        var st = stat()
        guard stat(path, &st) == 0 else { return (-1, nil) }
        return (Int(st.st_size), FileIdentity(st))
    }

    /// Changes when a checkpoint is stored (the directory's modification time and size).
    static func checkpointStamp(_ directory: String) -> Int64 {
        var st = stat()
        guard stat(directory + "/checkpoints", &st) == 0 else { return -1 }
        return Int64(st.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_mtim.tv_nsec) &+ Int64(st.st_size) &* 31
    }
}
