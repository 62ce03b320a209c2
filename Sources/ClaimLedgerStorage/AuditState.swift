import CanonicalJSON
import ClaimLedgerCore
import LedgerCrypto

/// An auditor's record of a verified ledger (FORMAT.md "Audit state"): the replayed state and the byte
/// offset in `entries.jsonl` where its last entry's line ends. `verify --since` resumes from it and checks
/// only the lines after that offset, after confirming that the line ending there is still the entry it
/// verified (same seq, same hash), so a rewritten tail or a rollback is caught at once.
///
/// The file (`claimledger-audit/3`) is one line of canonical JSON (the state without its claim keys)
/// followed by the claim keys with their facts as sorted 60-byte records, so that resuming costs a read
/// of 60 bytes per claim and a lookup is a binary search, not a JSON parse of the whole state.
/// `claimledger-audit/2` (16-byte keys, no facts) and `/1` are still read.
public struct AuditState: Sendable {
    public static let format = "claimledger-audit/3"
    static let formatV2 = "claimledger-audit/2"
    static let formatV1 = "claimledger-audit/1"
    public let state: LedgerState
    public let offset: Int

    public init(state: LedgerState, offset: Int) {
        self.state = state
        self.offset = offset
    }

    static let jsonLimits = JSONLimits(maxBytes: 1 << 30, maxDepth: 16, maxStringBytes: 1 << 20, maxContainerCount: 100_000_000)
    static let fileLimit = 1 << 32

    public static func read(_ path: String) throws -> AuditState {
        let bytes = try InputFiles.read(path, limit: fileLimit, what: "audit state")
        let newline = bytes.firstIndex(of: 0x0A) ?? bytes.count
        let json: JSONValue
        do { json = try JSONParser.parse(Array(bytes[..<newline]), limits: jsonLimits) } catch {
            throw LedgerError(.invalidInput, "audit state \(path) is not an audit state (its first line is not valid JSON: \(error))")
        }
        do {
            if json["format"]?.stringValue == formatV1 && newline >= bytes.count - 1 { return try AuditState(v1: json) }
            return try AuditState(json: json, keys: Array(bytes[min(newline + 1, bytes.count)...]))
        } catch {
            throw LedgerError(.invalidInput, "audit state \(path): \(error.reason)")
        }
    }

    private init(v1 json: JSONValue) throws(LedgerError) {
        guard let offset = json["offset"]?.integerValue, let state = json["state"] else {
            throw LedgerError(.invalidInput, "not a \(Self.formatV1) document")
        }
        self.init(state: try LedgerState(snapshot: state), offset: offset)
    }

    private init(json: JSONValue, keys: [UInt8]) throws(LedgerError) {
        let format = json["format"]?.stringValue
        guard format == Self.format || format == Self.formatV2, let offset = json["offset"]?.integerValue, let stateJSON = json["state"],
              let count = json["claimKeys"]?["count"]?.integerValue, let digest = json["claimKeys"]?["sha256"]?.stringValue
        else { throw LedgerError(.invalidInput, "not a \(Self.format) document") }
        let withFacts = format == Self.format
        let width = withFacts ? SortedClaimKeys.width : SortedClaimKeys.keyWidth
        guard keys.count == count * width else {
            throw LedgerError(.invalidInput, "the claim key section has \(keys.count) bytes, want \(count) records of \(width) bytes")
        }
        guard SHA256.hash(keys).hex == digest else { throw LedgerError(.invalidInput, "the claim key section does not match its sha256") }
        guard let sorted = SortedClaimKeys(checking: keys, withFacts: withFacts) else {
            throw LedgerError(.invalidInput, "the claim keys are not in ascending order or their facts are malformed")
        }
        var state = try LedgerState(snapshot: stateJSON)
        guard !state.keepsRecords, state.claimKeys.isEmpty else { throw LedgerError(.invalidInput, "state.claimKeys must be empty") }
        state.earlierClaims = sorted
        self.init(state: state, offset: offset)
    }

    /// Writes `state` after `offset` bytes as an audit state file, atomically and durably (temporary file,
    /// fsync, rename). The claim keys are taken out of `state` and sorted where they lie, then merged with
    /// those of the state it resumed from and streamed to the file, so that memory does not double.
    /// Claim records of a full state are not written: only their keys.
    public static func write(_ state: inout LedgerState, offset: Int, to path: String) throws {
        let earlier = state.earlierClaims as? SortedClaimKeys
        let keys = state.keepsRecords
            ? try state.claimOrder.map { id in (ClaimKey(id), try state.claimFacts(id) ?? .unknown) }.sorted { SortedClaimKeys.precedes($0.0, $1.0) }
            : state.removeClaimKeysWithFactsSorted(by: SortedClaimKeys.precedes)
        let changed = state.earlierFacts
        let digest = SHA256Stream()
        var count = 0
        SortedClaimKeys.merge(earlier, keys, changed: changed) { chunk in
            digest.update(chunk)
            count += chunk.count / SortedClaimKeys.width
        }
        var snapshot = state.snapshot(includingClaimKeys: false)
        if case .object(var o) = snapshot {
            o["claims"] = nil
            o["claimKeys"] = .array([])
            snapshot = .object(o)
        }
        let head: JSONValue = ["format": .string(Self.format), "offset": .number(Double(offset)), "state": snapshot,
                               "claimKeys": ["count": .number(Double(count)), "sha256": .string(digest.finalize().hex)]]
        let out = try OutputStreamFile(path: path)
        try out.write(try JCS.canonicalize(head) + [0x0A])
        try SortedClaimKeys.merge(earlier, keys, changed: changed) { try out.write($0) }
        try out.finish()
    }

    func stillHolds(_ file: PosixFile, size: Int) -> Bool {
        do { return try check(file, size: size) == nil } catch { return false }
    }

    /// Nil when the ledger still holds, at `offset`, the end of the entry this state last verified.
    func check(_ file: PosixFile, size: Int) throws -> LedgerError? {
        let last = state.size - 1
        guard size >= offset else {
            return LedgerError(.rollback, seq: size == 0 ? 0 : last,
                               "rollback: the ledger has \(size) bytes, the audit state verified \(offset)")
        }
        guard offset > 0 else { return nil }
        let window = min(offset, LedgerLimits.maxLineBytes + 1)
        let bytes = try file.read(at: offset - window, count: window)
        guard bytes.last == 0x0A else {
            return LedgerError(.historyRewritten, seq: last, "rewritten history: no entry ends at byte \(offset) any more")
        }
        let body = bytes.dropLast()
        let lineStart = (body.lastIndex(of: 0x0A).map { $0 + 1 }) ?? body.startIndex
        let entry = try? SignedEntry.parse(line: Array(body[lineStart...]))
        guard let entry, entry.entry.seq == last, entry.hash == state.head, entry.entry.time == state.lastTime else {
            return LedgerError(.historyRewritten, seq: last,
                               "rewritten history: the entry ending at byte \(offset) is not entry \(last) with hash \(state.head.hex)")
        }
        return nil
    }
}
