import ClaimLedgerCore
import Glibc
import LedgerCrypto

/// What an import appended.
public struct ImportSummary: Sendable {
    public internal(set) var entries = 0
    public internal(set) var types: [EntryType: Int] = [:]
    /// The ledger's size and head after the batch.
    public internal(set) var size = 0
    public internal(set) var head = SHA256Digest.zero
}

/// The passes of an import, for a progress display: checking (bytes of the import file read) and
/// writing (bytes of the batch written).
public enum ImportPhase: Sendable {
    case checking, writing
}

extension LedgerStore {
    /// Chunks of entries being signed at once beside the one being chained: enough to keep every core busy.
    static let chunksInFlight = 3
    static let signingChunkSize = 1024
    /// Bytes of a batch's lines copied into `entries.jsonl` between two hints to start their writeback.
    static let writebackStep = 8 << 20

    /// Imports the file at `path` (FORMAT.md "Import files") as one batch signed by `key`: all of it,
    /// durably, or nothing. Memory does not grow with the batch (FORMAT.md 2.4):
    /// 1. the file is read once, streamed; each item is parsed, resolved, chained (the chain hash covers
    ///    no signature) and checked as `verify` will, in order on this thread, while the other cores sign
    ///    and read back the entries chained before it, a chunk at a time; the signed lines and what the
    ///    index needs of each entry go to temporary files (`BatchSpillFile`). A bad item refuses the batch
    ///    with its line number before anything is written;
    /// 2. the batch's sources are archived and `append-in-progress` records the sizes before and after
    ///    the batch; then the lines are written a chunk at a time, and fsynced;
    /// 3. meanwhile, on a thread and a queue of their own, the writers' index and the tree hashes are
    ///    updated from the second temporary file (`ImportDerivedFiles`); the index head is written once the
    ///    lines' fsync succeeded.
    public func importFile(_ path: String, key: Ed25519PrivateKey, time: Timestamp,
                           progress: ((ImportPhase, Int, Int) -> Void)? = nil) throws -> ImportSummary {
        try importFile(path, key: key, time: time, progress: progress, afterIndexApplied: nil)
    }

    /// `importFile`, with a function a test runs after the batch's lines are copied, before their fsync,
    /// once the derived files have taken the batch (the index without its head); if it throws, the
    /// batch's write fails with its error.
    func importFile(_ path: String, key: Ed25519PrivateKey, time: Timestamp, progress: ((ImportPhase, Int, Int) -> Void)?,
                    afterIndexApplied: (() throws -> Void)?) throws -> ImportSummary {
        let reader = try ImportFileReader(path)
        let (file, size) = try openForWriting()
        defer { file.unlock() }
        let (index, resumedTree) = try writerIndex(file, size: size)
        var lines: BatchSpillFile! = try BatchSpillFile(directory: directory, purpose: "import-lines")
        let records = try BatchSpillFile(directory: directory, purpose: "import-records")
        var summary = ImportSummary()
        var next: LedgerState, pendingSources: [[UInt8]]
        do {
            // The batch's claims and the facts it changes are tracked on disk, not in the state's memory.
            var start = index.state
            start.earlierClaims = try BatchClaims(ledger: index.table, directory: directory, importBytes: reader.size)
            start.earlierClaimsTrackNewClaims = true
            (next, pendingSources) = try chainAndSign(reader, state: start, key: key, time: time,
                                                 into: (lines, records), summary: &summary, progress: progress)
        }
        next.earlierClaims = index.table  // the overlay is closed (and freed): the index records the batch itself
        next.earlierClaimsTrackNewClaims = false
        guard summary.entries > 0 else { throw LedgerError(.empty, "import file \(path) holds no items") }
        try lines.flush()
        try records.flush()
        for bytes in pendingSources { try archive.store(bytes) }

        // The tree and the index are derived: they are brought up to date beside this thread while the
        // lines are copied and fsynced, and believed (their head written) only once the batch is durable.
        let newBytes = lines.length
        let derived = ImportDerivedFiles(index: index, tree: resumedTree, records: records, batchStart: size,
                                         newClaims: summary.types[.claim] ?? 0, signer: next.keyIndex(of: key.publicKey.keyID))
        do {
            try writeBatch(file, size: size, newBytes: newBytes) {
                var written = 0, handedToDisk = 0
                try lines.forEachRead { bytes in
                    try file.write(bytes)
                    written += bytes.count
                    // The disk writes while the rest is copied, instead of all of it in the fsync after.
                    if written - handedToDisk >= Self.writebackStep || written == newBytes {
                        file.startWriteback(at: size + handedToDisk, count: written - handedToDisk)
                        handedToDisk = written
                    }
                    progress?(.writing, written, newBytes)
                }
                if let afterIndexApplied {
                    derived.waitForApply()
                    try afterIndexApplied()
                }
            }
        } catch {
            derived.abandon()
            throw error
        }
        // Closed now: the kernel frees the unlinked file's pages (about 1 GB at 1,000,000 claims, 0.3 s)
        // while the index thread works, not after it.
        lines = nil
        summary.size = next.size
        summary.head = next.head
        derived.finish(end: size + newBytes, state: next, store: self)
        return summary
    }

    /// The checking pass: each item of `reader` resolved, chained onto `state` and checked in order, its
    /// entries signed and read back on the other cores a chunk at a time, their lines and index records
    /// spilled in order. Returns the state after the batch and the bytes of the sources it adds. The
    /// first failure in file order is thrown, naming its line and item.
    private func chainAndSign(_ reader: ImportFileReader, state: LedgerState, key: Ed25519PrivateKey, time: Timestamp,
                              into spill: (lines: BatchSpillFile, records: BatchSpillFile), summary: inout ImportSummary,
                              progress: ((ImportPhase, Int, Int) -> Void)?) throws -> (LedgerState, [[UInt8]]) {
        var next = state
        let when = StreamedBatch.time(time, after: state), signer = key.publicKey.keyID
        var resolver = DraftResolver(state: state, archive: archive)
        var pending = [SignedEntry](), pendingPlaces = [(line: Int, item: Int)]()
        var inFlight = [(chunk: SignedLinesChunk, places: [(line: Int, item: Int)])]()
        var items = 0
        func settle(keeping count: Int) throws {
            while inFlight.count > count {
                let (chunk, places) = inFlight.removeFirst()
                switch chunk.result() {
                case .failure(let f):
                    throw LedgerError(f.error.code, "line \(places[f.index].line) (item \(places[f.index].item)): \(f.error.reason)")
                case .success(let bytes):
                    try spill.lines.append(bytes)
                    var records = [UInt8]()
                    records.reserveCapacity(chunk.entries.count * SpilledEntry.size)
                    for e in chunk.entries { SpilledEntry(e).encode(into: &records) }
                    try spill.records.append(records)
                }
            }
        }
        func submit() throws {
            inFlight.append((SignedLinesChunk(pending, key: key), pendingPlaces))
            pending.removeAll(keepingCapacity: true)
            pendingPlaces.removeAll(keepingCapacity: true)
            try settle(keeping: Self.chunksInFlight)
        }
        do {
            try reader.forEachItem(progress: { progress?(.checking, $0, $1) }) { draft, number in
                items += 1
                do throws(LedgerError) {
                    for payload in try resolver.resolve(draft, latest: next) {
                        try WriterRules.check(payload, after: next)  // FORMAT.md 10.1: no misleading text in new entries
                        let e = try StreamedBatch.chain(payload, onto: &next, signer: signer, time: when, archive: resolver.archive)
                        summary.entries += 1
                        summary.types[e.entry.type, default: 0] += 1
                        pending.append(e)
                        pendingPlaces.append((number, items))
                    }
                } catch { throw LedgerError(error.code, "line \(number) (item \(items)): \(error.reason)") }
                if pending.count >= Self.signingChunkSize { try submit() }
            }
            if !pending.isEmpty { try submit() }
            try settle(keeping: 0)
        } catch {
            try settle(keeping: 0)  // a failure of an earlier item comes first
            throw error
        }
        return (next, Array(resolver.archive.pending.values))
    }
}
