import Dispatch
import LedgerCrypto

/// The outcome of verifying a ledger: how many entries hold, and the first failure, if any.
public struct VerificationReport: Sendable, Equatable {
    /// Entries that passed every check, from seq 0.
    public let entries: Int
    /// Hash of the last verified entry (64 zeros for none).
    public let head: SHA256Digest
    public let failure: LedgerError?

    public var ok: Bool { failure == nil }

    public init(entries: Int, head: SHA256Digest, failure: LedgerError?) {
        self.entries = entries
        self.head = head
        self.failure = failure
    }
}

/// Verifies a ledger line by line, in order (FORMAT.md "Verification"). Feed lines without their
/// newline to `verify(line:)`, or many at once to `verify(lines:)`, which parses and checks signatures on
/// all cores; pass a final fragment with no newline to `finish(tornTail:)`.
public struct LedgerVerifier<Archive: SourceArchive> {
    public private(set) var state = LedgerState()
    public private(set) var failure: LedgerError?
    /// Entries verified and the last one's hash; they trail `state` only after a failed batch.
    private var verified: (count: Int, head: SHA256Digest)?
    private let archive: Archive

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
    public mutating func reserveClaimKeys(_ count: Int) {
        state.reserveClaimKeys(count)
    }

    /// Verifies the next line. After a failure, further lines are ignored: the first failure is the one reported.
    public mutating func verify(line: [UInt8]) {
        guard failure == nil else { return }
        do {
            let signed = try SignedEntry.parse(line: line)
            try state.apply(signed, archive: archive)
        } catch {
            failure = error.at(seq: state.size)
        }
    }

    /// Verifies the next lines as one batch, with the same outcome as calling `verify(line:)` for each:
    /// lines are parsed and hashed on all cores, then applied in order with their signers' keys looked up
    /// (signatures deferred), then all signatures are checked on all cores. The first failure wins: a bad
    /// signature before the first rule failure is reported as such, and nothing after it counts.
    /// `observe` gets each entry (with its index in `lines`) once its rules hold, in order, before the
    /// batch's signatures are checked: an observer must discard what it saw if the report then fails.
    public mutating func verify(lines: [[UInt8]], observe: ((Int, SignedEntry) -> Void)? = nil) {
        guard failure == nil, !lines.isEmpty else { return }
        let base = state.size
        let headBefore = state.head
        let parsed = ParallelMap.map(lines) { line -> Result<SignedEntry, LedgerError> in
            do throws(LedgerError) { return .success(try SignedEntry.parse(line: line)) } catch { return .failure(error) }
        }
        var keys = [Ed25519PublicKey]()
        keys.reserveCapacity(lines.count)
        var hashes = [SHA256Digest]()
        var ruleFailure: (index: Int, error: LedgerError)?
        for (i, result) in parsed.enumerated() {
            do throws(LedgerError) {
                let signed = try result.get()
                let key = try state.authorize(signed.entry)
                do throws(LedgerError) {
                    try state.apply(signed, archive: archive, signatureVerified: true)
                } catch {
                    // A payload rule failed: in order, this entry's own signature is checked first.
                    if !key.isValidSignature(signed.signature, for: signed.canonicalBytes) {
                        throw LedgerError(.badSignature, "signature does not verify with signer \(signed.entry.signer.hex)")
                    }
                    throw error
                }
                keys.append(key)
                hashes.append(signed.hash)
                observe?(i, signed)
            } catch {
                ruleFailure = (i, error.at(seq: base + i))
                break
            }
        }
        let checked = keys.count
        let signers = keys
        let valid = ParallelMap.map(Array(0..<checked)) { i -> Bool in
            guard case .success(let signed) = parsed[i] else { return false }
            return signers[i].isValidSignature(signed.signature, for: signed.canonicalBytes)
        }
        if let bad = valid.firstIndex(of: false) {
            let signer = (try? parsed[bad].get())?.entry.signer.hex ?? "?"
            failure = LedgerError(.badSignature, seq: base + bad, "signature does not verify with signer \(signer)")
            verified = (base + bad, bad == 0 ? headBefore : hashes[bad - 1])
        } else if let ruleFailure {
            failure = ruleFailure.error
        }
    }

    /// Applies an entry already parsed and whose signature was verified elsewhere.
    public mutating func verify(parsed: SignedEntry, signatureVerified: Bool) {
        guard failure == nil else { return }
        do { try state.apply(parsed, archive: archive, signatureVerified: signatureVerified) } catch {
            failure = error.at(seq: state.size)
        }
    }

    public mutating func fail(_ error: LedgerError) {
        if failure == nil { failure = error.at(seq: state.size) }
    }

    /// Ends verification. A non-empty `tornTail` is a last line without its newline: an append that did
    /// not complete (or a truncation), reported as such rather than as tampering.
    public mutating func finish(tornTail: [UInt8]? = nil) -> VerificationReport {
        if let tail = tornTail, !tail.isEmpty, failure == nil {
            failure = LedgerError(.tornLine, seq: state.size,
                                  "the last line (\(tail.count) bytes) has no newline: an append did not complete; run `claimledger recover`")
        }
        if failure == nil && state.size == 0 {
            failure = LedgerError(.empty, seq: 0, "the ledger has no entries: it needs a genesis entry (claimledger init)")
        }
        let (count, head) = verified ?? (state.size, state.head)
        return VerificationReport(entries: count, head: head, failure: failure)
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
