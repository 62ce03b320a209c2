import ClaimLedgerCore
import ClaimLedgerStorage
import Glibc
import LedgerCrypto
import Merkle
import SignedNote

/// A remote auditor's copy of a published ledger: a ledger directory (`entries.jsonl` rebuilt from the
/// tiles, `sources/`, `checkpoints/`) that every local command can read, plus `audit-state` (what was
/// verified, FORMAT.md 15) and `log` (the pinned verifier key it follows). Lines after the audit
/// state's offset are never trusted: a run starts by cutting them off, and a failed run cuts off what
/// it added.
public final class MirrorDirectory {
    public let path: String
    public let archive: SourceArchiveFiles
    var entriesPath: String { path + "/entries.jsonl" }
    var statePath: String { path + "/audit-state" }

    public init(_ path: String) throws {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        try PublishedFiles.makeDirectories(self.path + "/sources/sha256")
        archive = SourceArchiveFiles(ledgerDirectory: self.path)
    }

    /// The saved audit state (nil on the first run), after checking that this mirror follows `key`'s log
    /// and cutting `entries.jsonl` back to what that state verified.
    func prepare(following key: NoteVerifierKey) throws -> AuditState? {
        let logPath = path + "/log"
        if let pinned = try PublishedFiles.readIfPresent(logPath, limit: 4096) {
            guard String(decoding: pinned, as: UTF8.self) == key.encoded + "\n" else {
                throw LedgerError(.invalidInput, "\(path) mirrors the log of \(String(decoding: pinned, as: UTF8.self).dropLast()), not \(key.encoded): use another --mirror")
            }
        } else {
            _ = try PublishedFiles.createOnce(Array((key.encoded + "\n").utf8), at: logPath)
        }
        let saved = access(statePath, F_OK) == 0 ? try AuditState.read(statePath) : nil
        if access(entriesPath, F_OK) != 0 { _ = try PublishedFiles.createOnce([], at: entriesPath) }
        try rollBack(to: saved)
        return saved
    }

    /// Cuts `entries.jsonl` back to what `saved` verified (everything, with no saved state). Never
    /// extends it: a file shorter than the state says is a damaged mirror, not a log's fault.
    func rollBack(to saved: AuditState?) throws {
        let offset = saved?.offset ?? 0
        var st = stat()
        guard stat(entriesPath, &st) == 0 else { throw StoreError(.io, "cannot stat \(entriesPath): errno \(errno)") }
        guard Int(st.st_size) >= offset else {
            throw StoreError(.invalidLedger, "the mirror \(path) is damaged: its audit state covers \(offset) bytes of entries.jsonl, which has \(st.st_size); delete the mirror and audit from scratch")
        }
        guard truncate(entriesPath, off_t(offset)) == 0 else {
            throw StoreError(.io, "cannot cut \(entriesPath) back to \(offset) bytes: errno \(errno)")
        }
    }

    /// Holds the mirror for one run (an exclusive lock on `<mirror>/lock`): two audits of one mirror at
    /// once would cut each other's entries.
    func lock() throws -> DirectoryLock {
        do { return try PublishedFiles.lockDirectory(path) } catch {
            throw StoreError(.io, "the mirror \(path) is in use by another `claimledger audit`: \(error)")
        }
    }

    func append(_ bytes: [UInt8]) throws {
        let fd = open(entriesPath, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError(.io, "cannot open \(entriesPath): errno \(errno)") }
        defer {
            fsync(fd)  // durable before the audit state that covers it is saved
            close(fd)
        }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw StoreError(.io, "cannot write \(entriesPath): errno \(errno)") }
            done += n
        }
    }

    /// The canonical entries (FORMAT.md 4.2) of the last `count` lines of `entries.jsonl`, read from
    /// its end in 1 MiB steps (not the whole file: a mirror of a million entries is 700 MB).
    func lastCanonicalEntries(_ count: Int) throws -> [[UInt8]] {
        guard count > 0 else { return [] }
        let fd = open(entriesPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError(.io, "cannot open \(entriesPath): errno \(errno)") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw StoreError(.io, "cannot stat \(entriesPath)") }
        let size = Int(st.st_size)
        // Read backwards until the tail holds `count` whole lines (count + 1 newlines, or the file's start).
        var tail = [UInt8]()
        var start = size
        while start > 0, tail.reduce(0, { $0 + ($1 == 0x0A ? 1 : 0) }) <= count {
            let step = min(1 << 20, start)
            var chunk = [UInt8](repeating: 0, count: step)
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, step, off_t(start - step)) }
            guard n == step else { throw StoreError(.io, "cannot read \(entriesPath) at \(start - step)") }
            tail = chunk + tail
            start -= step
        }
        var lines = [[UInt8]]()
        var end = tail.count - 1  // the last line's LF
        while lines.count < count, end > 0 {
            let lineStart = (tail[..<end].lastIndex(of: 0x0A) ?? -1) + 1
            guard lineStart > 0 || start == 0 else { break }
            let line = Array(tail[lineStart..<end])
            guard line.count > 9 + 178 else { throw StoreError(.invalidLedger, "\(entriesPath): a line is too short to be an entry") }
            lines.append(Array(line[9..<(line.count - 178)]))
            end = lineStart - 1
        }
        guard lines.count == count else { throw StoreError(.invalidLedger, "\(entriesPath) holds fewer than \(count) entries") }
        return lines.reversed()
    }

    /// Verifies the lines appended since `saved` with the full rules, resuming from it, then checks that
    /// the entries give the checkpoint's size and root, that the pinned key is a root key of the ledger
    /// at that size, and (first run) the genesis pin. Nothing is saved: `save` does that.
    func verify(resuming saved: AuditState?, checkpoint: Checkpoint, key: NoteVerifierKey,
                genesis: SHA256Digest?) throws -> LedgerStore.Verification {
        let store = try LedgerStore.open(path)
        let outcome = try store.verify(resume: saved, keepingStatusHashes: true)
        if let failure = outcome.report.failure { throw failure }
        let size = Int(checkpoint.treeSize)
        guard outcome.state.size == size else {
            throw LedgerError(.historyRewritten, "the tiles hold \(outcome.state.size) entries, the checkpoint says \(size)")
        }
        guard outcome.state.rootHash == checkpoint.rootHash else {
            throw LedgerError(.historyRewritten, "the published entries give root \(outcome.state.rootHash.hex) for \(size) entries, the checkpoint signs \(checkpoint.rootHash.hex): the log forked or rewrote its history")
        }
        guard CheckpointFiles.verifierKeys(outcome.state, atSize: size).contains(key) else {
            throw LedgerError(.checkpointRejected, "the pinned key \(key.encoded) is not a root key of this ledger at \(size) entries")
        }
        if saved == nil, let genesis {
            guard let first = try firstEntryHash() else { throw StoreError(.io, "cannot read entry 0 of the mirror to check the genesis pin") }
            guard first == genesis else {
                throw LedgerError(.genesisMismatch, "entry 0 of the log has hash \(first.hex), the pinned genesis is \(genesis.hex): this is another ledger")
            }
        }
        return outcome
    }

    /// The stored hashes of the mirror's tree after `saved`'s extended by `leafHashes` (tree/hashes).
    func treeHashes(after saved: AuditState?, leafHashes: [SHA256Digest]) throws -> any HashReader {
        try LedgerStore.open(path).extendTreeHashes(base: saved?.state.tree ?? CompactTree(), leafHashes: leafHashes) {
            try allLeafHashes()
        }
    }

    /// Every line's `hash`, read from `entries.jsonl` (verified by then).
    func allLeafHashes() throws -> [SHA256Digest] {
        let bytes = try InputFiles.read(entriesPath, limit: 1 << 36, what: "the mirror's entries")
        var out = [SHA256Digest]()
        var start = 0
        while let end = bytes[start...].firstIndex(of: 0x0A) {
            guard end - start > 178, let d = SHA256Digest(hex: String(decoding: bytes[(end - 169)..<(end - 105)], as: UTF8.self)) else {
                throw StoreError(.invalidLedger, "\(entriesPath): a line without a hash")
            }
            out.append(d)
            start = end + 1
        }
        return out
    }

    /// Saves the audit state of a verification, then stores the checkpoint (after the state: a checkpoint
    /// stored without it would make the mirror's own checks fail).
    func save(_ outcome: inout LedgerStore.Verification, note: [UInt8], size: Int) throws {
        try outcome.saveAuditState(to: statePath)
        try CheckpointFiles(ledgerDirectory: path).store(note, size: size)
    }

    /// The `hash` of the first line of `entries.jsonl` (verified by then).
    func firstEntryHash() throws -> SHA256Digest? {
        let fd = open(entriesPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: LedgerLimits.maxLineBytes + 1)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        guard n > 0, let end = buffer[..<n].firstIndex(of: 0x0A), end >= 178 else { return nil }
        return SHA256Digest(hex: String(decoding: buffer[(end - 169)..<(end - 105)], as: UTF8.self))
    }
}
