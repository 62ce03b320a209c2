/// A failure of the ledger's rules, with a stable `code` that scripts and tests compare,
/// the `seq` of the entry it concerns (when there is one) and a reason that carries the numbers.
public struct LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        // Line syntax and form (FORMAT.md "Lines").
        case lineTooLong = "line-too-long"
        case json
        case malformedLine = "malformed-line"
        case notCanonical = "not-canonical"
        case tornLine = "torn-line"
        // Entry fields and payloads.
        case invalidEntry = "invalid-entry"
        case invalidPayload = "invalid-payload"
        // The chain.
        case seqMismatch = "seq-mismatch"
        case prevMismatch = "prev-mismatch"
        case hashMismatch = "hash-mismatch"
        case timeBackwards = "time-backwards"
        // Against a trusted checkpoint (RFC 9162 section 2.1.4).
        case rollback
        case historyRewritten = "history-rewritten"
        /// A checkpoint that is malformed, unsigned, or not signed by a trusted key.
        case checkpointRejected = "checkpoint-rejected"
        /// A proof about another tree than the checkpoint's (size or root differs).
        case checkpointMismatch = "checkpoint-mismatch"
        // Signatures and authority.
        case badSignature = "bad-signature"
        case unknownSigner = "unknown-signer"
        case revokedSigner = "revoked-signer"
        case unauthorizedSigner = "unauthorized-signer"
        case invalidKey = "invalid-key"
        /// An approve entry that names no pending root-key change (FORMAT.md 7.3).
        case unknownProposal = "unknown-proposal"
        /// A root-key change approved by the root key that proposed it.
        case selfApproval = "self-approval"
        /// Entry 0 is not the genesis entry the auditor pinned (`verify --genesis`).
        case genesisMismatch = "genesis-mismatch"
        // References and provenance.
        case unknownSource = "unknown-source"
        case unknownClaim = "unknown-claim"
        case duplicateID = "duplicate-id"
        case sourceMissing = "source-missing"
        case sourceDigestMismatch = "source-digest-mismatch"
        case quoteMismatch = "quote-mismatch"
        case quoteNotFound = "quote-not-found"
        case quoteAmbiguous = "quote-ambiguous"
        // The editorial record (FORMAT.md 5.5-5.11).
        /// A verdict that is not a label of the scale at that point.
        case unknownLabel = "unknown-label"
        /// An entry naming a retracted claim (other than as the `to` end of a link).
        case claimRetracted = "claim-retracted"
        /// A review signed by the key that signed the status it reviews.
        case sameSigner = "same-signer"
        /// A review of a status entry that is no longer the claim's latest.
        case staleReview = "stale-review"
        /// A review naming an entry that is not a status entry of the claim.
        case unknownEntry = "unknown-entry"
        /// A `supersedes` link or a `republishes` that would close a cycle.
        case linkCycle = "link-cycle"
        // Input outside the ledger's rules (commands, import files).
        case invalidInput = "invalid-input"
        case limitExceeded = "limit-exceeded"
        case empty
        // Refused by writers in new entries; reported by `verify` as warnings (FORMAT.md 1.9, 7.3, 8.6).
        case misleadingText = "misleading-text"
        case duplicateKeyName = "duplicate-key-name"
    }

    public let code: Code
    public let seq: Int?
    public let reason: String

    public init(_ code: Code, seq: Int? = nil, _ reason: String) {
        self.code = code
        self.seq = seq
        self.reason = reason
    }

    /// The same error, attributed to the entry at `seq` (keeps an earlier attribution).
    public func at(seq: Int) -> LedgerError {
        self.seq == nil ? LedgerError(code, seq: seq, reason) : self
    }

    public var description: String {
        if let seq { return "entry \(seq): \(reason) [\(code.rawValue)]" }
        return "\(reason) [\(code.rawValue)]"
    }
}
