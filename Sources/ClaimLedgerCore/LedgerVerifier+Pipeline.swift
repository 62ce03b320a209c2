import Dispatch
import LedgerCrypto

/// Lines parsed and hashed (everything that needs no other line), waiting for their in-order apply.
struct ParsedBatch {
    let results: [Result<SignedEntry, LedgerError>]
    /// Some line failed to parse: the batch will end there, and no later line matters.
    let hasFailure: Bool
    /// Gets each entry whose rules hold (with its index in the batch), in order, when it is applied.
    let observe: ((Int, SignedEntry) -> Void)?
}

/// A batch applied in order (position, chain, time, signer authority, payload rules; FORMAT.md
/// "Verification"), whose signatures are still to be checked.
struct AppliedBatch {
    /// The seq of its first entry, and the head before it.
    let base: Int
    let headBefore: SHA256Digest
    /// The entries applied, in order, reduced to what their signature check needs (not their lines or
    /// payloads, so that a pending batch holds little memory).
    var entries: [PendingSignature] = []
    /// The failure, with its seq, of the entry after `entries`, which ended the batch early. Its own
    /// signature was checked first: a bad one is reported as such.
    var ruleFailure: LedgerError?
}

/// An applied entry's signature, still to be checked against the key it must verify with.
struct PendingSignature {
    let key: Ed25519PublicKey
    let signature: [UInt8]
    let canonicalBytes: [UInt8]
    let hash: SHA256Digest
    let signer: SHA256Digest

    var isValid: Bool { key.isValidSignature(signature, for: canonicalBytes) }
}

extension LedgerVerifier {
    /// Feeds the next lines as one batch of a pipeline. This call parses them on all cores in the same
    /// parallel round as it applies the previous batch in order (on one core) and checks the signatures of
    /// the batch before that (on the others), so that no core idles while entries are applied. Their
    /// outcome is settled by later calls: `submit`, `finish` or any other method. Lines fed once the outcome
    /// is decided (`stopped`) are ignored. `observe` gets each entry (with its index in `lines`) once its rules
    /// hold, in order, during a later call and before the entry's signature is checked: an observer must
    /// discard what it saw if the report then fails.
    public mutating func submit(lines: [[UInt8]], observe: ((Int, SignedEntry) -> Void)? = nil) {
        guard !stopped, !lines.isEmpty else { return }
        round(parsing: lines, observe: observe)
    }

    /// Runs rounds until no batch is pending: afterwards `failure`, `state` and `finish()` are final for the
    /// lines fed so far.
    mutating func settle() {
        while waiting != nil || unchecked != nil { round(parsing: []) }
    }

    /// One round on all cores: parses `lines`, applies `waiting` and checks `unchecked`'s signatures. Then
    /// settles `unchecked` (its first bad signature, else its rule failure, is the failure) and moves each
    /// batch one stage on. A failure discards the later batches.
    private mutating func round(parsing lines: [[UInt8]], observe: ((Int, SignedEntry) -> Void)? = nil) {
        guard failure == nil else {
            (waiting, unchecked) = (nil, nil)
            return
        }
        let toCheck = unchecked
        let toApply = toCheck?.ruleFailure == nil ? waiting : nil
        (waiting, unchecked) = (nil, nil)
        // The state moves into the round, so that applying to it copies none of its tables.
        var moving = LedgerState()
        swap(&moving, &state)
        let work = PipelineRound(lines: lines, toApply: toApply, toCheck: toCheck, state: consume moving,
                                 archive: archive, rootAt: rootRequest?.size)
        work.run()
        swap(&state, &work.state)

        if let toCheck {
            if let bad = work.valid.firstIndex(of: false) {
                failure = LedgerError(.badSignature, seq: toCheck.base + bad,
                                      "signature does not verify with signer \(toCheck.entries[bad].signer.hex)")
                verified = (toCheck.base + bad, bad == 0 ? toCheck.headBefore : toCheck.entries[bad - 1].hash)
                return
            }
            if let ruleFailure = toCheck.ruleFailure {
                failure = ruleFailure
                verified = (toCheck.base + toCheck.entries.count, toCheck.entries.last?.hash ?? toCheck.headBefore)
                return
            }
        }
        if let root = work.root, let request = rootRequest { rootRequest = (request.size, root) }
        unchecked = work.applied
        if !lines.isEmpty {
            let results = work.parsed.map { $0! }
            waiting = ParsedBatch(results: results, hasFailure: results.contains { if case .failure = $0 { true } else { false } },
                                  observe: observe)
        }
    }
}

/// One round's work and results, shared by the tasks of one `concurrentPerform`. Each task writes only its
/// own slots of `parsed` or `valid`; only the apply task (task 0, when there is a batch to apply) touches
/// `state`, `archive`, `applied` and `root`. `concurrentPerform` returns after every task, so the caller
/// then reads all of them.
private final class PipelineRound: @unchecked Sendable {
    /// Lines per parse task and signatures per check task: a few milliseconds each, so that both cores
    /// finish the round at about the same time.
    static var linesPerTask: Int { 32 }
    static var signaturesPerTask: Int { 16 }

    let lines: [[UInt8]]
    let toApply: ParsedBatch?
    let toCheck: AppliedBatch?
    /// The archive as an existential: a task closure may not capture a generic parameter's metatype.
    let archive: any SourceArchive
    let rootAt: Int?
    var state: LedgerState
    var applied: AppliedBatch?
    /// The root when the state reached `rootAt` during this round's apply.
    var root: SHA256Digest?
    let parsed: UnsafeMutableBufferPointer<Result<SignedEntry, LedgerError>?>
    let valid: UnsafeMutableBufferPointer<Bool>

    init(lines: [[UInt8]], toApply: ParsedBatch?, toCheck: AppliedBatch?, state: consuming LedgerState, archive: any SourceArchive,
         rootAt: Int?) {
        self.lines = lines
        self.toApply = toApply
        self.toCheck = toCheck
        self.state = state
        self.archive = archive
        self.rootAt = rootAt
        parsed = .allocate(capacity: lines.count)
        parsed.initialize(repeating: nil)
        valid = .allocate(capacity: toCheck?.entries.count ?? 0)
        valid.initialize(repeating: true)
    }

    deinit {
        _ = parsed.deinitialize()
        parsed.deallocate()
        _ = valid.deinitialize()
        valid.deallocate()
    }

    func run() {
        let applyTasks = toApply == nil ? 0 : 1
        let checkTasks = (valid.count + Self.signaturesPerTask - 1) / Self.signaturesPerTask
        let parseTasks = (lines.count + Self.linesPerTask - 1) / Self.linesPerTask
        let tasks = applyTasks + checkTasks + parseTasks
        guard tasks > 0 else { return }
        // Tasks are taken in index order: the apply first (it is the longest), the parses last (the shortest).
        DispatchQueue.concurrentPerform(iterations: tasks) { task in
            if task < applyTasks {
                applyBatch()
            } else if task < applyTasks + checkTasks {
                let lo = (task - applyTasks) * Self.signaturesPerTask
                checkSignatures(lo..<min(lo + Self.signaturesPerTask, valid.count))
            } else {
                let lo = (task - applyTasks - checkTasks) * Self.linesPerTask
                parseLines(lo..<min(lo + Self.linesPerTask, lines.count))
            }
        }
    }

    private func parseLines(_ range: Range<Int>) {
        for i in range {
            do throws(LedgerError) { parsed[i] = .success(try SignedEntry.parse(line: lines[i])) } catch { parsed[i] = .failure(error) }
        }
    }

    private func checkSignatures(_ range: Range<Int>) {
        guard let batch = toCheck else { return }
        for i in range {
            valid[i] = batch.entries[i].isValid
        }
    }

    /// Applies `toApply` in order, with the signers' keys looked up but signatures deferred, up to the
    /// first entry that fails a rule.
    private func applyBatch() {
        guard let batch = toApply else { return }
        var out = AppliedBatch(base: state.size, headBefore: state.head)
        out.entries.reserveCapacity(batch.results.count)
        for (i, result) in batch.results.enumerated() {
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
                out.entries.append(PendingSignature(key: key, signature: signed.signature, canonicalBytes: signed.canonicalBytes,
                                                    hash: signed.hash, signer: signed.entry.signer))
                batch.observe?(i, signed)
                if state.size == rootAt { root = state.rootHash }
            } catch {
                out.ruleFailure = error.at(seq: out.base + i)
                break
            }
        }
        applied = out
    }
}
