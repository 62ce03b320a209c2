import CanonicalJSON
import LedgerCrypto

/// JSON views of the ledger's claims for `claim show --json`, `claim list --json` and `export`
/// (FORMAT.md "Export"; schemas/export.schema.json).
public enum ClaimDocuments {
    public static let exportFormat = "claimledger-export/1"

    public static func entry(_ ref: EntryRef) -> JSONValue {
        ["seq": .number(Double(ref.seq)), "hash": .string(ref.hash.hex), "signer": .string(ref.signer.hex),
         "time": .string(ref.time.description)]
    }

    public static func source(_ record: SourceRecord) -> JSONValue {
        let s = record.payload
        var o: [String: JSONValue] = ["id": .string(s.id), "sha256": .string(s.sha256.hex), "size": .number(Double(s.size)),
                "title": .string(s.title), "publisher": .string(s.publisher), "url": .string(s.url),
                "published": .string(s.published.description), "language": .string(s.language),
                "mediaType": .string(s.mediaType), "archive": .string("sources/sha256/\(s.sha256.hex)"),
                "entry": entry(record.entry)]
        if let p = record.provenance { o["provenance"] = p.json }
        return .object(o)
    }

    /// One claim with its quotes, full status history, and every source it rests on.
    /// `proof(seq)` gives the audit data of an entry (its line and inclusion proof) for exports.
    public static func claim(_ record: ClaimRecord, in state: LedgerState, proof: ((Int) -> JSONValue?)? = nil) -> JSONValue {
        let c = record.payload
        var sourceIDs = [SHA256Digest]()
        for d in citedSources(record) where !sourceIDs.contains(d) {
            sourceIDs.append(d)
        }
        let history: [JSONValue] = record.history.map { h in
            ["status": .string(h.payload.status.rawValue), "rationale": .string(h.payload.rationale),
             "evidence": .array(h.payload.evidence.map { .string($0.hex) }), "entry": entry(h.entry)]
        }
        let quotes: [JSONValue] = c.quotes.map { q in
            ["text": .string(q.text), "start": .number(Double(q.start)), "end": .number(Double(q.end)), "source": .string(q.source.hex)]
        }
        var o: [String: JSONValue] = [
            "id": .string(c.id), "statement": .string(c.statement), "lang": .string(c.statementLanguage),
            "claimant": .string(c.claimant), "date": .string(c.date.description), "status": .string(record.status.rawValue),
            "history": .array(history), "quotes": .array(quotes), "entry": entry(record.entry),
            "sources": .array(sourceIDs.compactMap { state.sources[$0].map(source) }),
        ]
        if let last = record.history.last { o["rationale"] = .string(last.payload.rationale) }
        editorialMembers(record, in: state, into: &o)
        if let proof {
            let seqs = entrySeqs(record, in: state)
            o["proofs"] = .array(seqs.compactMap(proof))
        }
        return .object(o)
    }

    /// The entries a claim rests on: its sources' entries, the claim entry, its status entries; ascending.
    public static func entrySeqs(_ record: ClaimRecord, in state: LedgerState) -> [Int] {
        let sourceIDs = citedSources(record)
        var seqs = Set(sourceIDs.compactMap { state.sources[$0]?.entry.seq } + [record.entry.seq] + record.history.map(\.entry.seq))
        seqs.formUnion(sourceIDs.compactMap { state.sources[$0]?.provenanceEntry?.seq })
        seqs.formUnion(record.amends.map(\.entry.seq) + record.positions.map(\.entry.seq) + record.reviews.map(\.entry.seq))
        seqs.formUnion(record.links.map(\.entry.seq) + record.linkedFrom.map(\.entry.seq))
        return seqs.sorted()
    }

    /// Every source a claim's entries cite: quotes (as recorded and corrected), evidence, spans, positions.
    public static func citedSources(_ record: ClaimRecord) -> [SHA256Digest] {
        var out = record.payload.quotes.map(\.source) + record.history.flatMap { $0.payload.evidence + $0.payload.spans.map(\.source) }
        for a in record.amends { if case .correct(let c) = a.payload.action { out += (c.quotes ?? []).map(\.source) } }
        for p in record.positions { out += p.payload.quotes.map(\.source) + p.payload.evidence }
        return out
    }

    /// Claims in ledger order, optionally only those whose current status is `status`.
    public static func claims(in state: LedgerState, status: ClaimStatus? = nil) -> [ClaimRecord] {
        state.claimOrder.compactMap { state.claims[$0] }.filter { status == nil || $0.status == status }
    }

    public static func keys(in state: LedgerState) -> JSONValue {
        .array(state.keyOrder.compactMap { id -> JSONValue? in
            guard let k = state.keys[id] else { return nil }
            var o: [String: JSONValue] = ["keyId": .string(id.hex), "name": .string(k.name), "role": .string(k.role.rawValue),
                                          "publicKey": .string(Base64.encode(k.publicKey.rawRepresentation)),
                                          "added": .number(Double(k.added))]
            if let r = k.revoked { o["revoked"] = .number(Double(r)) }
            return .object(o)
        })
    }

    /// The export document of a verified ledger. `extra` adds top-level members (checkpoint, proofs).
    public static func export(_ state: LedgerState, status: ClaimStatus?, extra: [String: JSONValue] = [:],
                              proof: ((Int) -> JSONValue?)? = nil) -> JSONValue {
        var o: [String: JSONValue] = [
            "format": .string(exportFormat), "origin": .string(state.origin ?? ""),
            "treeSize": .number(Double(state.size)), "head": .string(state.head.hex),
            "keys": keys(in: state), "claims": .array(claims(in: state, status: status).map { claim($0, in: state, proof: proof) }),
        ]
        if let status { o["statusFilter"] = .string(status.rawValue) }
        for (k, v) in extra { o[k] = v }
        return .object(o)
    }

    /// A default claim id when none is given: `c-` and 12 hex digits of SHA-256 over the claim's
    /// canonical statement, claimant and quotes, so that the same claim recorded again gets the same id.
    public static func defaultClaimID(statement: String, claimant: String, quotes: [Quote]) -> String {
        let basis: JSONValue = ["statement": .string(statement), "claimant": .string(claimant),
                                "quotes": .array(quotes.map { ["source": .string($0.source.hex), "start": .number(Double($0.start))] })]
        let bytes = (try? JCS.canonicalize(basis)) ?? []
        return "c-" + SHA256.hash(bytes).hex.prefix(12)
    }
}
