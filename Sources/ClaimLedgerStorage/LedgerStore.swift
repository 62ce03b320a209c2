import ClaimLedgerCore
import Glibc
import LedgerCrypto

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
        let entry = Entry(seq: 0, prev: .zero, time: time, signer: rootKey.publicKey.keyID, payload: .genesis(genesis))
        let signed = try SignedEntry.sign(entry, with: rootKey)
        var state = LedgerState()
        try state.apply(signed, archive: store.archive)
        try FileSystem.makeDirectory(directory)
        try FileSystem.makeDirectory(directory + "/sources")
        try FileSystem.makeDirectory(directory + "/sources/sha256")
        try FileSystem.createExclusive(signed.line + [0x0A], at: store.entriesPath, mode: 0o644)
        try FileSystem.syncDirectory(directory)
        return store
    }

    /// Verifies every entry, streaming. `progress` gets (bytes read, total bytes).
    public func verify(progress: ((Int, Int) -> Void)? = nil) throws -> VerificationReport {
        let file = try PosixFile(path: entriesPath, flags: O_RDONLY)
        let size = try snapshotSize(file)
        var verifier = LedgerVerifier(archive: archive)
        let end = try EntryLineReader(file: file, size: size).forEachLine(progress: { progress?($0, size) }) { line, _ in
            verifier.verify(line: line)
            return verifier.failure == nil
        }
        switch end {
        case .torn(let tail): return verifier.finish(tornTail: tail)
        case .overlong:
            verifier.fail(LedgerError(.lineTooLong, "a line is longer than \(LedgerLimits.maxLineBytes) bytes"))
            return verifier.finish()
        case .complete, .stopped: return verifier.finish()
        }
    }

    /// The state of a ledger that verifies in full; otherwise the first failure as a `LedgerError`.
    public func verifiedState() throws -> LedgerState {
        let file = try PosixFile(path: entriesPath, flags: O_RDONLY)
        return try replay(file, size: try snapshotSize(file))
    }

    private func replay(_ file: PosixFile, size: Int) throws -> LedgerState {
        var verifier = LedgerVerifier(archive: archive)
        let end = try EntryLineReader(file: file, size: size).forEachLine { line, _ in
            verifier.verify(line: line)
            return verifier.failure == nil
        }
        if case .torn(let tail) = end {
            throw StoreError(.tornLedger, "the ledger's last line is torn (\(tail.count) bytes without a newline, after entry \(verifier.state.size - 1)): run `claimledger recover` first")
        }
        if case .overlong = end { verifier.fail(LedgerError(.lineTooLong, "a line is longer than \(LedgerLimits.maxLineBytes) bytes")) }
        if let failure = verifier.finish().failure { throw failure }
        return verifier.state
    }

    private func snapshotSize(_ file: PosixFile) throws(StoreError) -> Int {
        try file.lock(LOCK_SH)
        defer { file.unlock() }
        return try file.size()
    }

    /// Appends `drafts` as one batch signed by `key`: all of them, durably, or none. Returns the new entries
    /// and the state after them. The ledger must verify before anything is appended.
    @discardableResult
    public func append(_ drafts: [Draft], key: Ed25519PrivateKey, time: Timestamp) throws -> ([SignedEntry], LedgerState) {
        let file = try PosixFile(path: entriesPath, flags: O_RDWR | O_APPEND)
        try file.lock(LOCK_EX)
        defer { file.unlock() }
        let size = try file.size()
        let state = try replay(file, size: size)
        var resolver = DraftResolver(state: state, archive: archive)
        let payloads = try resolver.resolve(drafts)
        let (entries, next) = try EntryAppender.append(payloads, to: state, key: key, time: time, archive: resolver.archive)
        for bytes in resolver.archive.pending.values { try archive.store(bytes) }
        var out = [UInt8]()
        for e in entries { out += e.line; out.append(0x0A) }
        do {
            try file.write(out)
            try file.sync()
        } catch {
            try? file.truncate(to: size)
            try? file.sync()
            throw error
        }
        return (entries, next)
    }

    public struct Recovery: Sendable {
        public let removedBytes: Int
        public let keptEntries: Int
        public let preview: String
    }

    /// Removes a torn last line (bytes after the last newline), if any, under the writers' lock.
    public func recover(dryRun: Bool = false) throws -> Recovery {
        let file = try PosixFile(path: entriesPath, flags: O_RDWR)
        try file.lock(LOCK_EX)
        defer { file.unlock() }
        let size = try file.size()
        var lines = 0
        let end = try EntryLineReader(file: file, size: size).forEachLine { _, _ in lines += 1; return true }
        guard case .torn(let tail) = end else { return Recovery(removedBytes: 0, keptEntries: lines, preview: "") }
        let preview = String(decoding: tail.prefix(60), as: UTF8.self)
        if !dryRun {
            try file.truncate(to: size - tail.count)
            try file.sync()
        }
        return Recovery(removedBytes: tail.count, keptEntries: lines, preview: preview)
    }
}
