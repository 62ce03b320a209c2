import LedgerCrypto

/// An editorial entry to resolve against the ledger: source names to ids, quote texts to offsets, the
/// latest status of a reviewed claim.
public enum EditorialDraft: Sendable {
    case position(claim: String, party: Party, stance: Stance, date: CalendarDate, quotes: [QuoteDraft], evidence: [String], note: String?)
    case correct(claim: String, reason: String, changes: ClaimChanges, quotes: [QuoteDraft])
    /// Reviews the claim's latest status entry.
    case review(claim: String, decision: ReviewPayload.Decision, note: String?)
    /// `republishes`: a source name (id, prefix or ref) or, with `publisher`, the URL of an origin not archived.
    case provenance(source: String, retrievedAt: Timestamp, copy: Provenance.Copy, kind: Provenance.Kind, retrievedFrom: String?,
                    republishes: String?, publisher: String?, reason: String?)
}

extension DraftResolver {
    func locate(_ quotes: [QuoteDraft]) throws(LedgerError) -> [Quote] {
        var out = [Quote]()
        for q in quotes {
            let digest = try source(q.source)
            guard let bytes = try archive.contents(of: digest) else { throw LedgerError(.sourceMissing, "source \(digest.hex) is not archived") }
            out.append(try QuoteLocator.locate(q.text, in: bytes, source: digest, offset: q.offset))
        }
        return out
    }

    func resolveEditorial(_ draft: EditorialDraft) throws(LedgerError) -> Payload {
        switch draft {
        case .position(let claim, let party, let stance, let date, let quotes, let evidence, let note):
            var ids = [SHA256Digest]()
            for e in evidence { let d = try source(e); if !ids.contains(d) { ids.append(d) } }
            return .position(PositionPayload(claim: claim, party: party, stance: stance, date: date, quotes: try locate(quotes),
                                             evidence: ids, note: note))
        case .correct(let claim, let reason, var changes, let quotes):
            if !quotes.isEmpty { changes.quotes = try locate(quotes) }
            if changes.statement != nil && changes.statementLanguage == nil { changes.statementLanguage = "en" }
            return .amend(AmendPayload(claim: claim, action: .correct(changes), reason: reason))
        case .review(let claim, let decision, let note):
            guard let facts = try resolverState.claimFacts(claim) else { throw LedgerError(.unknownClaim, "no claim \(claim) in this ledger") }
            guard facts.hasStatus else { throw LedgerError(.invalidInput, "claim \(claim) has no status entry to review") }
            return .review(ReviewPayload(claim: claim, status: facts.latestStatus, decision: decision, note: note))
        case .provenance(let name, let retrievedAt, let copy, let kind, let retrievedFrom, let republishes, let publisher, let reason):
            var origin: Provenance.Origin?
            if let republishes {
                if let publisher { origin = .url(republishes, publisher: publisher) } else { origin = .source(try source(republishes)) }
            }
            return .provenance(ProvenancePayload(source: try source(name), provenance: Provenance(
                retrievedAt: retrievedAt, copy: copy, kind: kind, retrievedFrom: retrievedFrom, republishes: origin), reason: reason))
        }
    }
}
