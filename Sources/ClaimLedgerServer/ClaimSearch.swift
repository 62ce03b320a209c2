import ClaimLedgerCore
import ClaimLedgerSite
import Synchronization

/// A claim in a list of results.
public struct ClaimSummary: Sendable {
    public let id: String
    public let statement: String
    public let lang: String
    public let claimant: String
    public let date: CalendarDate
    public let status: ClaimStatus
    public let verdict: String?
    public let reviewed: Bool
    public let corrected: Bool
    public let retracted: Bool
    public let seq: Int
    /// The matched text, as parts (never HTML): `match` parts are highlighted.
    public let snippet: [(text: String, match: Bool)]?
}

public struct ClaimListResult: Sendable {
    public let hits: [ClaimSummary]
    public let total: Int
    public let filter: ClaimFilter

    public var pageCount: Int { max(1, (total + filter.perPage - 1) / filter.perPage) }
}

/// Finds claims for the list and the API. The full-text index of ClaimLedgerSearch (SQLite FTS5,
/// app-contract.md section 2) answers when it is available; `MemoryClaimSearch` scans the view's
/// state otherwise (small ledgers, tests, a read-only directory the index cannot be written in).
public protocol ClaimSearching: Sendable {
    func search(_ filter: ClaimFilter, in snapshot: ViewSnapshot) throws -> ClaimListResult
    /// Values for the filter menus: claimants, parties, verdict labels.
    func facets(in snapshot: ViewSnapshot) throws -> (claimants: [String], parties: [String], verdicts: [String])
}

/// Search by scanning every claim of the snapshot: case-insensitive substring matching over the
/// statement, quotes, claimant, positions and rationales.
public final class MemoryClaimSearch: ClaimSearching {
    public typealias Facets = (claimants: [String], parties: [String], verdicts: [String])
    /// The facets of the last snapshot asked about (they change only with the ledger).
    private let cached = Mutex<(generation: Int, facets: Facets)?>(nil)

    public init() {}

    public func search(_ filter: ClaimFilter, in snapshot: ViewSnapshot) throws -> ClaimListResult {
        let state = snapshot.state
        let needle = filter.text.map(Self.fold)
        var matched: [(ClaimRecord, [(text: String, match: Bool)]?)] = []
        for id in state.claimOrder.reversed() {  // newest first
            guard let r = state.claims[id], Self.passes(r, filter) else { continue }
            if let needle {
                guard let snippet = Self.match(needle, in: r) else { continue }
                matched.append((r, snippet))
            } else {
                matched.append((r, nil))
            }
        }
        let start = (filter.page - 1) * filter.perPage
        let page = start < matched.count ? Array(matched[start..<min(matched.count, start + filter.perPage)]) : []
        return ClaimListResult(hits: page.map { Self.summary($0.0, snippet: $0.1) }, total: matched.count, filter: filter)
    }

    public func facets(in snapshot: ViewSnapshot) throws -> (claimants: [String], parties: [String], verdicts: [String]) {
        if let hit = cached.withLock({ $0 }), hit.generation == snapshot.generation { return hit.facets }
        let facets = Self.computeFacets(snapshot)
        cached.withLock { $0 = (snapshot.generation, facets) }
        return facets
    }

    static func computeFacets(_ snapshot: ViewSnapshot) -> Facets {
        var claimants = Set<String>(), parties = Set<String>()
        for r in snapshot.state.claims.values {
            claimants.insert(r.current.claimant)
            for p in r.positions { parties.insert(p.payload.party.name) }
        }
        return (claimants.sorted(), parties.sorted(), snapshot.state.scaleOrder)
    }

    static func summary(_ r: ClaimRecord, snippet: [(text: String, match: Bool)]?) -> ClaimSummary {
        let c = r.current
        return ClaimSummary(id: r.id, statement: c.statement, lang: c.statementLanguage, claimant: c.claimant, date: c.date,
                            status: r.status, verdict: r.history.last?.payload.verdict, reviewed: r.isReviewed,
                            corrected: r.isCorrected, retracted: r.isRetracted, seq: r.entry.seq, snippet: snippet)
    }

    static func passes(_ r: ClaimRecord, _ f: ClaimFilter) -> Bool {
        if !f.includeRetracted && r.isRetracted { return false }
        if let s = f.status, r.status != s { return false }
        if let v = f.verdict, r.history.last?.payload.verdict != v { return false }
        let c = r.current
        if let claimant = f.claimant, fold(c.claimant) != fold(claimant) { return false }
        if let party = f.party, !r.positions.contains(where: { fold($0.payload.party.name) == fold(party) }) { return false }
        if let source = f.source, !ClaimDocuments.citedSources(r).contains(where: { $0.hex.hasPrefix(source) }) { return false }
        if let reviewed = f.reviewed, r.isReviewed != reviewed { return false }
        if let from = f.from, c.date < from { return false }
        if let to = f.to, c.date > to { return false }
        return true
    }

    /// The first field containing `needle`, as a snippet around the match; nil when none does.
    static func match(_ needle: String, in r: ClaimRecord) -> [(text: String, match: Bool)]? {
        let c = r.current
        var fields = [c.statement] + c.quotes.map(\.text) + [c.claimant]
        fields += r.positions.flatMap { [$0.payload.party.name] + ($0.payload.note.map { [$0] } ?? []) + $0.payload.quotes.map(\.text) }
        fields += r.history.map(\.payload.rationale)
        for field in fields {
            let folded = fold(field)
            guard let range = folded.range(of: needle) else { continue }
            // `fold` keeps characters one for one, so the match's offsets apply to the field.
            let lo = folded.distance(from: folded.startIndex, to: range.lowerBound)
            let n = folded.distance(from: range.lowerBound, to: range.upperBound)
            let chars = Array(field)
            guard chars.count == folded.count else { return [(field, false)] }
            let before = max(0, lo - 60), after = min(chars.count, lo + n + 60)
            return [((before > 0 ? "…" : "") + String(chars[before..<lo]), false), (String(chars[lo..<(lo + n)]), true),
                    (String(chars[(lo + n)..<after]) + (after < chars.count ? "…" : ""), false)]
        }
        return nil
    }

    /// Lower-cased, character for character.
    static func fold(_ s: String) -> String {
        String(s.map { ch -> Character in
            let lower = ch.lowercased()
            return lower.count == 1 ? Character(lower) : ch
        })
    }
}
