import ClaimLedgerCore
import Glibc
import LedgerCrypto
import Merkle

/// A ledger directory (FORMAT.md "Layout"): `entries.jsonl` and `sources/sha256/`.
/// Writers hold an exclusive `flock` on `entries.jsonl` from reading the tail to the fsync of the new
/// lines; readers take a shared lock only to fix the size they read, and so see a consistent prefix.
public final class LedgerStore {
    public let directory: String
    public let archive: SourceArchiveFiles
    public var entriesPath: String { directory + "/entries.jsonl" }

    private init(directory: String) {
        self.directory = directory
        archive = SourceArchiveFiles(ledgerDirectory: directory)
    }

    public static func open(_ directory: String) throws(StoreError) -> LedgerStore {
        let store = LedgerStore(directory: directory)
        guard FileSystem.isDirectory(directory), FileSystem.exists(store.entriesPath) else {
            throw StoreError(.noLedger, "no ledger at \(directory) (no entries.jsonl): create one with `claimledger init` or pass --ledger DIR")
        }
        return store
    }

    /// Creates the directory (if needed) and its genesis entry, signed by `rootKey`.
    public static func create(_ directory: String, genesis: GenesisPayload, rootKey: Ed25519PrivateKey, time: Timestamp)
        throws -> LedgerStore
    {
        let store = LedgerStore(directory: directory)
        guard !FileSystem.exists(store.entriesPath) else {
            throw StoreError(.ledgerExists, "\(directory) already holds a ledger (entries.jsonl exists)")
        }
        try WriterRules.check(.genesis(genesis), after: LedgerState())
        let entry = Entry(seq: 0, prev: .zero, time: time, signer: rootKey.publicKey.keyID, payload: .genesis(genesis))
        let unsigned = SignedEntry.unsigned(entry)
        try WriterRules.checkSize(unsigned)
        let signed = try unsigned.signed(with: rootKey)
        try EntryAppender.ensureReadable(signed)
        var state = LedgerState()
        try state.apply(signed, archive: store.archive)
        try FileSystem.makeDirectory(directory)
        try FileSystem.makeDirectory(directory + "/sources")
        try FileSystem.makeDirectory(directory + "/sources/sha256")
        try FileSystem.createExclusive(signed.line + [0x0A], at: store.entriesPath, mode: 0o644)
        try FileSystem.syncDirectory(directory)
        return store
    }

    /// Lines per batch of parallel verification: enough to keep every core busy, small in memory. Up to
    /// three batches are in flight at once in `verify`'s pipeline.
    static let batchSize = 1024
    /// Ledger bytes per claim assumed when sizing the verifier's claim-key table up front. The benchmark's
    /// ledgers hold about 1,150 bytes per claim (claim lines about 840 bytes, 0.6 status lines of about 520
    /// per claim), so the table fills to about 3/4 × 896/1,150 and never grows. Ledgers denser in claims
    /// make it double once or more: correct, with one old and one new table held at once while it grows.
    static let bytesPerClaimEstimate = 896

    /// What a verification found: the report, the state as far as it verified, the tree root at the
    /// size asked for, and the byte offset where the last verified entry's line ends.
    public struct Verification: Sendable {
        public var report: VerificationReport
        public var state: LedgerState
        public var rootAtRequestedSize: SHA256Digest?
        public var verifiedBytes: Int

        /// Writes the audit state of this verification to `path` (see `AuditState.write`); the claim keys
        /// are moved out of `state` to do so.
        public mutating func saveAuditState(to path: String) throws {
            guard !state.claimKeys.tagsStatuses else {
                throw LedgerError(.invalidInput, "this verification kept status tags, not hashes: verify with keepingStatusHashes to save its state")
            }
            try AuditState.write(&state, offset: verifiedBytes, to: path)
        }
    }

    /// Verifies every entry, streaming; `progress` gets (bytes read, bytes to read). `rootAt` asks for the
    /// tree root after that many entries (to compare with a checkpoint). With `resume`, verification
    /// starts after an auditor's saved state and reads only the lines after it.
    /// Without `keepingStatusHashes`, claims' latest status hashes are kept as keyed tags (`ClaimKeySet`:
    /// about half the memory per claim), and the outcome cannot be saved as an audit state.
    public func verify(resume: AuditState? = nil, rootAt: Int? = nil, keepingStatusHashes: Bool = true,
                       progress: ((Int, Int) -> Void)? = nil) throws -> Verification {
        let file = try PosixFile(path: entriesPath, flags: O_RDONLY)
        return try verify(file, size: try snapshotSize(file), resume: resume, rootAt: rootAt,
                          taggingStatuses: !keepingStatusHashes, progress: progress)
    }

    /// `verify(resume:)`, or nil at once when a writer holds the writers' lock (an append, or an import's
    /// copy and `fsync`, in progress), instead of waiting for it: for a reader that can serve what it
    /// verified before (the server's requests) and look again later.
    public func verifyUnlessWriting(resume: AuditState) throws -> Verification? {
        let file = try PosixFile(path: entriesPath, flags: O_RDONLY)
        guard let size = try snapshotSize(file, waiting: false) else { return nil }
        return try verify(file, size: size, resume: resume)
    }

    /// `verify` of the first `size` bytes of `file` (whose lock the caller holds, if any). `observe` gets
    /// each entry whose rules hold and its line's start offset, in order (see `LedgerVerifier`).
    func verify(_ file: PosixFile, size: Int, resume: AuditState? = nil, rootAt: Int? = nil, taggingStatuses: Bool = false,
                progress: ((Int, Int) -> Void)? = nil, observe: ((SignedEntry, Int) -> Void)? = nil) throws -> Verification {
        var verifier = LedgerVerifier(archive: archive, keepingRecords: false)
        var start = 0
        if let resume {
            if let failure = try resume.check(file, size: size) {
                return Verification(report: VerificationReport(entries: resume.state.size, head: resume.state.head, failure: failure),
                                    state: resume.state, rootAtRequestedSize: nil, verifiedBytes: resume.offset)
            }
            verifier = LedgerVerifier(archive: archive, resuming: resume.state)
            start = resume.offset
        }
        verifier.reserveClaimKeys(verifier.state.claimKeys.count + (size - start) / Self.bytesPerClaimEstimate,
                                  taggingStatuses: taggingStatuses)
        if let rootAt { verifier.requestRoot(atSize: rootAt) }
        let first = verifier.state.size
        // Lines go to the verifier in batches, pipelined: a batch's outcome is settled during the next
        // ones or by `finish`. `ends` holds where each line not yet known to be verified ends (line
        // `first + endsBase + i` ends at `ends[i]`), so that `verifiedBytes` can be found afterwards.
        var batch = [[UInt8]]()
        batch.reserveCapacity(Self.batchSize)
        var starts = [Int]()
        var ends = [Int](), endsBase = 0
        func submit() {
            guard !batch.isEmpty else { return }
            if let observe {
                // The batch is applied during a later call: its line starts go with it.
                let batchStarts = starts
                verifier.submit(lines: batch) { i, signed in observe(signed, batchStarts[i]) }
            } else {
                verifier.submit(lines: batch)
            }
            batch.removeAll(keepingCapacity: true)
            starts.removeAll(keepingCapacity: true)
            let settledLines = verifier.settledEntries - first - endsBase
            if settledLines > Self.batchSize {
                // Keep the end of the last settled line: it is `verifiedBytes` if nothing more verifies.
                ends.removeFirst(settledLines - 1)
                endsBase += settledLines - 1
            }
        }
        let reader = EntryLineReader(file: file, size: size, start: start)
        let end = try reader.forEachLine(progress: { progress?($0 - start, size - start) }) { line, lineStart in
            batch.append(line)
            starts.append(lineStart)
            ends.append(lineStart + line.count + 1)
            if batch.count == Self.batchSize { submit() }
            return !verifier.stopped
        }
        submit()
        switch end {
        case .torn(let tail): _ = verifier.finish(tornTail: tail)
        case .tornOverlong(let length, _): verifier.fail(Self.tornLine(length: length))
        case .overlong: verifier.fail(LedgerError(.lineTooLong, "a line is longer than \(LedgerLimits.maxLineBytes) bytes"))
        case .complete, .stopped: break
        }
        let report = verifier.finish()
        let verifiedLines = report.entries - first
        let verifiedBytes = verifiedLines == 0 ? start : ends[verifiedLines - 1 - endsBase]
        return Verification(report: report, state: verifier.state, rootAtRequestedSize: verifier.requestedRoot,
                            verifiedBytes: verifiedBytes)
    }

    /// The state of a ledger that verifies in full; otherwise the first failure as a `LedgerError`.
    public func verifiedState() throws -> LedgerState {
        let file = try PosixFile(path: entriesPath, flags: O_RDONLY)
        return try replay(file, size: try snapshotSize(file))
    }

    /// Replays and verifies the first `size` bytes one line at a time, keeping every record (queries
    /// in a directory that cannot hold the writers' index, and after the index contradicted an entry).
    func replay(_ file: PosixFile, size: Int) throws -> LedgerState {
        var verifier = LedgerVerifier(archive: archive)
        let end = try EntryLineReader(file: file, size: size).forEachLine { line, _ in
            verifier.verify(line: line)
            return verifier.failure == nil
        }
        if case .torn(let tail) = end {
            throw StoreError(.tornLedger, "the ledger's last line is torn (\(tail.count) bytes without a newline, after entry \(verifier.state.size - 1)): run `claimledger recover` first")
        }
        if case .tornOverlong(let length, _) = end {
            throw StoreError(.tornLedger, "the ledger's last line is torn (\(length) bytes without a newline, after entry \(verifier.state.size - 1)): run `claimledger recover` first")
        }
        if case .overlong = end { verifier.fail(LedgerError(.lineTooLong, "a line is longer than \(LedgerLimits.maxLineBytes) bytes")) }
        if let failure = verifier.finish().failure {
            throw StoreError(.invalidLedger, "the ledger does not verify at \(failure.description): run `claimledger verify`")
        }
        return verifier.state
    }

    /// A last line without its newline, too long to hold: reported as torn (FORMAT.md 2.5), as a short one is.
    static func tornLine(length: Int) -> LedgerError {
        LedgerError(.tornLine, "the last line (\(length) bytes) has no newline: an append did not complete; run `claimledger recover`")
    }

    /// The file's size, read under a shared lock: a prefix of complete appends (FORMAT.md 2.4).
    func snapshotSize(_ file: PosixFile) throws(StoreError) -> Int {
        try snapshotSize(file, waiting: true)!  // only a reader that does not wait gets nil
    }

    /// `snapshotSize`, or without `waiting` nil at once when a writer holds the writers' lock.
    func snapshotSize(_ file: PosixFile, waiting: Bool) throws(StoreError) -> Int? {
        if waiting {
            try file.lock(LOCK_SH)
        } else if try !file.tryLock(LOCK_SH) {
            return nil
        }
        defer { file.unlock() }
        return try file.size()
    }
}
