import CanonicalJSON
import ClaimLedgerCore

extension VerifiedLedger {
    /// Writes the ClaimReview export (docs/AUDIT.md "Publishing as ClaimReview") to `out` as it is
    /// produced: a JSON array with the ClaimReview of each claim whose current verdict an editor approved
    /// (optionally only claims whose current status is `status`), in ledger order, rendered by
    /// `ClaimReviewDocuments` from the verified state; RFC 8785 form followed by LF. Claims are read back
    /// from the index one at a time, as the JSON export reads them, so memory does not grow with the
    /// ledger (the canonical form of an array is its elements' canonical forms between `[`, `,` and `]`).
    public func writeClaimReviewExport(status: ClaimStatus? = nil, options: ClaimReviewOptions, to out: OutputStreamFile) throws {
        guard let entryIndex = index.entryIndex else { throw IndexDamage("no entry index") }
        try out.write("[")
        var first = true
        var start = 0
        while start < state.size {
            let range = start..<min(state.size, start + 65_536)
            for seq in try entryIndex.seqs(of: .claim, in: range) {
                let record = try index.claimRecord(seq: seq, in: file)
                guard status == nil || record.status == status,
                      let document = ClaimReviewDocuments.claimReview(record, in: state, options: options) else { continue }
                if !first { try out.write(",") }
                first = false
                try out.write(try JCS.canonicalize(document))
            }
            start = range.upperBound
        }
        try out.write("]\n")
    }
}
