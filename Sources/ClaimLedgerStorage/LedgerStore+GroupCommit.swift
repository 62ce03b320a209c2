import ClaimLedgerCore
import Glibc
import LedgerCrypto

/// Group commit: the requests of many writers (a server's queue) appended under one lock with one write
/// and one fsync, so that one fsync serves them all. On disk a group is one batch (FORMAT.md 2.4): the
/// `append-in-progress` marker covers all of it, so a crash leaves all of the group or none of it.
extension LedgerStore {
    /// One writer's request: its drafts, signed with its key, at its time.
    public struct AppendRequest: Sendable {
        public var drafts: [Draft]
        public var key: Ed25519PrivateKey
        public var time: Timestamp

        public init(drafts: [Draft], key: Ed25519PrivateKey, time: Timestamp) {
            self.drafts = drafts
            self.key = key
            self.time = time
        }
    }

    /// Appends each request's entries, in order, under ONE lock and ONE fsync. A request whose drafts are
    /// refused (its `LedgerError`: a bad quote, an unknown claim, a key without the role …) gets that error
    /// and does not stop the others; nothing of it is written, and the requests after it are resolved
    /// against the state after the accepted ones, exactly as if each had been appended on its own in
    /// order. A request without drafts is refused (`empty`).
    ///
    /// The results are in the order of `requests`. An accepted request's entries are durable when this
    /// returns; when it throws (the lock, the file system, a torn ledger), nothing of the group is written
    /// and no request may be acknowledged. Returns the state after the group.
    ///
    /// `willWrite` is called under the lock, once the group is checked and before its bytes are written,
    /// with the offset in `entries.jsonl` where they will start (not called when nothing is accepted).
    public func appendGroup(_ requests: [AppendRequest], willWrite: (Int) -> Void = { _ in })
        throws -> (results: [Result<[SignedEntry], any Error>], state: LedgerState)
    {
        let (file, size) = try openForWriting()
        defer { file.unlock() }
        let (index, resumedTree) = try writerIndex(file, size: size)
        var state = index.state
        var archived = GroupArchive(base: archive)
        var results = [Result<[SignedEntry], any Error>]()
        results.reserveCapacity(requests.count)
        var accepted = [SignedEntry]()
        for request in requests {
            do throws(LedgerError) {
                guard !request.drafts.isEmpty else { throw LedgerError(.empty, "the request holds nothing to append") }
                var resolver = DraftResolver(state: state, archive: archived)
                let payloads = try resolver.resolve(request.drafts)
                let (entries, next) = try EntryAppender.append(payloads, to: state, key: request.key, time: request.time,
                                                               archive: resolver.archive)
                archived.accept(resolver.archive.pending)
                state = next
                accepted += entries
                results.append(.success(entries))
            } catch {
                results.append(.failure(error))
            }
        }
        guard !accepted.isEmpty else { return (results, state) }
        for bytes in archived.pending.values { try archive.store(bytes) }
        willWrite(size)
        try commit(accepted, state: state, to: file, size: size, index: index, tree: resumedTree)
        return (results, state)
    }

    /// Cuts back an append that a crash left unfinished (its `append-in-progress` marker is still there
    /// and part of its batch is in `entries.jsonl`), under the writers' lock, and returns the bytes
    /// removed (0 when there was none). Safe for a server at start: under the lock, a marker belongs to
    /// a writer that died before its fsync returned, so nothing of that batch was ever acknowledged.
    /// Unlike `recover`, a torn line without a marker (damage from elsewhere) is left for a person.
    public func rollBackUnfinishedAppend() throws -> Int {
        let file = try PosixFile(path: entriesPath, flags: O_RDWR)
        try file.lock(LOCK_EX)
        defer { file.unlock() }
        return try settleUnfinishedAppend(file, rollBack: true)
    }

    /// Writes `entries` (already chained onto the state at `size` bytes and checked, `next` the state
    /// after them) as one batch under the writers' lock held on `file`: durably and whole, or not at all.
    /// Then brings the tree hashes and the writers' index up to date; they are derived, so a failure
    /// there loses nothing (the next writer repairs them).
    func commit(_ entries: [SignedEntry], state next: LedgerState, to file: PosixFile, size: Int,
                index: WriterIndex, tree resumedTree: TreeHashSync?) throws {
        var out = [UInt8]()
        out.reserveCapacity(entries.reduce(0) { $0 + $1.line.count + 1 })
        var lineStarts = [Int]()
        lineStarts.reserveCapacity(entries.count)
        for e in entries {
            lineStarts.append(size + out.count)
            out += e.line
            out.append(0x0A)
        }
        try writeBatch(file, size: size, newBytes: out.count) { try file.write(out) }
        var sync = resumedTree
        if sync != nil {
            for e in entries { try? sync?.add(leafHash: e.hash) }
            _ = try? sync?.finish()
        }
        do { try index.record(entries, lineStarts: lineStarts, end: size + out.count, state: next, store: self) } catch {
            unlink(WriterIndex.headPath(directory))
        }
    }
}

/// The ledger's archive plus the sources of the group's requests accepted so far (not yet stored), so
/// that a request can quote a source that an earlier request of the same group adds.
struct GroupArchive: SourceArchive {
    let base: SourceArchiveFiles
    private(set) var pending: [SHA256Digest: [UInt8]] = [:]

    init(base: SourceArchiveFiles) { self.base = base }

    mutating func accept(_ sources: [SHA256Digest: [UInt8]]) {
        pending.merge(sources) { old, _ in old }
    }

    func contents(of digest: SHA256Digest) throws(LedgerError) -> [UInt8]? {
        if let bytes = pending[digest] { return bytes }
        return try base.contents(of: digest)
    }
}
