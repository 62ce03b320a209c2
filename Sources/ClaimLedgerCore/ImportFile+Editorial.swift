import CanonicalJSON
import LedgerCrypto

/// The import lines of the editorial record (FORMAT.md 10.2): scale, provenance, position, link, amend and
/// review, and the members they share with claim and status lines. Sources are named as in 10.4; claims
/// are those of the ledger or of earlier lines. Errors are `invalid-input` and name the member.
extension ImportFileParser {
    static let lineTypes = ["source", "claim", "status", "scale", "provenance", "position", "link", "amend", "review"]

    /// The draft of an editorial line, nil for a type that is not one.
    static func editorialLine(_ type: String, _ o: inout StrictObject) throws(LedgerError) -> Draft? {
        switch type {
        case "scale":
            let items = try o.array("labels", max: LedgerLimits.maxScaleLabels)
            guard !items.isEmpty else { throw o.fail("import.labels must hold at least one label") }
            var labels = [ScaleLabel]()
            for (i, item) in items.enumerated() {
                let label: ScaleLabel
                do { label = try ScaleLabel(json: item, path: "import.labels[\(i)]") } catch { throw LedgerError(.invalidInput, error.reason) }
                guard !labels.contains(where: { $0.label == label.label }) else {
                    throw LedgerError(.duplicateID, "import.labels[\(i)] defines \"\(label.label)\" a second time in this line")
                }
                labels.append(label)
            }
            return .payload(.scale(ScalePayload(labels: labels, reason: try o.optionalText("reason"))))
        case "provenance":
            let source = try o.string("source", maxBytes: 128)
            let provenance = try provenanceDraft(try o.value("provenance"))
            return .editorial(.provenance(source: source, provenance, reason: try o.optionalText("reason")))
        case "position":
            let claim = try o.claimID("claim")
            var p = try StrictObject(try o.value("party"), path: "import.party", code: .invalidInput)
            let party = Party(name: try p.oneLine("name", maxBytes: 256), kind: try p.oneOf("kind", Party.Kind.self))
            try p.finish()
            return .editorial(.position(
                claim: claim, party: party, stance: try o.oneOf("stance", Stance.self), date: try o.date("date"),
                quotes: try quoteDrafts(&o, "quotes", required: true), evidence: try sourceNames(&o, "evidence"), note: try o.optionalText("note")))
        case "link":
            let from = try o.claimID("from"), relation = try o.oneOf("relation", LinkRelation.self), to = try o.claimID("to")
            guard from != to else { throw o.fail("import.to must name another claim than import.from (\(from))") }
            return .payload(.link(LinkPayload(from: from, relation: relation, to: to,
                                              note: try o.optionalText("note", maxBytes: LedgerLimits.maxShortTextBytes))))
        case "amend":
            return try amend(&o)
        case "review":
            let claim = try o.claimID("claim")
            let decision = try o.oneOf("decision", ReviewPayload.Decision.self)
            let note = try o.optionalText("note")
            if decision == .return && note == nil { throw o.fail("import.note is required when the decision is \"return\"") }
            guard o.has("status") else { return .editorial(.review(claim: claim, decision: decision, note: note)) }
            return .payload(.review(ReviewPayload(claim: claim, status: try o.digest("status"), decision: decision, note: note)))
        default:
            return nil
        }
    }

    private static func amend(_ o: inout StrictObject) throws(LedgerError) -> Draft {
        let claim = try o.claimID("claim")
        let action = try o.string("action")
        let reason = try o.text("reason")
        switch action {
        case "retract":
            guard !o.has("changes") else { throw o.fail("import.changes goes with \"correct\", not \"retract\"") }
            return .payload(.amend(AmendPayload(claim: claim, action: .retract, reason: reason)))
        case "correct":
            var c = try StrictObject(try o.value("changes"), path: "import.changes", code: .invalidInput)
            var changes = ClaimChanges()
            if c.has("statement") {
                changes.statement = try c.text("statement")
                changes.statementLanguage = try c.optionalString("lang", maxBytes: 64) ?? "en"
            } else if c.has("lang") {
                throw c.fail("import.changes.lang goes with import.changes.statement")
            }
            if c.has("claimant") { changes.claimant = try c.text("claimant", maxBytes: LedgerLimits.maxShortTextBytes) }
            if c.has("date") { changes.date = try c.date("date") }
            if c.has("kind") { changes.kind = try c.oneOf("kind", ClaimKind.self) }
            let quotes = try quoteDrafts(&c, "quotes")
            try c.finish()
            guard !changes.isEmpty || !quotes.isEmpty else {
                throw c.fail("import.changes must change at least one of statement, claimant, date, quotes, kind")
            }
            return .editorial(.correct(claim: claim, reason: reason, changes: changes, quotes: quotes))
        default:
            throw o.fail("import.action must be \"correct\" or \"retract\", found \"\(action.prefix(40))\"")
        }
    }

    /// A provenance object whose `republishes.source` is a source name (10.4).
    static func provenanceDraft(_ json: JSONValue) throws(LedgerError) -> ProvenanceDraft {
        var o = try StrictObject(json, path: "import.provenance", code: .invalidInput)
        var at: RetrievalTime?
        if o.has("retrievedAt") {
            let text = try o.string("retrievedAt", maxBytes: 64)
            guard let t = RetrievalTime(text) else {
                throw o.fail("import.provenance.retrievedAt must be a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM:SSZ, found \"\(text.prefix(40))\"")
            }
            at = t
        }
        var draft = ProvenanceDraft(retrievedAt: at, copy: try o.oneOf("copy", Provenance.Copy.self), kind: try o.oneOf("kind", Provenance.Kind.self),
                                    retrievedFrom: try o.optionalString("retrievedFrom"))
        if o.has("republishes") {
            var r = try StrictObject(try o.value("republishes"), path: "import.provenance.republishes", code: .invalidInput)
            if r.has("source") {
                draft.republishes = try r.string("source", maxBytes: 128)
            } else {
                draft.republishes = try r.string("url")
                draft.publisher = try r.text("publisher", maxBytes: LedgerLimits.maxShortTextBytes)
            }
            try r.finish()
        }
        try o.finish()
        return draft
    }

    /// Quotes `[{source, text, offset?}]`, at least one; absent (none) only when not `required`.
    static func quoteDrafts(_ o: inout StrictObject, _ key: String, required: Bool = false) throws(LedgerError) -> [QuoteDraft] {
        guard required || o.has(key) else { return [] }
        let items = try o.array(key, max: LedgerLimits.maxQuotes)
        guard !items.isEmpty else { throw o.fail("\(o.path).\(key) must hold at least one item") }
        var quotes = [QuoteDraft]()
        for (i, item) in items.enumerated() {
            var q = try StrictObject(item, path: "\(o.path).\(key)[\(i)]", code: .invalidInput)
            let source = try q.string("source", maxBytes: 128)
            let text = try q.string("text", maxBytes: LedgerLimits.maxTextBytes)
            let offset = q.has("offset") ? try q.integer("offset") : nil
            try q.finish()
            quotes.append(QuoteDraft(source: source, text: text, offset: offset))
        }
        return quotes
    }

    /// Source names `[NAME]` (absent: none).
    static func sourceNames(_ o: inout StrictObject, _ key: String) throws(LedgerError) -> [String] {
        guard o.has(key) else { return [] }
        var names = [String]()
        for (i, item) in try o.array(key, max: LedgerLimits.maxEvidence).enumerated() {
            guard let s = item.stringValue, !s.isEmpty else { throw o.fail("\(o.path).\(key)[\(i)] must be a non-empty string") }
            guard s.utf8.count <= 128 else { throw LedgerError(.limitExceeded, "\(o.path).\(key)[\(i)] is \(s.utf8.count) bytes, limit 128") }
            names.append(s)
        }
        return names
    }
}
