import ClaimLedgerCore
import LedgerCrypto

/// What the index keeps of one claim: its current facts, folded from the claim entry and every later entry
/// about it with the same rules as `ClaimRecord` (+Editorial): corrections applied in order, the latest
/// status and its verdict, reviewed when the latest review of the latest status approves it, the latest
/// position of each party in order of their first position, every status's rationale.
struct IndexedClaim: Equatable {
    /// The claims table's rowid (0 until stored).
    var rowid: Int64 = 0
    let id: String
    let seq: Int
    var statement: String
    var claimant: String
    var date: CalendarDate
    var kind: ClaimKind?
    /// The current quotes' texts, one per line, and the sources they quote (hex, first occurrence order).
    var quotes: String
    var sources: [String]
    var status: ClaimStatus = .unverified
    var verdict: String?
    /// The hash (hex) of the latest status entry, which reviews name.
    var latestStatus: String?
    var reviewed = false
    var corrected = false
    var retracted = false
    /// Every status entry's rationale, one per line, in ledger order.
    var rationales = ""
    var positions: [Position] = []

    struct Position: Equatable {
        let party: String
        var text: String
    }

    init(claim c: ClaimPayload, seq: Int) {
        id = c.id
        self.seq = seq
        statement = c.statement
        claimant = c.claimant
        date = c.date
        kind = c.kind
        (quotes, sources) = Self.quoteFields(c.quotes)
    }

    init(rowid: Int64, id: String, seq: Int, statement: String, claimant: String, date: CalendarDate, quotes: String,
         sources: [String]) {
        self.rowid = rowid
        self.id = id
        self.seq = seq
        self.statement = statement
        self.claimant = claimant
        self.date = date
        self.quotes = quotes
        self.sources = sources
    }

    static func quoteFields(_ quotes: [Quote]) -> (String, [String]) {
        var sources = [String]()
        for q in quotes where !sources.contains(q.source.hex) { sources.append(q.source.hex) }
        return (quotes.map(\.text).joined(separator: "\n"), sources)
    }

    /// The ids of the claims an entry's payload changes the indexed facts of.
    static func claimID(touchedBy payload: Payload) -> String? {
        switch payload {
        case .claim(let c): c.id
        case .status(let s): s.claim
        case .amend(let a): a.claim
        case .position(let p): p.claim
        case .review(let r): r.claim
        default: nil   // links, sources, keys, scale, provenance: nothing the index holds
        }
    }

    /// Folds a later entry about this claim (a status, amend, position or review) into the facts.
    mutating func apply(_ signed: SignedEntry) {
        switch signed.entry.payload {
        case .status(let s):
            status = s.status
            verdict = s.verdict
            latestStatus = signed.hash.hex
            reviewed = false
            rationales = rationales.isEmpty ? s.rationale : rationales + "\n" + s.rationale
        case .amend(let a):
            switch a.action {
            case .retract: retracted = true
            case .correct(let changes):
                if let s = changes.statement { statement = s }
                if let c = changes.claimant { claimant = c }
                if let d = changes.date { date = d }
                if let q = changes.quotes { (quotes, sources) = Self.quoteFields(q) }
                if let k = changes.kind { kind = k }
                if changes.changesText { corrected = true }
            }
        case .position(let p):
            let text = ([p.stance.rawValue] + p.quotes.map(\.text) + (p.note.map { [$0] } ?? [])).joined(separator: "\n")
            if let i = positions.firstIndex(where: { $0.party == p.party.name }) {
                positions[i].text = text
            } else {
                positions.append(Position(party: p.party.name, text: text))
            }
        case .review(let r):
            if r.status.hex == latestStatus { reviewed = r.decision == .approve }
        default: break
        }
    }

    /// The positions column of the full-text table: each party's name and its latest position's text.
    var positionsText: String {
        positions.map { "\($0.party)\n\($0.text)" }.joined(separator: "\n")
    }
}
