import ClaimLedgerCore

/// What the claims list asks for: every filter set is combined with AND (issue 12, app-contract.md 2).
public struct ClaimQuery: Sendable, Equatable {
    /// Full text over statements, quotes, claimants, positions and rationales. Any text is accepted: it is
    /// split into words, each searched as a quoted term (the last one as a prefix), never as FTS5 syntax.
    public var text: String?
    /// The claim's current status.
    public var status: ClaimStatus?
    /// The current status entry's verdict label (exact, case-insensitive).
    public var verdict: String?
    /// The current claimant (exact, case-insensitive).
    public var claimant: String?
    /// A party with a position on the claim (exact, case-insensitive).
    public var party: String?
    /// A source id (64 hex digits) or a prefix of 8 or more: claims whose current quotes quote it.
    public var source: String?
    /// Whether the current status entry's latest review approves it.
    public var reviewed: Bool?
    /// The claim's (current) date, inclusive bounds.
    public var from: CalendarDate?
    public var to: CalendarDate?
    public var includeRetracted = false
    /// 1-based page number, and hits per page (1...200).
    public var page = 1
    public var perPage = 50

    public static let maxPerPage = 200

    public init(text: String? = nil, status: ClaimStatus? = nil, verdict: String? = nil, claimant: String? = nil,
                party: String? = nil, source: String? = nil, reviewed: Bool? = nil, from: CalendarDate? = nil,
                to: CalendarDate? = nil, includeRetracted: Bool = false, page: Int = 1, perPage: Int = 50) {
        self.text = text
        self.status = status
        self.verdict = verdict
        self.claimant = claimant
        self.party = party
        self.source = source
        self.reviewed = reviewed
        self.from = from
        self.to = to
        self.includeRetracted = includeRetracted
        self.page = page
        self.perPage = perPage
    }
}

/// A piece of a snippet: plain text from the ledger (to be escaped by whoever renders it), and whether it
/// matched the query. Never HTML.
public struct SnippetPart: Sendable, Equatable {
    public let text: String
    public let match: Bool

    public init(text: String, match: Bool) {
        self.text = text
        self.match = match
    }
}

/// A claim in a result page: its current facts as the index holds them.
public struct ClaimHit: Sendable, Equatable {
    public let id: String
    public let statement: String
    public let claimant: String
    public let date: CalendarDate
    public let status: ClaimStatus
    public let verdict: String?
    public let reviewed: Bool
    public let corrected: Bool
    public let retracted: Bool
    /// The claim entry's seq.
    public let seq: Int
    /// For text queries: where the text matched (the statement when it did, else the first field that
    /// did), as parts. Nil without a text query.
    public let snippet: [SnippetPart]?

    public init(id: String, statement: String, claimant: String, date: CalendarDate, status: ClaimStatus, verdict: String?,
                reviewed: Bool, corrected: Bool, retracted: Bool, seq: Int, snippet: [SnippetPart]?) {
        self.id = id
        self.statement = statement
        self.claimant = claimant
        self.date = date
        self.status = status
        self.verdict = verdict
        self.reviewed = reviewed
        self.corrected = corrected
        self.retracted = retracted
        self.seq = seq
        self.snippet = snippet
    }
}

public struct ClaimResults: Sendable {
    public let hits: [ClaimHit]
    /// How many claims match in all (every page).
    public let total: Int
    public let query: ClaimQuery

    public init(hits: [ClaimHit], total: Int, query: ClaimQuery) {
        self.hits = hits
        self.total = total
        self.query = query
    }

    /// The number of pages at `query.perPage` per page (at least 1).
    public var pageCount: Int { max(1, (total + query.perPage - 1) / query.perPage) }
}

/// Values for the filter menus, each sorted (case-insensitively), at most `SearchFacets.limit` each (the
/// most frequent when there are more).
public struct SearchFacets: Sendable, Equatable {
    public static let limit = 500
    public let claimants: [String]
    public let parties: [String]
    public let verdicts: [String]

    public init(claimants: [String], parties: [String], verdicts: [String]) {
        self.claimants = claimants
        self.parties = parties
        self.verdicts = verdicts
    }
}
