import CanonicalJSON
import LedgerCrypto

/// JSON form of the editorial payloads and members (FORMAT.md 5.3-5.11), decoded as strictly as the others.
extension Payload {
    static func claimKind(_ o: inout StrictObject) throws(LedgerError) -> ClaimKind? {
        guard o.has("kind") else { return nil }
        return try o.oneOf("kind", ClaimKind.self)
    }

    /// `verdict` and `spans` of a status: each span cites a source of `evidence`; a verdict needs a span.
    static func verdictAndSpans(_ o: inout StrictObject, evidence: [SHA256Digest]) throws(LedgerError) -> (String?, [Quote]) {
        let verdict = o.has("verdict") ? try o.string("verdict", maxBytes: 32) : nil
        if let verdict, !Syntax.isLabel(verdict) { throw o.fail("payload.verdict \"\(verdict.prefix(40))\" is not a scale label") }
        let spans = o.has("spans") ? try o.quotes("spans", path: "payload.spans") : []
        for (i, s) in spans.enumerated() where !evidence.contains(s.source) {
            throw o.fail("payload.spans[\(i)] cites source \(s.source.hex), which is not in payload.evidence")
        }
        if verdict != nil && spans.isEmpty { throw o.fail("payload.verdict needs at least one evidence span (payload.spans)") }
        return (verdict, spans)
    }

    static func editorial(_ type: EntryType, _ o: inout StrictObject) throws(LedgerError) -> Payload {
        switch type {
        case .scale:
            let items = try o.array("labels", max: LedgerLimits.maxScaleLabels)
            guard !items.isEmpty else { throw o.fail("payload.labels must hold at least one label") }
            var labels = [ScaleLabel]()
            for (i, item) in items.enumerated() {
                let label = try ScaleLabel(json: item, path: "payload.labels[\(i)]")
                guard !labels.contains(where: { $0.label == label.label }) else {
                    throw LedgerError(.duplicateID, "payload.labels[\(i)] defines \"\(label.label)\" a second time in this entry")
                }
                labels.append(label)
            }
            return .scale(ScalePayload(labels: labels, reason: try o.optionalText("reason")))
        case .position:
            let claim = try o.claimID("claim")
            var p = try StrictObject(try o.value("party"), path: "payload.party")
            let party = Party(name: try p.oneLine("name", maxBytes: 256), kind: try p.oneOf("kind", Party.Kind.self))
            try p.finish()
            return .position(PositionPayload(
                claim: claim, party: party, stance: try o.oneOf("stance", Stance.self), date: try o.date("date"),
                quotes: try o.quotes("quotes", path: "payload.quotes"),
                evidence: o.has("evidence") ? try o.sourceIDs("evidence") : [], note: try o.optionalText("note")))
        case .link:
            let from = try o.claimID("from"), relation = try o.oneOf("relation", LinkRelation.self), to = try o.claimID("to")
            guard from != to else { throw o.fail("payload.to must name another claim than payload.from (\(from))") }
            return .link(LinkPayload(from: from, relation: relation, to: to,
                                     note: try o.optionalText("note", maxBytes: LedgerLimits.maxShortTextBytes)))
        case .amend:
            let claim = try o.claimID("claim")
            let actionText = try o.string("action")
            let reason = try o.text("reason")
            switch actionText {
            case "correct":
                let changes = try ClaimChanges(json: try o.value("changes"))
                return .amend(AmendPayload(claim: claim, action: .correct(changes), reason: reason))
            case "retract":
                return .amend(AmendPayload(claim: claim, action: .retract, reason: reason))
            default:
                throw o.fail("payload.action must be \"correct\" or \"retract\", found \"\(actionText.prefix(40))\"")
            }
        case .review:
            let claim = try o.claimID("claim"), status = try o.digest("status")
            let decision = try o.oneOf("decision", ReviewPayload.Decision.self)
            let note = try o.optionalText("note")
            if decision == .return && note == nil { throw o.fail("payload.note is required when the decision is \"return\"") }
            return .review(ReviewPayload(claim: claim, status: status, decision: decision, note: note))
        case .provenance:
            let source = try o.digest("source")
            let provenance = try Provenance(json: try o.value("provenance"), path: "payload.provenance")
            if provenance.republishes == .source(source) { throw o.fail("payload.provenance.republishes names the source itself") }
            return .provenance(ProvenancePayload(source: source, provenance: provenance, reason: try o.optionalText("reason")))
        case .genesis, .key, .source, .claim, .status:
            throw o.fail("\(type.rawValue) is not an editorial entry type")
        }
    }

    var editorialJSON: JSONValue {
        switch self {
        case .scale(let s):
            var o: [String: JSONValue] = ["labels": .array(s.labels.map(\.json))]
            if let r = s.reason { o["reason"] = .string(r) }
            return .object(o)
        case .position(let p):
            var o: [String: JSONValue] = [
                "claim": .string(p.claim), "party": ["name": .string(p.party.name), "kind": .string(p.party.kind.rawValue)],
                "stance": .string(p.stance.rawValue), "date": .string(p.date.description), "quotes": .array(p.quotes.map(\.json)),
            ]
            if !p.evidence.isEmpty { o["evidence"] = .array(p.evidence.map { .string($0.hex) }) }
            if let n = p.note { o["note"] = .string(n) }
            return .object(o)
        case .link(let l):
            var o: [String: JSONValue] = ["from": .string(l.from), "relation": .string(l.relation.rawValue), "to": .string(l.to)]
            if let n = l.note { o["note"] = .string(n) }
            return .object(o)
        case .amend(let a):
            var o: [String: JSONValue] = ["claim": .string(a.claim), "reason": .string(a.reason)]
            switch a.action {
            case .retract: o["action"] = "retract"
            case .correct(let c):
                o["action"] = "correct"
                o["changes"] = c.json
            }
            return .object(o)
        case .review(let r):
            var o: [String: JSONValue] = ["claim": .string(r.claim), "status": .string(r.status.hex), "decision": .string(r.decision.rawValue)]
            if let n = r.note { o["note"] = .string(n) }
            return .object(o)
        case .provenance(let p):
            var o: [String: JSONValue] = ["source": .string(p.source.hex), "provenance": p.provenance.json]
            if let r = p.reason { o["reason"] = .string(r) }
            return .object(o)
        case .genesis, .key, .source, .claim, .status:
            return .null
        }
    }
}

extension ScaleLabel {
    init(json: JSONValue, path: String) throws(LedgerError) {
        var o = try StrictObject(json, path: path)
        let label = try o.string("label", maxBytes: 32)
        guard Syntax.isLabel(label) else { throw o.fail("\(path).label \"\(label.prefix(40))\" must match ^[a-z][a-z0-9-]{1,31}$") }
        let description = try o.text("description", maxBytes: LedgerLimits.maxShortTextBytes)
        var r = try StrictObject(try o.value("rating"), path: "\(path).rating")
        let rating = ReviewRating(alternateName: try r.oneLine("alternateName", maxBytes: 128), ratingValue: try r.integer("ratingValue"),
                                  bestRating: try r.integer("bestRating"), worstRating: try r.integer("worstRating"))
        try r.finish()
        guard rating.worstRating >= 1, rating.worstRating <= rating.ratingValue, rating.ratingValue <= rating.bestRating,
              rating.bestRating <= 100 else {
            throw o.fail("\(path).rating must have 1 <= worstRating <= ratingValue <= bestRating <= 100")
        }
        try o.finish()
        self.init(label: label, description: description, rating: rating)
    }

    var json: JSONValue {
        ["label": .string(label), "description": .string(description),
         "rating": ["alternateName": .string(rating.alternateName), "ratingValue": .number(Double(rating.ratingValue)),
                    "bestRating": .number(Double(rating.bestRating)), "worstRating": .number(Double(rating.worstRating))]]
    }
}

extension ClaimChanges {
    init(json: JSONValue) throws(LedgerError) {
        var o = try StrictObject(json, path: "payload.changes")
        self.init()
        if o.has("statement") {
            var s = try StrictObject(try o.value("statement"), path: "payload.changes.statement")
            statement = try s.text("text")
            let lang = try s.string("lang", maxBytes: 64)
            guard Syntax.isLanguageTag(lang) else { throw o.fail("payload.changes.statement.lang must be a BCP 47 tag") }
            statementLanguage = lang
            try s.finish()
        }
        if o.has("claimant") { claimant = try o.text("claimant", maxBytes: LedgerLimits.maxShortTextBytes) }
        if o.has("date") { date = try o.date("date") }
        if o.has("quotes") { quotes = try o.quotes("quotes", path: "payload.changes.quotes") }
        if o.has("kind") { kind = try o.oneOf("kind", ClaimKind.self) }
        try o.finish()
        guard !isEmpty else { throw o.fail("payload.changes must change at least one of statement, claimant, date, quotes, kind") }
    }

    var json: JSONValue {
        var o: [String: JSONValue] = [:]
        if let statement { o["statement"] = ["text": .string(statement), "lang": .string(statementLanguage ?? "en")] }
        if let claimant { o["claimant"] = .string(claimant) }
        if let date { o["date"] = .string(date.description) }
        if let quotes { o["quotes"] = .array(quotes.map(\.json)) }
        if let kind { o["kind"] = .string(kind.rawValue) }
        return .object(o)
    }
}

extension Provenance {
    init(json: JSONValue, path: String) throws(LedgerError) {
        var o = try StrictObject(json, path: path)
        var time: RetrievalTime?
        if o.has("retrievedAt") {
            let t = try o.string("retrievedAt", maxBytes: 64)
            guard let at = RetrievalTime(t) else { throw o.fail("\(path).retrievedAt must be a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM:SSZ") }
            time = at
        }
        let retrievedFrom = try o.optionalString("retrievedFrom")
        if let retrievedFrom, !Syntax.isURI(retrievedFrom) { throw o.fail("\(path).retrievedFrom must be an absolute URI") }
        var origin: Origin?
        if o.has("republishes") {
            var r = try StrictObject(try o.value("republishes"), path: "\(path).republishes")
            if r.has("source") {
                origin = .source(try r.digest("source"))
            } else {
                let url = try r.string("url")
                guard Syntax.isURI(url) else { throw r.fail("\(path).republishes.url must be an absolute URI") }
                origin = .url(url, publisher: try r.text("publisher", maxBytes: LedgerLimits.maxShortTextBytes))
            }
            try r.finish()
        }
        self.init(retrievedAt: time, copy: try o.oneOf("copy", Copy.self), kind: try o.oneOf("kind", Kind.self),
                  retrievedFrom: retrievedFrom, republishes: origin)
        try o.finish()
    }

    var json: JSONValue {
        var o: [String: JSONValue] = ["copy": .string(copy.rawValue), "kind": .string(kind.rawValue)]
        if let retrievedAt { o["retrievedAt"] = .string(retrievedAt.description) }
        if let retrievedFrom { o["retrievedFrom"] = .string(retrievedFrom) }
        switch republishes {
        case .source(let d)?: o["republishes"] = ["source": .string(d.hex)]
        case .url(let url, let publisher)?: o["republishes"] = ["url": .string(url), "publisher": .string(publisher)]
        case nil: break
        }
        return .object(o)
    }
}

extension StrictObject {
    mutating func oneOf<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws(LedgerError) -> E where E.RawValue == String {
        let s = try string(key, maxBytes: 64)
        guard let v = E(rawValue: s) else {
            throw fail("\(path).\(key) must be one of \(E.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(s.prefix(40))\"")
        }
        return v
    }

    mutating func claimID(_ key: String) throws(LedgerError) -> String {
        let id = try string(key, maxBytes: 64)
        guard Syntax.isClaimID(id) else { throw fail("\(path).\(key) \"\(id.prefix(64))\" is not a claim id") }
        return id
    }

    /// Free text (tab and newline allowed), non-empty.
    mutating func text(_ key: String, maxBytes: Int = LedgerLimits.maxTextBytes) throws(LedgerError) -> String {
        let s = try string(key, maxBytes: maxBytes)
        guard Syntax.isText(s) else { throw fail("\(path).\(key) must not contain control characters other than tab and newline") }
        return s
    }

    mutating func optionalText(_ key: String, maxBytes: Int = LedgerLimits.maxTextBytes) throws(LedgerError) -> String? {
        has(key) ? try text(key, maxBytes: maxBytes) : nil
    }

    mutating func oneLine(_ key: String, maxBytes: Int) throws(LedgerError) -> String {
        let s = try text(key, maxBytes: maxBytes)
        guard !s.contains("\n"), !s.contains("\t") else { throw fail("\(path).\(key) must be one line") }
        return s
    }

    mutating func quotes(_ key: String, path quotePath: String) throws(LedgerError) -> [Quote] {
        let items = try array(key, max: LedgerLimits.maxQuotes)
        guard !items.isEmpty else { throw fail("\(quotePath) must hold at least one item") }
        var out = [Quote]()
        for (i, item) in items.enumerated() { out.append(try Quote(json: item, path: "\(quotePath)[\(i)]")) }
        return out
    }

    mutating func sourceIDs(_ key: String) throws(LedgerError) -> [SHA256Digest] {
        var out = [SHA256Digest]()
        for (i, item) in try array(key, max: LedgerLimits.maxEvidence).enumerated() {
            guard let s = item.stringValue, let d = SHA256Digest(hex: s) else {
                throw fail("\(path).\(key)[\(i)] must be a source id (64 lower-case hex digits)")
            }
            guard !out.contains(d) else { throw fail("\(path).\(key)[\(i)] repeats source \(d.hex)") }
            out.append(d)
        }
        return out
    }
}

extension Syntax {
    /// A verdict label: `^[a-z][a-z0-9-]{1,31}$`.
    static func isLabel(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard (2...32).contains(b.count), (0x61...0x7A).contains(b[0]) else { return false }
        return b.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}
