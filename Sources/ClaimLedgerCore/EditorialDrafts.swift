import LedgerCrypto

/// An editorial entry to resolve against the ledger: source names to ids, quote texts to offsets, the
/// latest status of a reviewed claim.
public enum EditorialDraft: Sendable {
    case position(claim: String, party: Party, stance: Stance, date: CalendarDate, quotes: [QuoteDraft], evidence: [String], note: String?)
    case correct(claim: String, reason: String, changes: ClaimChanges, quotes: [QuoteDraft])
    /// Reviews the claim's latest status entry.
    case review(claim: String, decision: ReviewPayload.Decision, note: String?)
    /// The provenance of source `source` (a source name: id, prefix or ref).
    case provenance(source: String, ProvenanceDraft, reason: String?)
}

/// A provenance object (FORMAT.md 5.10) whose origin is still a name.
public struct ProvenanceDraft: Sendable {
    public var retrievedAt: RetrievalTime?
    public var copy: Provenance.Copy
    public var kind: Provenance.Kind
    public var retrievedFrom: String?
    /// The origin it copies: a source name (id, prefix or ref) or, with `publisher`, the URL of an origin not archived.
    public var republishes: String?
    public var publisher: String?

    public init(retrievedAt: RetrievalTime?, copy: Provenance.Copy, kind: Provenance.Kind, retrievedFrom: String? = nil,
                republishes: String? = nil, publisher: String? = nil) {
        self.retrievedAt = retrievedAt
        self.copy = copy
        self.kind = kind
        self.retrievedFrom = retrievedFrom
        self.republishes = republishes
        self.publisher = publisher
    }
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

    func provenance(_ p: ProvenanceDraft) throws(LedgerError) -> Provenance {
        var origin: Provenance.Origin?
        if let name = p.republishes {
            if let publisher = p.publisher {
                origin = .url(name, publisher: publisher)
            } else if Syntax.isURI(name) {
                throw LedgerError(.invalidInput, "republishes \"\(name.prefix(80))\" is a URL: an origin that is not archived needs its publisher")
            } else {
                origin = .source(try source(name))
            }
        } else if p.publisher != nil {
            throw LedgerError(.invalidInput, "a republishes publisher goes with the origin's URL")
        }
        return Provenance(retrievedAt: p.retrievedAt, copy: p.copy, kind: p.kind, retrievedFrom: p.retrievedFrom, republishes: origin)
    }

    /// `latest` is the state whose latest status entry a review names: the ledger's, or (in an import)
    /// the state after the entries of the earlier lines.
    func resolveEditorial(_ draft: EditorialDraft, latest: LedgerState) throws(LedgerError) -> Payload {
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
            guard let facts = try latest.claimFacts(claim) else { throw LedgerError(.unknownClaim, "no claim \(claim) in this ledger") }
            guard facts.hasStatus else { throw LedgerError(.invalidInput, "claim \(claim) has no status entry to review") }
            return .review(ReviewPayload(claim: claim, status: facts.latestStatus, decision: decision, note: note))
        case .provenance(let name, let p, let reason):
            return .provenance(ProvenancePayload(source: try source(name), provenance: try provenance(p), reason: reason))
        }
    }
}
