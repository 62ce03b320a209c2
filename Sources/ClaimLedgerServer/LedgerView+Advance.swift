import ClaimLedgerCore
import ClaimLedgerSite
import ClaimLedgerStorage
import Glibc
import LedgerCrypto

/// Verifying what follows a snapshot, and the file facts the view looks at.
extension LedgerView {
    /// Verifies what follows `previous` and returns the next snapshot. Always resumes (from an empty
    /// state that keeps records, the first time): a fresh verification would keep only claim keys.
    static func advance(_ store: LedgerStore, from previous: ViewSnapshot) throws -> ViewSnapshot {
        try snapshot(after: try store.verify(resume: AuditState(state: previous.state, offset: previous.verifiedBytes)), from: previous, store)
    }

    /// `advance`, or nil at once when another writer holds the writers' lock.
    static func advanceUnlessWriting(_ store: LedgerStore, from previous: ViewSnapshot) throws -> ViewSnapshot? {
        let resume = AuditState(state: previous.state, offset: previous.verifiedBytes)
        return try store.verifyUnlessWriting(resume: resume).map { outcome in try snapshot(after: outcome, from: previous, store) }
    }

    /// The snapshot after `previous` that a verification resumed from it gives.
    static func snapshot(after outcome: LedgerStore.Verification, from previous: ViewSnapshot, _ store: LedgerStore,
                         leaves: (hashes: [SHA256Digest], lineStarts: [Int])? = nil) throws -> ViewSnapshot {
        var state = previous.state
        var verifiedBytes = previous.verifiedBytes
        var failure = outcome.report.failure.map { $0.description }
        var failureCode = outcome.report.failure?.code.rawValue
        // The state is taken only when it is exactly the verified entries (after a failed batch it may
        // hold entries whose signatures were not checked).
        if outcome.state.size == outcome.report.entries, outcome.state.size > previous.state.size || previous.state.size == 0 {
            let (hashes, starts) = try leaves ?? leafHashes(store.entriesPath, from: previous.verifiedBytes, to: outcome.verifiedBytes)
            try previous.tree.append(hashes, lineStarts: starts, expecting: outcome.state.size, root: outcome.state.rootHash)
            state = outcome.state
            verifiedBytes = outcome.verifiedBytes
        } else if outcome.state.size != outcome.report.entries, failure == nil {
            failure = "verification stopped at entry \(outcome.report.entries)"
        }
        var checkpoint: CheckpointStatus?
        if state.size > 0 {
            let found = latestCheckpoint(store, state: state, tree: previous.tree)
            checkpoint = found.checkpoint
            failure = failure ?? found.failure
            failureCode = failureCode ?? found.failureCode
        }
        let next = ViewSnapshot(state: state, tree: previous.tree, verifiedBytes: verifiedBytes, checkpoint: checkpoint,
                                failure: failure, failureCode: failureCode, warningCount: outcome.report.warningCount,
                                warnings: outcome.report.warnings, generation: previous.generation + 1)
        return next
    }

    /// The latest stored checkpoint verified against `state` (`CheckpointStatus.latest`), or why none is shown.
    static func latestCheckpoint(_ store: LedgerStore, state: LedgerState, tree: ViewHashes)
        -> (checkpoint: CheckpointStatus?, failure: String?, failureCode: String?)
    {
        do { return (try CheckpointStatus.latest(in: store.directory, state: state, tree: tree.reader(size: state.size)), nil, nil) } catch {
            return (nil, "stored checkpoint: \(error)", (error as? LedgerError)?.code.rawValue ?? "checkpoint-rejected")
        }
    }

    /// The leaf hashes of the verified lines in bytes `[from, to)`: each line's `hash` member, which
    /// verification just recomputed and compared (the tree root is checked against the verified one);
    /// and where each line starts in the file.
    static func leafHashes(_ path: String, from: Int, to: Int) throws -> (hashes: [SHA256Digest], lineStarts: [Int]) {
        guard to > from else { return ([], []) }
        let bytes = try ReadOnlyFile.read(path, at: from, count: to - from)
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

    /// Changes when a checkpoint is stored (the directory's modification time and size); and whether it is
    /// settled: the directory last changed more than `unsettledSeconds` before it was looked at. A stamp read
    /// in the same clock tick as a change may not change again for a second change in that tick (a new
    /// checkpoint's temporary file, then its rename), so an unsettled stamp is not trusted to say "nothing
    /// changed" where that matters (`adopt`), as git treats an index entry as racily clean.
    static func checkpointStamp(_ directory: String) -> (stamp: Int64, settled: Bool) {
        var st = stat()
        guard stat(directory + "/checkpoints", &st) == 0 else { return (-1, true) }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let settled = Int64(now.tv_sec) - Int64(st.st_mtim.tv_sec) > unsettledSeconds
        return (Int64(st.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_mtim.tv_nsec) &+ Int64(st.st_size) &* 31, settled)
    }

    /// How recent a change of the checkpoint directory leaves its stamp unsettled (whole seconds, so 2 to 3 s).
    static let unsettledSeconds: Int64 = 2
}
