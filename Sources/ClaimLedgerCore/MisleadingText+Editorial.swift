/// The human-written members of the editorial payloads that the misleading-text rule covers (FORMAT.md 1.9).
extension MisleadingText {
    static func editorialFields(of payload: Payload) -> [(path: String, text: String)] {
        switch payload {
        case .scale(let s):
            var out = [(path: String, text: String)]()
            for (i, l) in s.labels.enumerated() {
                out.append(("payload.labels[\(i)].description", l.description))
                out.append(("payload.labels[\(i)].rating.alternateName", l.rating.alternateName))
            }
            if let r = s.reason { out.append(("payload.reason", r)) }
            return out
        case .position(let p):
            return [("payload.party.name", p.party.name)] + (p.note.map { [("payload.note", $0)] } ?? [])
        case .link(let l):
            return l.note.map { [("payload.note", $0)] } ?? []
        case .amend(let a):
            var out: [(path: String, text: String)] = [("payload.reason", a.reason)]
            if case .correct(let c) = a.action {
                if let s = c.statement { out.append(("payload.changes.statement.text", s)) }
                if let s = c.claimant { out.append(("payload.changes.claimant", s)) }
            }
            return out
        case .review(let r):
            return r.note.map { [("payload.note", $0)] } ?? []
        case .provenance(let p):
            return provenanceFields(p.provenance, path: "payload.provenance") + (p.reason.map { [("payload.reason", $0)] } ?? [])
        case .genesis, .key, .source, .claim, .status:
            return []
        }
    }

    static func provenanceFields(_ p: Provenance, path: String) -> [(path: String, text: String)] {
        var out = [(path: String, text: String)]()
        if let r = p.retrievedFrom { out.append(("\(path).retrievedFrom", r)) }
        if case .url(let url, let publisher)? = p.republishes {
            out.append(("\(path).republishes.url", url))
            out.append(("\(path).republishes.publisher", publisher))
        }
        return out
    }
}
