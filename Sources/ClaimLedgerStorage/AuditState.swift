import CanonicalJSON
import ClaimLedgerCore
import LedgerCrypto

/// An auditor's record of a verified ledger (FORMAT.md "Audit state"): the replayed state and the byte
/// offset in `entries.jsonl` where its last entry's line ends. `verify --since` resumes from it and checks
/// only the lines after that offset, after confirming that the line ending there is still the entry it
/// verified (same seq, same hash), so a rewritten tail or a rollback is caught at once.
public struct AuditState: Sendable {
    public static let format = "claimledger-audit/1"
    public let state: LedgerState
    public let offset: Int

    public init(state: LedgerState, offset: Int) {
        self.state = state
        self.offset = offset
    }

    public var json: JSONValue {
        ["format": .string(Self.format), "offset": .number(Double(offset)), "state": state.snapshot()]
    }

    static let jsonLimits = JSONLimits(maxBytes: 1 << 30, maxDepth: 16, maxStringBytes: 1 << 20, maxContainerCount: 100_000_000)

    public static func read(_ path: String) throws -> AuditState {
        let bytes = try InputFiles.read(path, limit: 1 << 30, what: "audit state")
        let json: JSONValue
        do { json = try JSONParser.parse(bytes, limits: jsonLimits) } catch {
            throw LedgerError(.invalidInput, "audit state \(path) is not valid JSON: \(error)")
        }
        do { return try AuditState(json: json) } catch {
            throw LedgerError(.invalidInput, "audit state \(path): \(error.reason)")
        }
    }

    init(json: JSONValue) throws(LedgerError) {
        guard json["format"]?.stringValue == Self.format, let offset = json["offset"]?.integerValue, let state = json["state"] else {
            throw LedgerError(.invalidInput, "not a \(Self.format) document")
        }
        self.init(state: try LedgerState(snapshot: state), offset: offset)
    }

    /// Writes atomically (temporary file and rename); `durable` also fsyncs the file and its directory.
    public func write(to path: String, durable: Bool = true) throws {
        let bytes = try JCS.canonicalize(json) + [0x0A]
        let directory = FileSystem.directoryOf(path)
        if !durable { try FileSystem.makeDirectory(directory) }
        try FileSystem.writeAtomically(bytes, to: path, directory: directory, durable: durable)
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
