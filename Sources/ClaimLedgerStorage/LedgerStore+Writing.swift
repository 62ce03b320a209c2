import ClaimLedgerCore
import Glibc
import LedgerCrypto
import Merkle

extension LedgerStore {
    /// Appends `drafts` as one batch signed by `key`: all of them, durably, or none. Returns the new entries
    /// and the state after them. The ledger must verify before anything is appended.
    @discardableResult
    public func append(_ drafts: [Draft], key: Ed25519PrivateKey, time: Timestamp) throws -> ([SignedEntry], LedgerState) {
        let (file, size) = try openForWriting()
        defer { file.unlock() }
        let (index, resumedTree) = try writerIndex(file, size: size)
        let state = index.state
        var resolver = DraftResolver(state: state, archive: archive)
        let payloads = try resolver.resolve(drafts)
        let (entries, next) = try EntryAppender.append(payloads, to: state, key: key, time: time, archive: resolver.archive)
        for bytes in resolver.archive.pending.values { try archive.store(bytes) }
        try commit(entries, state: next, to: file, size: size, index: index, tree: resumedTree)
        return (entries, next)
    }

    /// Appends a batch of `newBytes` bytes, written by `write`, to the `size` bytes of `file` (under the
    /// writers' lock): durably and whole, or not at all. The marker, written durably first with both
    /// sizes, makes it all or nothing even when power fails mid-write (the disk may keep part of it): until
    /// it is removed, the next writer or `recover` cuts the file back. On a failure the file is cut back here.
    func writeBatch(_ file: PosixFile, size: Int, newBytes: Int, write: () throws -> Void) throws {
        try FileSystem.writeAtomically(Array("\(size) \(size + newBytes)\n".utf8), to: appendMarkerPath, directory: directory)
        do {
            try write()
            let written = try file.size()
            guard written == size + newBytes else {
                throw StoreError(.io, "the batch should have brought entries.jsonl to \(size + newBytes) bytes, not \(written)")
            }
            try file.sync()
        } catch {
            // Without the cut, the marker stays: the next writer refuses and `recover` cuts.
            if (try? file.truncate(to: size)) != nil, (try? file.sync()) != nil { unlink(appendMarkerPath) }
            throw error
        }
        // The removal need not be durable: a marker that comes back after a crash finds the file at its
        // size after, and is removed then; the next append's marker is written durably (its rename and the
        // directory's fsync) before any of its lines, so the marker on disk is never an older one.
        unlink(appendMarkerPath)
    }

    /// `append-in-progress`: `<size before> <size after>` of an append that has not finished. Written
    /// durably before the append's lines, removed after their fsync (FORMAT.md section 2.4).
    var appendMarkerPath: String { directory + "/append-in-progress" }

    /// Settles a marker left by an append that stopped (a crash, a power loss): when `entries.jsonl` has
    /// the size before or after that append, the append is absent or complete and the marker is simply
    /// removed. Otherwise part of the batch is there: with `rollBack` the file is cut back to its size
    /// before the batch (returns the bytes removed); without, the writer refuses until `recover`.
    @discardableResult
    func settleUnfinishedAppend(_ file: PosixFile, rollBack: Bool) throws -> Int {
        guard FileSystem.exists(appendMarkerPath) else { return 0 }
        let text = String(decoding: try InputFiles.read(appendMarkerPath, limit: 64, what: "append marker"), as: UTF8.self)
        let sizes = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
        let size = try file.size()
        var removed = 0
        if sizes.count == 2, sizes[0] >= 0, sizes[0] < size, size != sizes[1] {
            guard rollBack else {
                throw StoreError(.tornLedger, "an append did not finish (\(size - sizes[0]) of its \(sizes[1] - sizes[0]) bytes are in entries.jsonl): run `claimledger recover`, which removes them")
            }
            try file.truncate(to: sizes[0])
            try file.sync()
            removed = size - sizes[0]
        }
        unlink(appendMarkerPath)
        try FileSystem.syncDirectory(directory)
        return removed
    }

    /// The writers' index at `size` bytes, under the writers' lock, and the tree-hash sync positioned
    /// there: the saved index when the ledger's files are unchanged since it was written, else one rebuilt
    /// from a full verification (which also checks and repairs `tree/hashes`).
    /// `entries.jsonl` opened for appending under the writers' lock (the caller unlocks it), after an
    /// unfinished append was settled, and its size then.
    func openForWriting() throws -> (PosixFile, Int) {
        let file = try PosixFile(path: entriesPath, flags: O_RDWR | O_APPEND)
        try file.lock(LOCK_EX)
        do {
            try settleUnfinishedAppend(file, rollBack: false)
            return (file, try file.size())
        } catch {
            file.unlock()
            throw error
        }
    }

    func writerIndex(_ file: PosixFile, size: Int) throws -> (WriterIndex, TreeHashSync?) {
        let treeFile = try? TreeHashFile(ledgerDirectory: directory, writable: true)
        if let index = WriterIndex.open(self, entries: file, size: size, writable: true) {
            return (index, treeFile.flatMap { TreeHashSync($0, resuming: index.state.tree) })
        }
        var sync = treeFile.map(TreeHashSync.init)
        let index = try WriterIndex.rebuild(self, file: file, size: size, tree: &sync)
        _ = try? sync?.finish()
        return (index, sync)
    }

    public struct Recovery: Sendable {
        public let removedBytes: Int
        public let keptEntries: Int
        public let preview: String
        /// Bytes of an unfinished append (complete lines included) removed by its marker.
        public var unfinishedAppendBytes = 0
        /// Temporary files of interrupted atomic writes removed (or, dry run, found).
        public var temporaryFiles: [String] = []
    }

    /// Removes a torn last line (bytes after the last newline), if any, under the writers' lock.
    public func recover(dryRun: Bool = false) throws -> Recovery {
        let file = try PosixFile(path: entriesPath, flags: O_RDWR)
        try file.lock(LOCK_EX)
        defer { file.unlock() }
        let unfinished = dryRun ? 0 : try settleUnfinishedAppend(file, rollBack: true)
        let temporary = try removeInterruptedWrites(dryRun: dryRun)
        let size = try file.size()
        var lines = 0
        let end = try EntryLineReader(file: file, size: size).forEachLine { _, _ in lines += 1; return true }
        let torn: (length: Int, prefix: [UInt8])
        switch end {
        case .torn(let tail): torn = (tail.count, Array(tail.prefix(60)))
        case .tornOverlong(let length, let prefix): torn = (length, prefix)
        case .complete, .stopped, .overlong:
            return Recovery(removedBytes: 0, keptEntries: lines, preview: "", unfinishedAppendBytes: unfinished, temporaryFiles: temporary)
        }
        let preview = String(decoding: torn.prefix.prefix(60), as: UTF8.self)
        if !dryRun {
            try file.truncate(to: size - torn.length)
            try file.sync()
        }
        return Recovery(removedBytes: torn.length, keptEntries: lines, preview: preview, unfinishedAppendBytes: unfinished,
                        temporaryFiles: temporary)
    }
}
