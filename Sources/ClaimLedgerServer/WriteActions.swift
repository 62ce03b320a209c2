import ClaimLedgerAccounts
import ClaimLedgerCore

/// The writes of the app, each read from a form or a JSON body into the same draft the CLI builds for
/// the same command (Sources/claimledger/ClaimCommands.swift, EditorialCommands.swift): the handlers
/// stay thin and the library judges the rest.
public enum WriteAction: String, Sendable, CaseIterable {
    case claim, status, position, link, correct, retract, review

    /// Who may do it: a journalist records; only an editor reviews (editors may do everything).
    public func allows(_ role: NewsroomRole) -> Bool {
        switch self {
        case .review: role == .editor
        case .claim, .status, .position, .link, .correct, .retract: true
        }
    }

    /// The members a JSON body may have (forms may carry `csrf` too).
    var fieldNames: Set<String> {
        switch self {
        case .claim: ["source", "quote", "offset", "statement", "lang", "claimant", "date", "kind", "id", "status", "rationale",
                      "evidence", "verdict", "spans"]
        case .status: ["status", "verdict", "rationale", "evidence", "spans"]
        case .position: ["party", "partyKind", "stance", "date", "source", "quote", "offset", "evidence", "note"]
        case .link: ["relation", "to", "note"]
        case .correct: ["reason", "statement", "lang", "claimant", "date", "source", "quote", "offset", "kind"]
        case .retract: ["reason"]
        case .review: ["decision", "note"]
        }
    }

    /// The draft of this write on claim `claim` (nil for a new claim), or every field error found.
    func draft(claim: String?, fields: WriteFields, today: CalendarDate) throws(WriteInputError) -> Draft {
        var f = fields
        f.refuseUnknown(fieldNames)
        let claimID = claim ?? ""
        let draft: Draft?
        switch self {
        case .claim: draft = Self.claimDraft(&f)
        case .status:
            var s = Self.statusDraft(&f, claim: claimID)
            if s != nil, f.errors.isEmpty { s?.spans = f.spans("spans") }
            draft = s.map { Draft.status($0) }
        case .position:
            let party = f.text("party", required: "Enter who takes the position", limit: 256)
            let kind = f.choice("partyKind", Party.Kind.self, required: "Choose what kind of party it is")
            let stance = f.choice("stance", Stance.self, required: "Choose the stance")
            let date = f.date("date") ?? today
            let quote = Self.quote(&f, required: true)
            let evidence = f.sourceList("evidence")
            let note = f.text("note", limit: LedgerLimits.maxTextBytes, oneLine: false)
            if let party, let kind, let stance, let quote {
                draft = .editorial(.position(claim: claimID, party: Party(name: party, kind: kind), stance: stance, date: date,
                                             quotes: [quote], evidence: evidence, note: note))
            } else { draft = nil }
        case .link:
            let relation = f.choice("relation", LinkRelation.self, required: "Choose how the claims are linked")
            let to = f.text("to", required: "Enter the id of the claim it links to", limit: 64)
            let note = f.text("note", limit: LedgerLimits.maxShortTextBytes, oneLine: false)
            draft = relation.flatMap { r in to.map { Draft.payload(.link(LinkPayload(from: claimID, relation: r, to: $0, note: note))) } }
        case .correct:
            let reason = f.text("reason", required: "Say why the claim is corrected", limit: LedgerLimits.maxTextBytes, oneLine: false)
            let statement = f.text("statement", limit: LedgerLimits.maxTextBytes, oneLine: false)
            let lang = Self.language(&f)
            let claimant = f.text("claimant")
            let date = f.date("date")
            let kind = f.choice("kind", ClaimKind.self)
            let quote = Self.quote(&f, required: false)
            if statement == nil, claimant == nil, date == nil, quote == nil, kind == nil, f.errors.isEmpty {
                f.fail("statement", "Give at least one corrected value: statement, claimant, date, quote or kind")
            }
            let changes = ClaimChanges(statement: statement, statementLanguage: statement == nil ? nil : (lang ?? "en"),
                                       claimant: claimant, date: date, kind: kind)
            draft = reason.map { Draft.editorial(.correct(claim: claimID, reason: $0, changes: changes, quotes: quote.map { [$0] } ?? [])) }
        case .retract:
            let reason = f.text("reason", required: "Say why the claim is retracted", limit: LedgerLimits.maxTextBytes, oneLine: false)
            draft = reason.map { Draft.payload(.amend(AmendPayload(claim: claimID, action: .retract, reason: $0))) }
        case .review:
            let decision = f.choice("decision", ReviewPayload.Decision.self, required: "Choose approve or return")
            let note = f.text("note", limit: LedgerLimits.maxTextBytes, oneLine: false)
            if decision == .return, note == nil { f.fail("note", "Say what needs to change: a return needs a note") }
            draft = decision.map { Draft.editorial(.review(claim: claimID, decision: $0, note: note)) }
        }
        guard f.errors.isEmpty, let draft else {
            throw WriteInputError(f.errors.isEmpty ? [FieldError("body", "Incomplete input")] : f.errors)
        }
        return draft
    }

    private static func claimDraft(_ f: inout WriteFields) -> Draft? {
        let quote = Self.quote(&f, required: true)
        let statement = f.text("statement", required: "Enter the claim as a statement", limit: LedgerLimits.maxTextBytes, oneLine: false)
        let lang = Self.language(&f) ?? "en"
        let claimant = f.text("claimant", required: "Enter who makes the claim")
        let date = f.date("date")
        let kind = f.choice("kind", ClaimKind.self)
        let id = f.text("id", limit: 64)
        if let id, !isClaimID(id) { f.fail("id", "An id is a lower-case letter then 2 to 63 of a-z, 0-9 and -") }
        var status: StatusDraft?
        if f.text("status", limit: 64) != nil || f.text("rationale", limit: LedgerLimits.maxTextBytes, oneLine: false) != nil {
            status = statusDraft(&f, claim: id ?? "")
            status?.spans = f.spans("spans")
        } else {
            for name in ["evidence", "verdict"] where f.values[name] != nil && !(f.isJSON == false && isBlank(f.values[name])) {
                f.fail(name, "\(name) goes with a status and its rationale")
            }
        }
        guard let quote, let statement, let claimant else { return nil }
        var draft = ClaimDraft(id: id, statement: statement, language: lang, claimant: claimant, date: date, quotes: [quote], status: status)
        draft.kind = kind
        return .claim(draft)
    }

    private static func statusDraft(_ f: inout WriteFields, claim: String) -> StatusDraft? {
        let status = f.choice("status", ClaimStatus.self, required: "Choose a status")
        let rationale = f.text("rationale", required: "Say why the claim has this status", limit: LedgerLimits.maxTextBytes, oneLine: false)
        let verdict = f.text("verdict", limit: 32)
        let evidence = f.sourceList("evidence")
        if verdict != nil, f.spans("spans").isEmpty {
            f.fail("spans", "A verdict rests on evidence spans: quote the words of the evidence it rests on")
        }
        guard let status, let rationale else { return nil }
        var draft = StatusDraft(claim: claim, status: status, rationale: rationale, evidence: evidence)
        draft.verdict = verdict
        return draft
    }

    /// `source` + `quote` (+ the hidden `offset` the server computed from the selection).
    private static func quote(_ f: inout WriteFields, required: Bool) -> QuoteDraft? {
        let source = f.text("source", required: required ? "Choose the source the quote is in" : nil, limit: 64)
        let text = f.text("quote", required: required ? "Enter the quote exactly as it stands in the source" : nil,
                          limit: LedgerLimits.maxTextBytes, oneLine: false)
        let offset = f.offset("offset")
        // An optional quote is absent when its text is: the source menu always has a choice selected.
        if text != nil, source == nil, f.errors.isEmpty {
            f.fail("source", "A quote needs both its source and its text")
        }
        guard let source, let text else { return nil }
        return QuoteDraft(source: source, text: text, offset: offset)
    }

    private static func language(_ f: inout WriteFields) -> String? {
        guard let lang = f.text("lang", limit: 35) else { return nil }
        let parts = lang.split(separator: "-", omittingEmptySubsequences: false)
        let letters = { (c: UInt8) in (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) }
        guard let first = parts.first, (2...8).contains(first.count), first.utf8.allSatisfy(letters),
              parts.dropFirst().allSatisfy({ (1...8).contains($0.count) && $0.utf8.allSatisfy { letters($0) || (0x30...0x39).contains($0) } })
        else { f.fail("lang", "Give a language tag such as en, fr or pt-BR"); return nil }
        return lang
    }

    static func isClaimID(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard (3...64).contains(b.count), (0x61...0x7A).contains(b[0]) else { return false }
        return b.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }

    private static func isBlank(_ v: WriteFields.Value?) -> Bool {
        switch v {
        case .text(let s)?: s.allSatisfy(\.isWhitespace)
        case .list(let l)?: l.allSatisfy { $0.allSatisfy(\.isWhitespace) }
        default: v == nil
        }
    }
}
