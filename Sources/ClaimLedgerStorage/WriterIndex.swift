import CanonicalJSON
import ClaimLedgerCore
import Glibc
import LedgerCrypto

/// The writers' index (FORMAT.md section 2.3): what appends and queries need, found in O(1) whatever the
/// ledger's size. Three derived files under `index/`:
/// - `head.json`: the verified state without its claims (size, head, time, tree edge, keys, sources),
///   the byte offset it covers, the start of the last line, the claim count, and the stamps (size,
///   mtime, inode) of `entries.jsonl`, of the two files below and of every archived source, under a
///   SHA-256 digest of the rest;
/// - `entries`: each entry's line offset and its claim-history link (`EntryIndexFile`);
/// - `claims`: the claim hash table (`ClaimTable`).
///
/// It is used only when every stamp still matches and the line ending at the recorded offset is still
/// the recorded head entry; otherwise it is rebuilt from a full verification. Only writers (under the
/// writers' lock) write it, after the entries they append are durable. Deleting it loses nothing.
final class WriterIndex {
    static let format = "claimledger-index/3"
    static let headLimit = 64 << 20

    /// The ledger directory, and the directory holding `index/` (the ledger's own, or a scratch
    /// directory for a ledger this process cannot write).
    let directory: String, base: String
    private(set) var state: LedgerState
    private(set) var offset: Int
    private(set) var lastLineStart: Int
    let table: ClaimTable
    private(set) var entryIndex: EntryIndexFile?
    /// Entries `apply` recorded that `commit` has not yet made part of `state`.
    private var appliedEntries = 0

    static func headPath(_ base: String) -> String { base + "/index/head.json" }
    static func entriesPath(_ base: String) -> String { base + "/index/entries" }
    static func claimsPath(_ base: String) -> String { base + "/index/claims" }

    private init(directory: String, base: String, state: LedgerState, offset: Int, lastLineStart: Int, table: ClaimTable,
                 entryIndex: EntryIndexFile?) {
        self.directory = directory
        self.base = base
        self.state = state
        self.offset = offset
        self.lastLineStart = lastLineStart
        self.table = table
        self.entryIndex = entryIndex
        self.state.earlierClaims = table
        self.state.earlierClaimsTrackNewClaims = false
    }

    /// The index of `store` when it describes exactly the `size` bytes of `entries`; nil otherwise.
    static func open(_ store: LedgerStore, entries: PosixFile, size: Int, writable: Bool) -> WriterIndex? {
        let dir = store.directory
        guard let bytes = try? InputFiles.read(headPath(dir), limit: headLimit, what: "index"),
              let json = try? JSONParser.parse(bytes, limits: AuditState.jsonLimits),
              json["format"]?.stringValue == format, let digest = json["digest"]?.stringValue,
              digest == Self.digest(of: json), json["offset"]?.integerValue == size,
              let lastLine = json["lastLine"]?.integerValue, lastLine >= 0, lastLine < size,
              let stateJSON = json["state"], let state = try? LedgerState(snapshot: stateJSON), !state.keepsRecords,
              state.claimKeys.isEmpty, state.size >= 1,
              let table = ClaimTable(path: claimsPath(dir), writable: writable), json["claims"]?.integerValue == table.count,
              let entryIndex = EntryIndexFile(path: entriesPath(dir), entries: state.size, writable: writable),
              let files = stamps(store, base: dir, state: state), json["files"] == files
        else { return nil }
        // The stamps say nothing changed; the last line is checked anyway (it is one read).
        guard let line = try? entries.read(at: lastLine, count: size - lastLine), line.last == 0x0A,
              !line.dropLast().contains(0x0A), let last = try? SignedEntry.parse(line: Array(line.dropLast())),
              last.entry.seq == state.size - 1, last.hash == state.head, last.entry.time == state.lastTime
        else { return nil }
        return WriterIndex(directory: dir, base: dir, state: state, offset: size, lastLineStart: lastLine, table: table, entryIndex: entryIndex)
    }

    /// Rebuilds the index in `base` (default: the ledger directory) from a full verification of the
    /// `size` bytes of `file` (under the writers' lock), checking and repairing `tree` on the way. Memory
    /// stays small: the claim table is a file from the start and records are written as they come.
    /// Throws when the ledger does not verify.
    static func rebuild(_ store: LedgerStore, file: PosixFile, size: Int, base: String? = nil,
                        tree: inout TreeHashSync?, progress: ((Int, Int) -> Void)? = nil) throws -> WriterIndex {
        let base = base ?? store.directory
        try FileSystem.makeDirectory(base + "/index")
        unlink(headPath(base))
        // Sized for a claim per 896 bytes of entries (a claim and its statuses take more), so that the
        // table rarely grows during the rebuild; when it must, it grows on disk (`ClaimTable.grow`).
        let table = try ClaimTable(creating: claimsPath(base), roomFor: max(1024, size / LedgerStore.bytesPerClaimEstimate))
        let records = try PosixFile(path: entriesPath(base), flags: O_WRONLY | O_CREAT | O_TRUNC)
        var pending = EntryIndexFile.magic
        var lastStart = 0
        var observeError: Error?
        var sync = tree
        defer { tree = sync }
        var start = LedgerState(keepingRecords: false)
        start.earlierClaims = table
        start.earlierClaimsTrackNewClaims = true
        let verification = try store.verify(file, size: size, resume: AuditState(state: start, offset: 0), progress: progress,
                                            observe: { signed, lineStart in
            guard observeError == nil else { return }
            do {
                // The state recorded the claim and its facts in the table already (it tracks new claims there).
                pending += EntryIndexFile.encode([try Self.link(AppendedEntry(signed, lineStart: lineStart), seq: signed.entry.seq,
                                                                table: table, signer: nil)])
                if pending.count >= 1 << 20 {
                    try records.write(pending)
                    pending.removeAll(keepingCapacity: true)
                }
                lastStart = lineStart
                do { try sync?.add(leafHash: signed.hash) } catch { sync = nil }  // derived: the next writer retries
            } catch { observeError = error }
        })
        if let observeError { throw observeError }
        if let failure = verification.report.failure {
            if failure.code == LedgerError.Code.tornLine {
                throw StoreError(.tornLedger, "the ledger's last line is torn (after entry \(verification.report.entries - 1)): run `claimledger recover` first")
            }
            throw StoreError(.invalidLedger, "the ledger does not verify at \(failure.description): run `claimledger verify`")
        }
        try records.write(pending)
        let index = WriterIndex(directory: store.directory, base: base, state: verification.state, offset: verification.verifiedBytes,
                                lastLineStart: lastStart, table: table,
                                entryIndex: EntryIndexFile(path: entriesPath(base), entries: verification.state.size, writable: true))
        try table.save()
        try index.save(store)
        return index
    }

    /// The link record of entry `seq` and its effect on the claim table. With `signer` (an append: the
    /// key index of the batch's signer), a new claim is inserted and the facts a status or an amend
    /// changes are written, as `LedgerState` computes them (ClaimFacts); without (a rebuild), the
    /// verifying state did both and only the history chain is written.
    private static func link(_ e: AppendedEntry, seq: Int, table: ClaimTable, signer: UInt32?) throws -> EntryIndexFile.Record {
        guard let key = e.claim else { return .init(lineStart: e.lineStart, type: e.type, previous: nil) }
        if e.type == .claim {
            if let signer { try table.insert(key, claimSeq: seq, facts: ClaimFacts(recorder: signer)) }
            return .init(lineStart: e.lineStart, type: .claim, previous: nil)
        }
        let previous = try table.chain(key, seq: seq, status: e.status)
        if let signer, e.type == .status || e.amend != nil, var facts = try table.lookup(key)?.facts {
            if e.type == .status { facts.noteStatus(e.hash, signer: signer) }
            if let retract = e.amend { facts.noteAmend(retract: retract) }
            try table.record(key, facts: facts, claimSeq: nil)
        }
        return .init(lineStart: e.lineStart, type: e.type, previous: previous)
    }

    /// Records entries just appended (durably) after the indexed ones, and the state after them.
    func record(_ entries: [SignedEntry], lineStarts: [Int], end: Int, state next: LedgerState, store: LedgerStore) throws {
        let newClaims = entries.count { if case .claim = $0.entry.payload { true } else { false } }
        try record(newClaims: newClaims, end: end, state: next, store: store) { add in
            try add(zip(entries, lineStarts).map { AppendedEntry($0, lineStart: $1, signer: next.keyIndex(of: $0.entry.signer)) })
        }
    }

    /// Records a batch just appended (durably) after the indexed entries, ending at byte `end`, and the
    /// state after it. `chunks` hands the batch's entries, in order, a chunk at a time, to the function it
    /// is given, so that the batch need not be in memory at once.
    func record(newClaims: Int, end: Int, state next: LedgerState, store: LedgerStore,
                chunks: (([AppendedEntry]) throws -> Void) throws -> Void) throws {
        let lastStart = try apply(newClaims: newClaims, chunks: chunks)
        try commit(end: end, lastLineStart: lastStart, state: next, store: store)
    }

    /// The first half of `record`: removes the head, then writes the claim table's slots and header and
    /// the entry records of a batch after the indexed entries, and returns the start of its last line. It
    /// may run before the batch is durable (an import does it while the lines are copied): until
    /// `commit` writes a new head, nothing it wrote is believed, and without that head the next writer
    /// rebuilds the index. Changes nothing in memory but the table, so that a batch that fails leaves
    /// no object that trusts it either (the caller drops this index).
    func apply(newClaims: Int, chunks: (([AppendedEntry]) throws -> Void) throws -> Void) throws -> Int {
        unlink(Self.headPath(base))  // until the new head is written, nothing is believed
        if (table.count + newClaims) * 10 > table.capacity * 7 {  // once, on disk, rather than doubling
            try table.grow(toHold: table.count + newClaims)
        }
        guard let entryIndex else { throw IndexDamage("no entry index") }
        var seq = state.size, lastStart = lastLineStart
        try chunks { entries in
            var records = [EntryIndexFile.Record]()
            records.reserveCapacity(entries.count)
            for e in entries {
                records.append(try Self.link(e, seq: seq + records.count, table: table, signer: e.signer ?? ClaimFacts.unknownKey))
                lastStart = e.lineStart
            }
            try entryIndex.append(records, after: seq)
            seq += records.count
        }
        appliedEntries = seq - state.size
        try table.save()
        return lastStart
    }

    /// The second half of `record`, once the batch `apply` wrote is durable (its `fsync` succeeded): the
    /// state after it, and the head that makes the index believed again.
    func commit(end: Int, lastLineStart lastStart: Int, state next: LedgerState, store: LedgerStore) throws {
        guard state.size + appliedEntries == next.size else {
            throw IndexDamage("the batch has \(appliedEntries) entries, the state \(next.size - state.size)")
        }
        state = next
        offset = end
        lastLineStart = lastStart
        appliedEntries = 0
        try save(store)
    }

    /// Saves the head; the claim table and the entry records are already written (`apply`, `rebuild`).
    private func save(_ store: LedgerStore) throws {
        let dir = base + "/index"
        unlink(Self.headPath(base))  // until the new head is written, nothing is believed
        var lean = state.snapshot(includingClaimKeys: false)
        if case .object(var o) = lean {
            o["claimKeys"] = .array([])
            o["claims"] = nil
            lean = .object(o)
        }
        var head: JSONValue = ["format": .string(Self.format), "offset": .number(Double(offset)),
                               "lastLine": .number(Double(lastLineStart)), "claims": .number(Double(table.count)),
                               "state": lean, "files": Self.stamps(store, base: base, state: state) ?? .null]
        guard case .object(var o) = head, let digest = Self.digest(of: head) else { return }
        o["digest"] = .string(digest)
        head = .object(o)
        try FileSystem.writeAtomically(try JCS.canonicalize(head) + [0x0A], to: Self.headPath(base), directory: dir, durable: false)
    }

    /// SHA-256 of the canonical form of the head without its `digest` member.
    private static func digest(of head: JSONValue) -> String? {
        guard case .object(var o) = head else { return nil }
        o["digest"] = nil
        return (try? JCS.canonicalize(.object(o))).map { SHA256.hash($0).hex }
    }

    /// `"<size> <mtime ns> <inode>"` of `entries.jsonl`, the index's binary files and every source of `state`.
    private static func stamps(_ store: LedgerStore, base: String, state: LedgerState) -> JSONValue? {
        var files = [String: JSONValue]()
        var paths = ["entries.jsonl", "index/entries", "index/claims"]
        paths += state.sourceOrder.map { "sources/sha256/\($0.hex)" }
        for p in paths {
            var st = stat()
            guard stat((p.hasPrefix("index/") ? base : store.directory) + "/" + p, &st) == 0 else { return nil }
            files[p] = .string("\(st.st_size) \(Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)) \(st.st_ino)")
        }
        return .object(files)
    }
}

/// What the index records of an entry just appended: where its line starts, its hash, the key index of
/// its signer, and for the entries of a claim's history (claim, status, amend, position, review, link
/// from it) the claim's key, with the status of a status entry and whether an amend retracts.
struct AppendedEntry {
    var lineStart: Int
    var type: EntryType
    var hash: SHA256Digest
    var signer: UInt32?
    var claim: ClaimKey?
    var status: ClaimStatus?
    /// For an amend entry: true when it retracts the claim, false when it corrects its text, nil when it
    /// only states its kind (a classification, which changes no fact).
    var amend: Bool?

    init(lineStart: Int, type: EntryType, hash: SHA256Digest, signer: UInt32?, claim: ClaimKey?, status: ClaimStatus?, amend: Bool?) {
        self.lineStart = lineStart
        self.type = type
        self.hash = hash
        self.signer = signer
        self.claim = claim
        self.status = status
        self.amend = amend
    }

    init(_ signed: SignedEntry, lineStart: Int, signer: UInt32? = nil) {
        let (claim, status, amend) = Self.history(of: signed.entry.payload)
        self.init(lineStart: lineStart, type: signed.entry.type, hash: signed.hash, signer: signer, claim: claim, status: status, amend: amend)
    }

    /// The claim whose history a payload joins, its status (status entries) and retraction (amend entries).
    static func history(of payload: Payload) -> (ClaimKey?, ClaimStatus?, Bool?) {
        switch payload {
        case .claim(let c): (ClaimKey(c.id), nil, nil)
        case .status(let s): (ClaimKey(s.claim), s.status, nil)
        case .amend(let a):
            switch a.action {
            case .retract: (ClaimKey(a.claim), nil, true)
            case .correct(let changes): (ClaimKey(a.claim), nil, changes.changesText ? false : nil)  // kind only: no fact
            }
        case .position(let p): (ClaimKey(p.claim), nil, nil)
        case .review(let r): (ClaimKey(r.claim), nil, nil)
        case .link(let l): (ClaimKey(l.from), nil, nil)
        default: (nil, nil, nil)
        }
    }
}

/// The index disagrees with the entries it describes: it is rebuilt.
struct IndexDamage: Error {
    let detail: String
    init(_ detail: String) { self.detail = detail }
}
