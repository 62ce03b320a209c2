import ClaimLedgerCore
import Dispatch
import Glibc
import LedgerCrypto
import Synchronization

/// The derived files of an import's batch, `tree/hashes` and the writers' index, brought up to date from
/// the batch's spilled records while the caller copies the batch's lines into `entries.jsonl` and fsyncs
/// them: the index on a thread of its own, which reads the records, and the tree on a serial queue that
/// thread feeds, so that both cores work after the checking pass.
///
/// What makes the index believed is its head (`index/head.json`), and only that waits for the batch:
/// - the head is removed before anything else changes (here, synchronously, before the thread starts);
/// - the thread writes the claim table and the entry records (`WriterIndex.apply`), the tree's queue the
///   tree hashes: files that nothing believes without a head whose stamps match them;
/// - `finish`, called once the batch's `fsync` succeeded, waits for the thread and writes the head
///   (`WriterIndex.commit`);
/// - `abandon`, called when the batch failed, stops the thread and waits for it, leaving no head: the next
///   writer rebuilds the index from a full verification, and `TreeHashSync` cuts `tree/hashes` back to the
///   entries it replays.
/// Either way the thread, and the tree's queue before it, have ended before the caller releases the
/// writers' lock. Until then the caller must not touch `index`, `tree` or `records`.
final class ImportDerivedFiles: @unchecked Sendable {
    private let index: WriterIndex
    /// Released once read, so that the thread frees the unlinked file.
    private var records: BatchSpillFile?
    /// Once the thread has started: read by it before the first chunk goes to the tree's queue, then
    /// touched only by that queue until the thread has waited for it.
    private var tree: TreeHashSync?
    private let group = DispatchGroup()
    /// `tree/hashes` is brought up to date on a serial queue of its own, beside the index (the two share
    /// nothing), so that the work after the checking pass runs on both cores: the batch's leaf hashes go
    /// to it a chunk at a time, at most `treeChunksInFlight` chunks ahead of it.
    private let treeQueue = DispatchQueue(label: "claimledger.import.tree")
    private let treeChunks = DispatchSemaphore(value: ImportDerivedFiles.treeChunksInFlight)
    static let treeChunksInFlight = 4
    private let stopping = Atomic<Bool>(false)
    /// The start of the batch's last line, once the thread has applied it.
    private var outcome: Result<Int, any Error>?

    private struct Abandoned: Error {}

    /// Changed slots the index's claim table holds before writing them back (`DirtySlots`): 2^17, four
    /// times the checking pass's bound, so that the slots written together lie closer; their dictionary
    /// takes up to about 25 MiB (peak RSS 92-93 MiB at 1,000,000 claims; the pass's overlay is freed by then).
    static let dirtySlots = 1 << 17

    /// Starts the thread for a batch whose lines will start at byte `batchStart`, with `newClaims` claim
    /// entries, signed by the key of index `signer`.
    init(index: WriterIndex, tree: TreeHashSync?, records: BatchSpillFile, batchStart: Int, newClaims: Int, signer: UInt32) {
        self.index = index
        self.tree = tree
        self.records = records
        unlink(WriterIndex.headPath(index.base))  // until the new head is written, nothing is believed
        DispatchQueue.global().async(group: group) {
            self.apply(batchStart: batchStart, newClaims: newClaims, signer: signer)
        }
    }

    deinit { group.wait() }

    private func apply(batchStart: Int, newClaims: Int, signer: UInt32) {
        let treeGroup = DispatchGroup()
        let hasTree = tree != nil
        defer { treeGroup.wait() }  // the tree's queue has stopped before this thread ends, whatever happened
        do {
            try index.table.startBuffering(dirtySlots: Self.dirtySlots)
            var lineStart = batchStart
            let lastStart = try index.apply(newClaims: newClaims) { add in
                try records!.forEachRead(size: SpilledEntry.size * 16_384) { bytes in
                    guard !stopping.load(ordering: .relaxed) else { throw Abandoned() }
                    var chunk = [AppendedEntry]()
                    chunk.reserveCapacity(bytes.count / SpilledEntry.size)
                    for at in stride(from: 0, to: bytes.count, by: SpilledEntry.size) {
                        let e = SpilledEntry(decoding: bytes, at: at)
                        chunk.append(AppendedEntry(lineStart: lineStart, type: e.type, hash: e.hash, signer: signer,
                                                   claim: e.claim, status: e.status, amend: e.amend))
                        lineStart += e.lineLength + 1
                    }
                    if hasTree { addToTree(chunk.map(\.hash), group: treeGroup) }
                    try add(chunk)
                }
            }
            records = nil
            treeGroup.wait()
            if !stopping.load(ordering: .relaxed) { _ = try? tree?.finish() }  // abandoned: no head will vouch for it
            outcome = .success(lastStart)
        } catch {
            outcome = .failure(error)
        }
    }

    /// Adds `hashes` to the tree on its queue, once fewer than `treeChunksInFlight` chunks wait there.
    /// A tree that fails is dropped: it is derived, and the next writer replays it.
    private func addToTree(_ hashes: [SHA256Digest], group: DispatchGroup) {
        treeChunks.wait()
        treeQueue.async(group: group) {
            defer { self.treeChunks.signal() }
            guard self.tree != nil, !self.stopping.load(ordering: .relaxed) else { return }
            do {
                for hash in hashes { try self.tree?.add(leafHash: hash) }
            } catch { self.tree = nil }
        }
    }

    /// Waits until the thread has applied the batch to the derived files (or failed), without writing the head.
    func waitForApply() { group.wait() }

    /// The batch is durable (its `fsync` succeeded): waits for the thread and writes the index head for
    /// the ledger of `end` bytes and state `next`. A failure loses nothing: without a head, the next
    /// writer rebuilds the index.
    func finish(end: Int, state next: LedgerState, store: LedgerStore) {
        group.wait()
        guard case .success(let lastStart) = outcome else { return }
        do {
            try index.commit(end: end, lastLineStart: lastStart, state: next, store: store)
        } catch {
            unlink(WriterIndex.headPath(index.base))
        }
    }

    /// The batch failed: stops the thread at its next chunk and waits for it. The index stays without a
    /// head (stale), and is rebuilt by the next writer.
    func abandon() {
        stopping.store(true, ordering: .relaxed)
        group.wait()
    }
}
