import CanonicalJSON
import LedgerCrypto

/// The editorial members of a claim's JSON view (FORMAT.md 11.2; schemas/export.schema.json).
extension ClaimDocuments {
    static func quote(_ q: Quote) -> JSONValue {
        ["text": .string(q.text), "start": .number(Double(q.start)), "end": .number(Double(q.end)), "source": .string(q.source.hex)]
    }

    public static func scaleLabel(_ l: ScaleLabel) -> JSONValue {
        ["label": .string(l.label), "description": .string(l.description),
         "claimReview": ["@type": "Rating", "alternateName": .string(l.rating.alternateName), "ratingValue": .number(Double(l.rating.ratingValue)),
                         "bestRating": .number(Double(l.rating.bestRating)), "worstRating": .number(Double(l.rating.worstRating))]]
    }

    /// The scale: each label's current definition and its earlier ones.
    public static func scale(in state: LedgerState) -> JSONValue {
        .array(state.scaleOrder.compactMap { label in
            state.scale[label].map { d in
                var o = scaleLabel(d.label).objectValue ?? [:]
                o["entry"] = entry(d.entry)
                o["revisions"] = .array(d.earlier.map { ["definition": scaleLabel($0.payload), "entry": entry($0.entry)] })
                return .object(o)
            }
        })
    }

    /// The definition `label` had when the entry at `seq` was signed.
    static func definition(of label: String, at seq: Int, in state: LedgerState) -> ScaleLabel? {
        guard let d = state.scale[label] else { return nil }
        if d.entry.seq < seq { return d.label }
        return d.earlier.last { $0.entry.seq < seq }?.payload
    }

    /// A source's origin (FORMAT.md 5.10): follow `republishes.source` to a source without it.
    public static func origin(of id: SHA256Digest, in state: LedgerState) -> Provenance.Origin {
        var current = id
        for _ in 0...state.sources.count {
            switch state.sources[current]?.provenance?.republishes {
            case .source(let next)?: current = next
            case .url(let url, let publisher)?: return .url(url, publisher: publisher)
            case nil: return .source(current)
            }
        }
        return .source(current)
    }

    static func originJSON(_ o: Provenance.Origin) -> JSONValue {
        switch o {
        case .source(let d): ["source": .string(d.hex)]
        case .url(let url, let publisher): ["url": .string(url), "publisher": .string(publisher)]
        }
    }

    static func statusItem(_ h: StatusRecord, record: ClaimRecord, state: LedgerState) -> JSONValue {
        var o: [String: JSONValue] = ["status": .string(h.payload.status.rawValue), "rationale": .string(h.payload.rationale),
                                      "evidence": .array(h.payload.evidence.map { .string($0.hex) }), "entry": entry(h.entry)]
        if let v = h.payload.verdict {
            var verdict: [String: JSONValue] = ["label": .string(v)]
            if let signed = definition(of: v, at: h.entry.seq, in: state) { verdict["asSigned"] = scaleLabel(signed) }
            if let now = state.scale[v]?.label { verdict["current"] = scaleLabel(now) }
            o["verdict"] = .object(verdict)
        }
        if !h.payload.spans.isEmpty { o["spans"] = .array(h.payload.spans.map(quote)) }
        var origins = [Provenance.Origin]()
        for d in h.payload.evidence {
            let origin = origin(of: d, in: state)
            if !origins.contains(origin) { origins.append(origin) }
        }
        o["origins"] = .array(origins.map(originJSON))
        o["independentSources"] = .number(Double(origins.count))
        let reviews = record.reviews.filter { $0.payload.status == h.entry.hash }
        o["reviews"] = .array(reviews.map(review))
        o["reviewed"] = .bool(reviews.last?.payload.decision == .approve)
        return .object(o)
    }

    static func review(_ r: Recorded<ReviewPayload>) -> JSONValue {
        var o: [String: JSONValue] = ["decision": .string(r.payload.decision.rawValue), "status": .string(r.payload.status.hex), "entry": entry(r.entry)]
        if let n = r.payload.note { o["note"] = .string(n) }
        return .object(o)
    }

    static func link(_ l: Recorded<LinkPayload>) -> JSONValue {
        var o: [String: JSONValue] = ["from": .string(l.payload.from), "relation": .string(l.payload.relation.rawValue),
                                      "to": .string(l.payload.to), "entry": entry(l.entry)]
        if let n = l.payload.note { o["note"] = .string(n) }
        return .object(o)
    }

    static func position(_ p: Recorded<PositionPayload>) -> JSONValue {
        var o: [String: JSONValue] = ["party": ["name": .string(p.payload.party.name), "kind": .string(p.payload.party.kind.rawValue)],
                                      "stance": .string(p.payload.stance.rawValue), "date": .string(p.payload.date.description),
                                      "quotes": .array(p.payload.quotes.map(quote)), "evidence": .array(p.payload.evidence.map { .string($0.hex) }),
                                      "entry": entry(p.entry)]
        if let n = p.payload.note { o["note"] = .string(n) }
        return .object(o)
    }

    static func amend(_ a: Recorded<AmendPayload>) -> JSONValue {
        var o: [String: JSONValue] = ["reason": .string(a.payload.reason), "entry": entry(a.entry)]
        switch a.payload.action {
        case .retract: o["action"] = "retract"
        case .correct(let c):
            o["action"] = "correct"
            o["changes"] = c.json
        }
        return .object(o)
    }

    /// Members added to a claim's view by the editorial record.
    static func editorialMembers(_ record: ClaimRecord, in state: LedgerState, into o: inout [String: JSONValue]) {
        let current = record.current
        o["statement"] = .string(current.statement)
        o["lang"] = .string(current.statementLanguage)
        o["claimant"] = .string(current.claimant)
        o["date"] = .string(current.date.description)
        o["quotes"] = .array(current.quotes.map(quote))
        if let kind = current.kind { o["kind"] = .string(kind.rawValue) }
        o["corrected"] = .bool(record.isCorrected)
        o["retracted"] = .bool(record.isRetracted)
        if record.isCorrected {
            let c = record.payload
            var original: [String: JSONValue] = ["statement": .string(c.statement), "lang": .string(c.statementLanguage), "claimant": .string(c.claimant),
                                                 "date": .string(c.date.description), "quotes": .array(c.quotes.map(quote))]
            if let kind = c.kind { original["kind"] = .string(kind.rawValue) }
            o["original"] = .object(original)
        }
        o["amends"] = .array(record.amends.map(amend))
        o["positions"] = .array(record.positions.map(position))
        o["links"] = .array(record.links.map(link))
        o["linkedFrom"] = .array(record.linkedFrom.map(link))
        o["history"] = .array(record.history.map { statusItem($0, record: record, state: state) })
        o["reviewed"] = .bool(record.isReviewed)
        if let v = record.history.last?.payload.verdict { o["verdict"] = .string(v) }
    }
}
