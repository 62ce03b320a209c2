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

/// Verifies a ledger line by line, in order (FORMAT.md "Verification"). Feed each line without its
/// newline to `verify(line:)`; pass a final fragment with no newline to `finish(tornTail:)`.
public struct LedgerVerifier<Archive: SourceArchive> {
    public private(set) var state = LedgerState()
    public private(set) var failure: LedgerError?
    private let archive: Archive

    public init(archive: Archive) {
        self.archive = archive
    }

    /// Resumes after a verified state (an auditor's saved state): only later lines are checked.
    public init(archive: Archive, resuming state: LedgerState) {
        self.archive = archive
        self.state = state
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

    /// Applies an entry already parsed and whose signature was verified elsewhere (parallel verification).
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
        return VerificationReport(entries: state.size, head: state.head, failure: failure)
    }
}
