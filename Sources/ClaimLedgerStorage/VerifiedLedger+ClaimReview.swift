import CanonicalJSON
import ClaimLedgerCore

extension VerifiedLedger {
    /// The claims of the verified ledger in ledger order, read back from the index with their whole
    /// history (optionally only those whose current status is `status`).
    public func claimRecords(status: ClaimStatus? = nil) throws -> [ClaimRecord] {
        guard let entryIndex = index.entryIndex else { throw IndexDamage("no entry index") }
        var records = [ClaimRecord]()
        var start = 0
        while start < state.size {
            let range = start..<min(state.size, start + 65_536)
            for seq in try entryIndex.seqs(of: .claim, in: range) {
                let record = try index.claimRecord(seq: seq, in: file)
                if status == nil || record.status == status { records.append(record) }
            }
            start = range.upperBound
        }
        return records
    }

    /// The ClaimReview export (docs/AUDIT.md "Publishing as ClaimReview"): a JSON array with the
    /// ClaimReview of each claim whose current verdict an editor approved, in ledger order, rendered by
    /// `ClaimReviewDocuments` from the verified state; RFC 8785 form followed by LF.
    public func claimReviewExport(status: ClaimStatus? = nil, options: ClaimReviewOptions) throws -> [UInt8] {
        let reviewed = try claimRecords(status: status).filter(\.isReviewed)
        return try JCS.canonicalize(ClaimReviewDocuments.document(reviewed, in: state, options: options)) + [0x0A]
    }

    /// Writes `claimReviewExport` to `out`.
    public func writeClaimReviewExport(status: ClaimStatus? = nil, options: ClaimReviewOptions, to out: OutputStreamFile) throws {
        try out.write(try claimReviewExport(status: status, options: options))
    }
}
