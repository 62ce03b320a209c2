import Dispatch
import LedgerCrypto

/// The outcome of verifying a ledger: how many entries hold, and the first failure, if any.
public struct VerificationReport: Sendable, Equatable {
    /// Entries that passed every check, from seq 0.
    public let entries: Int
    /// Hash of the last verified entry (64 zeros for none).
    public let head: SHA256Digest
    public let failure: LedgerError?
    /// What the verified entries break without failing (FORMAT.md 8.6): how many, and the first
    /// `LedgerLimits.maxWarningsKept` of them in seq order.
    public let warningCount: Int
    public let warnings: [LedgerWarning]

    public var ok: Bool { failure == nil }

    public init(entries: Int, head: SHA256Digest, failure: LedgerError?, warningCount: Int = 0, warnings: [LedgerWarning] = []) {
        self.entries = entries
        self.head = head
        self.failure = failure
        self.warningCount = warningCount
        self.warnings = warnings
    }

    /// The same report with `failure` instead (a later check, such as a checkpoint, failed).
    public func failing(_ failure: LedgerError) -> VerificationReport {
        VerificationReport(entries: entries, head: head, failure: failure, warningCount: warningCount, warnings: warnings)
    }
}

/// Verifies a ledger line by line, in order (FORMAT.md "Verification"). Feed lines without their
/// newline to `verify(line:)`, or many at once to `verify(lines:)` or `submit(lines:)`, which parse and
/// check signatures on all cores; pass a final fragment with no newline to `finish(tornTail:)`.
///
/// Whichever way lines come, the outcome is that of checking each line completely, in order: the first
/// failure wins (a bad signature before the first rule failure is reported as such, with its seq), and
/// nothing after it counts. With `submit(lines:)` the outcome of a batch is settled only during later
/// calls; every other method settles pending batches first.
public struct LedgerVerifier<Archive: SourceArchive> {
    /// The replayed state. While batches are pending, and after a failed batch, it may run ahead of the
    /// entries verified: `finish()` reports those.
    public internal(set) var state = LedgerState()
    public internal(set) var failure: LedgerError?
    /// Entries verified and the last one's hash, once a failed batch left `state` ahead of them.
    var verified: (count: Int, head: SHA256Digest)?
    let archive: Archive
    /// Batches of `submit(lines:)`: parsed but not applied, and applied with signatures unchecked.
    var waiting: ParsedBatch?
    var unchecked: AppliedBatch?
    /// The size at which `requestedRoot` is taken, and the root when the state reached it.
    var rootRequest: (size: Int, root: SHA256Digest?)?

    /// `keepingRecords: false` verifies with constant memory per claim (see `LedgerState`).
    public init(archive: Archive, keepingRecords: Bool = true) {
        self.archive = archive
        state = LedgerState(keepingRecords: keepingRecords)
    }

    /// Resumes after a verified state (an auditor's saved state): only later lines are checked.
    public init(archive: Archive, resuming state: LedgerState) {
        self.archive = archive
        self.state = state
    }

    /// Makes room for `count` claim keys in all in a verification-only state (see `ClaimKeySet`).
    /// `taggingStatuses`: see `LedgerState.reserveClaimKeys`.
    public mutating func reserveClaimKeys(_ count: Int, taggingStatuses: Bool = false) {
        state.reserveClaimKeys(count, taggingStatuses: taggingStatuses)
    }

    /// Asks for the tree root after `size` entries (to compare with a checkpoint), taken on the way:
    /// see `requestedRoot`. Call it before feeding lines.
    public mutating func requestRoot(atSize size: Int) {
        rootRequest = (size, state.size == size ? state.rootHash : nil)
    }

    /// The root asked for with `requestRoot(atSize:)`, once every entry up to that size is verified;
    /// nil before, or when the ledger never reached that size in this verification.
    public var requestedRoot: SHA256Digest? {
        guard let rootRequest, rootRequest.size <= settledEntries else { return nil }
        return rootRequest.root
    }

    /// Entries that passed every check, signatures included; those after them are still pending.
    public var settledEntries: Int {
        if let verified { return verified.count }
        return unchecked?.base ?? state.size
    }

    /// True once the outcome no longer depends on any further line: a failure is known or pending.
    public var stopped: Bool { failure != nil || unchecked?.ruleFailure != nil || waiting?.hasFailure == true }

    /// Verifies the next line. After a failure, further lines are ignored: the first failure is the one reported.
    public mutating func verify(line: [UInt8]) {
        settle()
        guard failure == nil else { return }
        do {
            let signed = try SignedEntry.parse(line: line)
            try state.apply(signed, archive: archive)
            noteRoot()
        } catch {
            failure = error.at(seq: state.size)
        }
    }

    /// Verifies the next lines as one batch, settled before it returns: the same outcome as calling
    /// `verify(line:)` for each. `observe` gets each entry (with its index in `lines`) once its rules hold,
    /// in order, before the batch's signatures are checked: an observer must discard what it saw if the
    /// report then fails.
    public mutating func verify(lines: [[UInt8]], observe: ((Int, SignedEntry) -> Void)? = nil) {
        submit(lines: lines, observe: observe)
        settle()
    }

    /// Applies an entry already parsed and whose signature was verified elsewhere.
    public mutating func verify(parsed: SignedEntry, signatureVerified: Bool) {
        settle()
        guard failure == nil else { return }
        do { try state.apply(parsed, archive: archive, signatureVerified: signatureVerified) } catch {
            failure = error.at(seq: state.size)
        }
        noteRoot()
    }

    /// Records `error` as the failure at the next entry, unless an earlier one (pending included) wins.
    public mutating func fail(_ error: LedgerError) {
        settle()
        if failure == nil { failure = error.at(seq: state.size) }
    }

    /// Ends verification, settling any pending batch first. A non-empty `tornTail` is a last line without its
    /// newline: an append that did not complete (or a truncation), reported as such rather than as tampering.
    public mutating func finish(tornTail: [UInt8]? = nil) -> VerificationReport {
        settle()
        if let tail = tornTail, !tail.isEmpty, failure == nil {
            failure = LedgerError(.tornLine, seq: state.size,
                                  "the last line (\(tail.count) bytes) has no newline: an append did not complete; run `claimledger recover`")
        }
        if failure == nil && state.size == 0 {
            failure = LedgerError(.empty, seq: 0, "the ledger has no entries: it needs a genesis entry (claimledger init)")
        }
        let (count, head) = verified ?? (state.size, state.head)
        let warned = state.warnings(upTo: count)
        return VerificationReport(entries: count, head: head, failure: failure, warningCount: warned.count, warnings: warned.first)
    }

    /// Takes the requested root when the state has just reached its size.
    mutating func noteRoot() {
        if let request = rootRequest, request.size == state.size { rootRequest = (request.size, state.rootHash) }
    }
}

/// `map` over all cores, results in input order. For CPU-bound work on independent items.
package enum ParallelMap {
    package static func map<T: Sendable, R>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        let count = items.count
        guard count > 1 else { return items.map(transform) }
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        let box = UncheckedBox(results)
        let chunks = min(count, 64)
        items.withUnsafeBufferPointer { input in
            let source = UncheckedBox(input)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let lo = chunk * count / chunks, hi = (chunk + 1) * count / chunks
                for i in lo..<hi { box.value[i] = transform(source.value[i]) }
            }
        }
        return results.map { $0! }
    }
}

/// Hands a buffer to concurrent workers that each touch disjoint indexes.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
