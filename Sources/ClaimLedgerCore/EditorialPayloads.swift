import LedgerCrypto

/// Whether a claim is about what someone said or about what is so (FORMAT.md 5.4).
public enum ClaimKind: String, Sendable, CaseIterable {
    case attribution, substance
}

/// The ClaimReview mapping of a verdict label (FORMAT.md 5.6): schema.org `Rating` members.
public struct ReviewRating: Sendable, Equatable {
    public var alternateName: String
    public var ratingValue: Int
    public var bestRating: Int
    public var worstRating: Int

    public init(alternateName: String, ratingValue: Int, bestRating: Int, worstRating: Int) {
        self.alternateName = alternateName
        self.ratingValue = ratingValue
        self.bestRating = bestRating
        self.worstRating = worstRating
    }
}

/// One label of the verdict scale, with what it means and how it is published.
public struct ScaleLabel: Sendable, Equatable {
    public var label: String
    public var description: String
    public var rating: ReviewRating

    public init(label: String, description: String, rating: ReviewRating) {
        self.label = label
        self.description = description
        self.rating = rating
    }
}

/// Defines new verdict labels or revises existing ones (with a reason); signed by a root key.
public struct ScalePayload: Sendable, Equatable {
    public var labels: [ScaleLabel]
    public var reason: String?

    public init(labels: [ScaleLabel], reason: String? = nil) {
        self.labels = labels
        self.reason = reason
    }
}

/// Who takes a position.
public struct Party: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case person, government, organisation, publication, other }
    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

public enum Stance: String, Sendable, CaseIterable {
    case asserts, denies, disputes, concedes, qualifies
}

/// A party's position on a claim, where it takes it (quotes), and what supports it.
public struct PositionPayload: Sendable, Equatable {
    public var claim: String
    public var party: Party
    public var stance: Stance
    public var date: CalendarDate
    public var quotes: [Quote]
    public var evidence: [SHA256Digest]
    public var note: String?

    public init(claim: String, party: Party, stance: Stance, date: CalendarDate, quotes: [Quote],
                evidence: [SHA256Digest] = [], note: String? = nil) {
        self.claim = claim
        self.party = party
        self.stance = stance
        self.date = date
        self.quotes = quotes
        self.evidence = evidence
        self.note = note
    }
}

public enum LinkRelation: String, Sendable, CaseIterable {
    case reports, counters, partOf = "part-of", sameAs = "same-as", supersedes, contextFor = "context-for"
}

/// A typed, directed link: `from` relation `to`.
public struct LinkPayload: Sendable, Equatable {
    public var from: String
    public var relation: LinkRelation
    public var to: String
    public var note: String?

    public init(from: String, relation: LinkRelation, to: String, note: String? = nil) {
        self.from = from
        self.relation = relation
        self.to = to
        self.note = note
    }
}

/// What a correction replaces; at least one member is set.
public struct ClaimChanges: Sendable, Equatable {
    public var statement: String?
    public var statementLanguage: String?
    public var claimant: String?
    public var date: CalendarDate?
    public var quotes: [Quote]?
    public var kind: ClaimKind?

    public init(statement: String? = nil, statementLanguage: String? = nil, claimant: String? = nil,
                date: CalendarDate? = nil, quotes: [Quote]? = nil, kind: ClaimKind? = nil) {
        self.statement = statement
        self.statementLanguage = statementLanguage
        self.claimant = claimant
        self.date = date
        self.quotes = quotes
        self.kind = kind
    }

    public var isEmpty: Bool { statement == nil && claimant == nil && date == nil && quotes == nil && kind == nil }

    /// Whether the changes touch what the claim says (statement, language, claimant, date, quotes). A
    /// `correct` that only states `kind` classifies the claim: it does not make it corrected (FORMAT.md 5.9).
    public var changesText: Bool {
        statement != nil || statementLanguage != nil || claimant != nil || date != nil || quotes != nil
    }

    /// `claim` with these changes applied.
    public func applied(to claim: ClaimPayload) -> ClaimPayload {
        var c = claim
        if let statement { c.statement = statement }
        if let statementLanguage { c.statementLanguage = statementLanguage }
        if let claimant { c.claimant = claimant }
        if let date { c.date = date }
        if let quotes { c.quotes = quotes }
        if let kind { c.kind = kind }
        return c
    }
}

/// Corrects or retracts a claim, with a reason.
public struct AmendPayload: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case correct(ClaimChanges)
        case retract
    }
    public var claim: String
    public var action: Action
    public var reason: String

    public init(claim: String, action: Action, reason: String) {
        self.claim = claim
        self.action = action
        self.reason = reason
    }
}

/// An editor's decision on a claim's latest status entry.
public struct ReviewPayload: Sendable, Equatable {
    public enum Decision: String, Sendable, CaseIterable { case approve, `return` }
    public var claim: String
    public var status: SHA256Digest
    public var decision: Decision
    public var note: String?

    public init(claim: String, status: SHA256Digest, decision: Decision, note: String? = nil) {
        self.claim = claim
        self.status = status
        self.decision = decision
        self.note = note
    }
}

/// Where a source's archived bytes came from and what they are (FORMAT.md 5.10).
public struct Provenance: Sendable, Equatable {
    public enum Copy: String, Sendable, CaseIterable { case full, excerpt }
    public enum Kind: String, Sendable, CaseIterable {
        case officialStatement = "official-statement", officialRecord = "official-record", wireCopy = "wire-copy"
        case newsReport = "news-report", socialMediaPost = "social-media-post", pressRelease = "press-release"
        case transcript, other
    }
    /// The origin a source copies: an archived source, or a document not archived.
    public enum Origin: Sendable, Equatable, Hashable {
        case source(SHA256Digest)
        case url(String, publisher: String)
    }
    /// When the archived copy was retrieved, when known: a day, or a time (FORMAT.md 1.7).
    public var retrievedAt: RetrievalTime?
    public var copy: Copy
    public var kind: Kind
    public var retrievedFrom: String?
    public var republishes: Origin?

    public init(retrievedAt: RetrievalTime? = nil, copy: Copy, kind: Kind, retrievedFrom: String? = nil, republishes: Origin? = nil) {
        self.retrievedAt = retrievedAt
        self.copy = copy
        self.kind = kind
        self.retrievedFrom = retrievedFrom
        self.republishes = republishes
    }
}

/// When an archived copy was retrieved: a day (`YYYY-MM-DD`) when the time is not known, or a time
/// (`YYYY-MM-DDTHH:MM:SSZ`); FORMAT.md 1.7 and 5.10.
public enum RetrievalTime: Sendable, Equatable, CustomStringConvertible {
    case date(CalendarDate)
    case time(Timestamp)

    /// A date or a time; nil for anything else.
    public init?(_ text: String) {
        if let d = CalendarDate(text) {
            self = .date(d)
        } else if let t = Timestamp(rfc3339: text) {
            self = .time(t)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .date(let d): d.description
        case .time(let t): t.description
        }
    }
}

/// Records (or replaces) the provenance of an already recorded source.
public struct ProvenancePayload: Sendable, Equatable {
    public var source: SHA256Digest
    public var provenance: Provenance
    public var reason: String?

    public init(source: SHA256Digest, provenance: Provenance, reason: String? = nil) {
        self.source = source
        self.provenance = provenance
        self.reason = reason
    }
}
