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
    /// Chunks of entries being read back or signed at once: enough to keep every core busy.
    static let chunksInFlight = 3
    static let readbackChunkSize = 1024

    /// Imports the file at `path` (FORMAT.md "Import files") as one batch signed by `key`: all of it,
    /// durably, or nothing. Memory does not grow with the batch (FORMAT.md 2.4):
    /// 1. the file is read once, streamed; each item is parsed, resolved, chained (the chain hash covers
    ///    no signature) and checked as `verify` will, and its entry's canonical bytes and hash go to a
    ///    temporary file (`BatchSpillFile`); a bad item refuses the batch with its line number;
    /// 2. the batch's sources are archived and `append-in-progress` records the sizes before and after the
    ///    batch, known from the line lengths; then the entries are signed on all cores and written a chunk
    ///    at a time, and fsynced;
    /// 3. the tree hashes and the writers' index are updated from the temporary file.
    public func importFile(_ path: String, key: Ed25519PrivateKey, time: Timestamp,
                           progress: ((ImportPhase, Int, Int) -> Void)? = nil) throws -> ImportSummary {
        let reader = try ImportFileReader(path)
        let file = try PosixFile(path: entriesPath, flags: O_RDWR | O_APPEND)
        try file.lock(LOCK_EX)
        defer { file.unlock() }
        try settleUnfinishedAppend(file, rollBack: false)
        let size = try file.size()
        let (index, resumedTree) = try writerIndex(file, size: size)
        let spill = try BatchSpillFile(directory: directory)
        var summary = ImportSummary()
        let (chained, pendingSources, newBytes) = try chainImport(reader, state: index.state, signer: key.publicKey.keyID, time: time,
                                                               into: spill, summary: &summary, progress: progress)
        guard summary.entries > 0 else { throw LedgerError(.empty, "import file \(path) holds no items") }
        try spill.flush()
        for bytes in pendingSources { try archive.store(bytes) }

        try writeBatch(file, size: size, newBytes: newBytes) {
            var inFlight = [LineSigningChunk]()
            var written = 0
            func writeOldest() throws {
                let lines = try inFlight.removeFirst().lines()
                try file.write(lines)
                written += lines.count
                progress?(.writing, written, newBytes)
            }
            try spill.forEachChunk { chunk in
                inFlight.append(LineSigningChunk(canonical: chunk.map(\.canonical), hashes: chunk.map(\.hash), key: key))
                if inFlight.count >= Self.chunksInFlight { try writeOldest() }
            }
            while !inFlight.isEmpty { try writeOldest() }
        }
        summary.size = chained.size
        summary.head = chained.head

        // The tree and the index are derived: a failure here loses nothing, the next writer repairs them.
        var next = chained
        next.forgetNewClaimKeys()  // they go to the index's claim table
        var sync = resumedTree
        do {
            var lineStart = size
            try index.record(newClaims: summary.types[.claim] ?? 0, end: size + newBytes, state: next, store: self) { add in
                try spill.forEachChunk { chunk in
                    var records = [AppendedEntry]()
                    records.reserveCapacity(chunk.count)
                    for e in chunk {
                        if sync != nil { do { try sync?.add(leafHash: e.hash) } catch { sync = nil } }
                        records.append(AppendedEntry(lineStart: lineStart, type: e.type, claim: e.claim, status: e.status))
                        lineStart += e.lineLength + 1
                    }
                    try add(records)
                }
            }
            _ = try? sync?.finish()
        } catch {
            unlink(WriterIndex.headPath(directory))
        }
        return summary
    }

    /// The checking pass: each item of `reader` resolved, chained onto `state` and checked, its entries
    /// spilled and read back on the other cores, a chunk at a time. Returns the state after the batch, the
    /// bytes of the sources it adds, and the bytes its lines will take. The first failure in file order is
    /// thrown, naming its line and item.
    private func chainImport(_ reader: ImportFileReader, state: LedgerState, signer: SHA256Digest, time: Timestamp,
                             into spill: BatchSpillFile, summary: inout ImportSummary,
                             progress: ((ImportPhase, Int, Int) -> Void)?) throws -> (LedgerState, [[UInt8]], Int) {
        var next = state
        let when = StreamedBatch.time(time, after: state)
        var resolver = DraftResolver(state: state, archive: archive)
        var pending = [SignedEntry](), pendingPlaces = [(line: Int, item: Int)]()
        var inFlight = [(chunk: ReadbackChunk, places: [(line: Int, item: Int)])]()
        var newBytes = 0, items = 0
        func settle(keeping count: Int) throws {
            while inFlight.count > count {
                let (chunk, places) = inFlight.removeFirst()
                if let (i, error) = chunk.firstFailure() {
                    throw LedgerError(error.code, "line \(places[i].line) (item \(places[i].item)): \(error.reason)")
                }
            }
        }
        func submit() throws {
            inFlight.append((ReadbackChunk(pending), pendingPlaces))
            pending.removeAll(keepingCapacity: true)
            pendingPlaces.removeAll(keepingCapacity: true)
            try settle(keeping: Self.chunksInFlight)
        }
        do {
            try reader.forEachItem(progress: { progress?(.checking, $0, $1) }) { draft, number in
                items += 1
                var entries = [SignedEntry]()
                do throws(LedgerError) {
                    for payload in try resolver.resolve(draft) {
                        entries.append(try StreamedBatch.chain(payload, onto: &next, signer: signer, time: when, archive: resolver.archive))
                    }
                } catch { throw LedgerError(error.code, "line \(number) (item \(items)): \(error.reason)") }
                for e in entries {
                    try spill.append(e)
                    newBytes += e.canonicalBytes.count + StreamedBatch.lineOverhead + 1
                    summary.entries += 1
                    summary.types[e.entry.type, default: 0] += 1
                    pending.append(e)
                    pendingPlaces.append((number, items))
                }
                if pending.count >= Self.readbackChunkSize { try submit() }
            }
            if !pending.isEmpty { try submit() }
            try settle(keeping: 0)
        } catch {
            try settle(keeping: 0)  // a failure of an earlier item comes first
            throw error
        }
        return (next, Array(resolver.archive.pending.values), newBytes)
    }
}
