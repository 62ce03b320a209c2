import LedgerCrypto

/// A source to record: its bytes and metadata, before it becomes a payload.
public struct SourceDraft: Sendable {
    public var bytes: [UInt8]
    public var title: String
    public var publisher: String
    public var url: String
    public var published: CalendarDate
    public var language: String
    public var mediaType: String
    /// Optional provenance (FORMAT.md 5.10), its origin still a name.
    public var provenance: ProvenanceDraft?

    public init(bytes: [UInt8], title: String, publisher: String, url: String, published: CalendarDate,
                language: String, mediaType: String, provenance: ProvenanceDraft? = nil) {
        self.provenance = provenance
        self.bytes = bytes
        self.title = title
        self.publisher = publisher
        self.url = url
        self.published = published
        self.language = language
        self.mediaType = mediaType
    }

    public var payload: SourcePayload {
        SourcePayload(sha256: SHA256.hash(bytes), size: bytes.count, title: title, publisher: publisher, url: url,
                      published: published, language: language, mediaType: mediaType)
    }
}

/// A quote to find: text in a source (by id or by an import file's ref), optionally at a given offset.
public struct QuoteDraft: Sendable {
    public var source: String
    public var text: String
    public var offset: Int?

    public init(source: String, text: String, offset: Int? = nil) {
        self.source = source
        self.text = text
        self.offset = offset
    }
}

/// A claim to record, with an optional first status.
public struct ClaimDraft: Sendable {
    public var id: String?
    public var statement: String
    public var language: String
    public var claimant: String
    public var date: CalendarDate?
    public var quotes: [QuoteDraft]
    public var status: StatusDraft?
    /// Optional (FORMAT.md 5.4).
    public var kind: ClaimKind?

    public init(id: String?, statement: String, language: String, claimant: String, date: CalendarDate?,
                quotes: [QuoteDraft], status: StatusDraft?) {
        self.id = id
        self.statement = statement
        self.language = language
        self.claimant = claimant
        self.date = date
        self.quotes = quotes
        self.status = status
    }
}

public struct StatusDraft: Sendable {
    public var claim: String
    public var status: ClaimStatus
    public var rationale: String
    public var evidence: [String]
    /// Optional verdict label, and the evidence spans it rests on (their sources join `evidence`).
    public var verdict: String?
    public var spans: [QuoteDraft] = []

    public init(claim: String, status: ClaimStatus, rationale: String, evidence: [String]) {
        self.claim = claim
        self.status = status
        self.rationale = rationale
        self.evidence = evidence
    }
}

public enum Draft: Sendable {
    case source(SourceDraft, ref: String?)
    case claim(ClaimDraft)
    case status(StatusDraft)
    /// A payload that needs no resolving (key entries).
    case payload(Payload)
    /// A position, correction, review or provenance to resolve (EditorialDrafts.swift).
    case editorial(EditorialDraft)
}

/// An archive that also serves sources not yet written: used to check a batch before anything is stored.
public struct PendingArchive<Base: SourceArchive>: SourceArchive {
    public let base: Base
    public private(set) var pending: [SHA256Digest: [UInt8]] = [:]

    public init(base: Base) { self.base = base }

    public mutating func add(_ bytes: [UInt8]) -> SHA256Digest {
        let d = SHA256.hash(bytes)
        pending[d] = bytes
        return d
    }

    public func contents(of digest: SHA256Digest) throws(LedgerError) -> [UInt8]? {
        if let b = pending[digest] { return b }
        return try base.contents(of: digest)
    }
}

/// Resolves drafts into payloads against the ledger's state: source refs and id prefixes to digests,
/// quote texts to offsets, default ids and dates. `sources` must hold every draft source's bytes.
public struct DraftResolver<Base: SourceArchive> {
    public private(set) var archive: PendingArchive<Base>
    private var refs: [String: SHA256Digest] = [:]
    private var published: [SHA256Digest: CalendarDate] = [:]
    /// Indexes of the sources most recently quoted without an offset (each built once).
    private var quoteIndexes: [(digest: SHA256Digest, index: QuoteIndex?, built: Bool)] = []
    private let state: LedgerState

    public init(state: LedgerState, archive: Base) {
        self.state = state
        self.archive = PendingArchive(base: archive)
        for (d, r) in state.sources { published[d] = r.payload.published }
    }

    /// The payloads of `drafts`, in order (a claim with a status gives two). Errors name the draft's index.
    public mutating func resolve(_ drafts: [Draft]) throws(LedgerError) -> [Payload] {
        var payloads = [Payload]()
        for (i, draft) in drafts.enumerated() {
            do {
                let resolved = try resolve(draft)
                for p in resolved { try WriterRules.check(p, after: state) }
                payloads += resolved
            } catch { throw LedgerError(error.code, "item \(i + 1): \(error.reason)") }
        }
        return payloads
    }

    /// The payloads of one draft (a claim with a status gives two), after the drafts resolved before it.
    /// A review without a status names the latest status entry of its claim in `latest` (default: the
    /// state the resolver started from; an import passes the state after its earlier lines).
    public mutating func resolve(_ draft: Draft, latest: LedgerState? = nil) throws(LedgerError) -> [Payload] {
        switch draft {
        case .source(let s, let ref):
            guard s.bytes.count <= LedgerLimits.maxSourceBytes else {
                throw LedgerError(.limitExceeded, "the source is \(s.bytes.count) bytes, limit \(LedgerLimits.maxSourceBytes)")
            }
            var payload = s.payload
            if let p = s.provenance { payload.provenance = try provenance(p) }
            _ = archive.add(s.bytes)
            if let ref {
                guard refs[ref] == nil else { throw LedgerError(.duplicateID, "source ref \"\(ref)\" is defined twice") }
                refs[ref] = payload.sha256
            }
            published[payload.sha256] = payload.published
            return [.source(payload)]
        case .claim(let c):
            var quotes = [Quote]()
            for q in c.quotes {
                let digest = try source(q.source)
                guard let bytes = try archive.contents(of: digest) else {
                    throw LedgerError(.sourceMissing, "source \(digest.hex) is not archived")
                }
                let index = q.offset == nil ? quoteIndex(digest, bytes) : nil
                quotes.append(try QuoteLocator.locate(q.text, in: bytes, source: digest, offset: q.offset, index: index))
            }
            guard let first = quotes.first else { throw LedgerError(.invalidInput, "a claim needs at least one quote") }
            let id = c.id ?? ClaimDocuments.defaultClaimID(statement: c.statement, claimant: c.claimant, quotes: quotes)
            guard let date = c.date ?? published[first.source] else { throw LedgerError(.invalidInput, "the claim needs a date") }
            let claim = ClaimPayload(id: id, statement: c.statement, statementLanguage: c.language, claimant: c.claimant,
                                     date: date, quotes: quotes, kind: c.kind)
            guard let s = c.status else { return [.claim(claim)] }
            var status = s
            status.claim = id
            return [.claim(claim), try resolve(status)]
        case .status(let s):
            return [try resolve(s)]
        case .payload(let p):
            return [p]
        case .editorial(let d):
            return [try resolveEditorial(d, latest: latest ?? state)]
        }
    }

    /// The index of source `digest`, built at its second quote without an offset (one search costs less
    /// than an index); kept for the 4 sources most recently so quoted. Nil for a source too large to index.
    private mutating func quoteIndex(_ digest: SHA256Digest, _ bytes: [UInt8]) -> QuoteIndex? {
        guard let hit = quoteIndexes.firstIndex(where: { $0.digest == digest }) else {
            if quoteIndexes.count == 4 { quoteIndexes.removeFirst() }
            quoteIndexes.append((digest, nil, false))
            return nil
        }
        if !quoteIndexes[hit].built { quoteIndexes[hit] = (digest, QuoteIndex(bytes), true) }
        return quoteIndexes[hit].index
    }

    private func resolve(_ s: StatusDraft) throws(LedgerError) -> Payload {
        var evidence = [SHA256Digest]()
        for e in s.evidence {
            let d = try source(e)
            if !evidence.contains(d) { evidence.append(d) }
        }
        let spans = try locate(s.spans)
        for d in spans.map(\.source) where !evidence.contains(d) { evidence.append(d) }
        return .status(StatusPayload(claim: s.claim, status: s.status, rationale: s.rationale, evidence: evidence,
                                     verdict: s.verdict, spans: spans))
    }

    /// A source named by an import ref, a full id, or a unique id prefix of at least 8 hex digits.
    public func source(_ name: String) throws(LedgerError) -> SHA256Digest {
        if let d = refs[name] { return d }
        if let d = SHA256Digest(hex: name) {
            guard published[d] != nil else { throw LedgerError(.unknownSource, "no source \(name) in this ledger") }
            return d
        }
        guard name.count >= 8, name.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw LedgerError(.unknownSource, "no source \"\(name.prefix(64))\": give a source id (or a prefix of 8+ hex digits) or a ref defined earlier")
        }
        let matches = published.keys.filter { $0.hex.hasPrefix(name) }
        guard matches.count == 1, let d = matches.first else {
            throw LedgerError(.unknownSource, matches.isEmpty ? "no source with id prefix \(name)" : "id prefix \(name) names \(matches.count) sources")
        }
        return d
    }
}
