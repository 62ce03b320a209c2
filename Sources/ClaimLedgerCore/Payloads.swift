import CanonicalJSON
import LedgerCrypto

/// The entry types (FORMAT.md "Entry types"); the last six make the editorial record (FORMAT.md 5.6-5.11).
public enum EntryType: String, Sendable, CaseIterable {
    case genesis, key, source, claim, status
    case scale, position, link, amend, review, provenance
}

/// A claim's dispute status (FORMAT.md "Statuses" defines each).
public enum ClaimStatus: String, Sendable, CaseIterable, Comparable {
    case unverified, corroborated, disputed, refuted, unverifiable

    public static func < (a: ClaimStatus, b: ClaimStatus) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A key named in a genesis or key entry.
public struct NamedKey: Sendable, Equatable {
    public var name: String
    public var publicKey: Ed25519PublicKey

    public init(name: String, publicKey: Ed25519PublicKey) {
        self.name = name
        self.publicKey = publicKey
    }
}

/// seq 0: the ledger's origin and its root keys; signed by one of them.
public struct GenesisPayload: Sendable, Equatable {
    public var origin: String
    public var keys: [NamedKey]

    public init(origin: String, keys: [NamedKey]) {
        self.origin = origin
        self.keys = keys
    }
}

/// Admits or revokes a key, or approves a pending root-key change; signed by an active root key.
public enum KeyPayload: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable { case root, journalist, editor }
    case add(NamedKey, role: Role)
    case revoke(keyID: SHA256Digest, reason: String?)
    /// Approves the pending root-key change proposed by the entry with this hash (FORMAT.md 7.3).
    case approve(entry: SHA256Digest)
}

/// An archived source: metadata plus the digest of its bytes, which are kept in the ledger directory.
public struct SourcePayload: Sendable, Equatable {
    public var sha256: SHA256Digest
    public var size: Int
    public var title: String
    public var publisher: String
    public var url: String
    public var published: CalendarDate
    public var language: String
    public var mediaType: String
    /// Optional (FORMAT.md 5.10).
    public var provenance: Provenance?

    public init(sha256: SHA256Digest, size: Int, title: String, publisher: String, url: String,
                published: CalendarDate, language: String, mediaType: String, provenance: Provenance? = nil) {
        self.provenance = provenance
        self.sha256 = sha256
        self.size = size
        self.title = title
        self.publisher = publisher
        self.url = url
        self.published = published
        self.language = language
        self.mediaType = mediaType
    }

    /// A source's id is the hex SHA-256 of its bytes.
    public var id: String { sha256.hex }
}

/// An exact quote: `text` is the UTF-8 bytes `[start, end)` of the source.
public struct Quote: Sendable, Equatable {
    public var source: SHA256Digest
    public var text: String
    public var start: Int
    public var end: Int

    public init(source: SHA256Digest, text: String, start: Int, end: Int) {
        self.source = source
        self.text = text
        self.start = start
        self.end = end
    }
}

/// A claim: what is asserted, by whom, when, and where it is quoted.
public struct ClaimPayload: Sendable, Equatable {
    public var id: String
    public var statement: String
    public var statementLanguage: String
    public var claimant: String
    public var date: CalendarDate
    public var quotes: [Quote]
    /// Optional: absent in claims recorded before it existed.
    public var kind: ClaimKind?

    public init(id: String, statement: String, statementLanguage: String, claimant: String,
                date: CalendarDate, quotes: [Quote], kind: ClaimKind? = nil) {
        self.kind = kind
        self.id = id
        self.statement = statement
        self.statementLanguage = statementLanguage
        self.claimant = claimant
        self.date = date
        self.quotes = quotes
    }
}

/// A new status of a claim; the latest one is the claim's current status.
public struct StatusPayload: Sendable, Equatable {
    public var claim: String
    public var status: ClaimStatus
    public var rationale: String
    public var evidence: [SHA256Digest]
    /// Optional: a label of the ledger's verdict scale (FORMAT.md 5.5, 5.6).
    public var verdict: String?
    /// Evidence spans, verified as quotes; at least one when `verdict` is given.
    public var spans: [Quote]

    public init(claim: String, status: ClaimStatus, rationale: String, evidence: [SHA256Digest],
                verdict: String? = nil, spans: [Quote] = []) {
        self.verdict = verdict
        self.spans = spans
        self.claim = claim
        self.status = status
        self.rationale = rationale
        self.evidence = evidence
    }
}

public enum Payload: Sendable, Equatable {
    case genesis(GenesisPayload)
    case key(KeyPayload)
    case source(SourcePayload)
    case claim(ClaimPayload)
    case status(StatusPayload)
    case scale(ScalePayload)
    case position(PositionPayload)
    case link(LinkPayload)
    case amend(AmendPayload)
    case review(ReviewPayload)
    case provenance(ProvenancePayload)

    public var type: EntryType {
        switch self {
        case .genesis: .genesis
        case .key: .key
        case .source: .source
        case .claim: .claim
        case .status: .status
        case .scale: .scale
        case .position: .position
        case .link: .link
        case .amend: .amend
        case .review: .review
        case .provenance: .provenance
        }
    }
}
