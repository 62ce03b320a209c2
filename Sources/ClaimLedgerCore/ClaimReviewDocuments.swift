import CanonicalJSON

/// Who publishes the fact checks and where their pages are: what the ledger does not record, given
/// once by whoever publishes (`claimledger export --format claimreview`), checked here.
public struct ClaimReviewOptions: Sendable, Equatable {
    /// The newsroom's name: the ClaimReview's `author`.
    public let publisher: String
    /// The newsroom's home page (`author.url`), when given.
    public let publisherURL: String?
    /// The public base URL of the claim pages, without a trailing `/`: a claim's page is `<base>/claims/<id>`.
    public let baseURL: String?
    /// Appended to a claim page's URL: empty on the newsroom server, `.html` for a static site's files.
    public var claimPageSuffix = ""

    /// Checks the options: `publisher` one-line text of 1 to 2048 bytes; each URL an absolute `http` or
    /// `https` URL without spaces or control characters (the base URL also without `?` or `#`).
    public init(publisher: String, publisherURL: String? = nil, baseURL: String? = nil) throws(LedgerError) {
        guard !publisher.isEmpty, publisher.utf8.count <= 2048,
              !publisher.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            throw LedgerError(.invalidInput, "--publisher must be one line of 1 to 2048 bytes without control characters")
        }
        self.publisher = publisher
        self.publisherURL = try publisherURL.map { u throws(LedgerError) in try Self.checkURL(u, option: "--publisher-url") }
        self.baseURL = try baseURL.map { u throws(LedgerError) in
            var base = try Self.checkURL(u, option: "--base-url")
            guard !base.contains("?"), !base.contains("#") else {
                throw LedgerError(.invalidInput, "--base-url must not have a query or a fragment: claim pages are <base>/claims/<id>")
            }
            while base.hasSuffix("/") { base.removeLast() }
            return base
        }
    }

    static func checkURL(_ u: String, option: String) throws(LedgerError) -> String {
        let lower = u.lowercased()
        let rest = lower.hasPrefix("https://") ? lower.dropFirst(8) : lower.hasPrefix("http://") ? lower.dropFirst(7) : nil
        guard let rest, let host = rest.split(separator: "/", omittingEmptySubsequences: false).first, !host.isEmpty,
              u.utf8.count <= 2048, !u.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw LedgerError(.invalidInput, "\(option) must be an absolute http or https URL, found \"\(u.prefix(200))\"")
        }
        return u
    }
}

/// schema.org `ClaimReview` (JSON-LD) of a claim's reviewed verdict, for `claimledger export --format
/// claimreview` and the claim pages (docs/AUDIT.md "Publishing as ClaimReview" has the mapping table;
/// schemas/claimreview.schema.json the form). Pure: from the verified state and a claim's record only.
public enum ClaimReviewDocuments {
    public static let context = "https://schema.org"
    /// `propertyID`s of the `PropertyValue` identifiers that tie a document to the ledger's entries.
    public static let claimEntryProperty = "claimledger:claim-entry"
    public static let statusEntryProperty = "claimledger:status-entry"
    public static let reviewEntryProperty = "claimledger:review-entry"
    public static let originProperty = "claimledger:origin"
    public static let claimIDProperty = "claimledger:claim-id"
    public static let sourceProperty = "claimledger:source"

    /// The approving review of a claim's current verdict, when the claim is publishable: not retracted,
    /// its latest status entry carries a verdict of the scale, and that entry's latest review approves it.
    public static func approval(of record: ClaimRecord, in state: LedgerState)
        -> (status: StatusRecord, label: ScaleLabel, review: Recorded<ReviewPayload>)? {
        guard !record.isRetracted, let status = record.history.last, let verdict = status.payload.verdict,
              let review = record.currentReviews.last, review.payload.decision == .approve,
              let label = ClaimDocuments.definition(of: verdict, at: status.entry.seq, in: state) else { return nil }
        return (status, label, review)
    }

    /// The ClaimReview of `record`'s reviewed verdict, or nil when it has none to publish (`approval`).
    public static func claimReview(_ record: ClaimRecord, in state: LedgerState, options: ClaimReviewOptions) -> JSONValue? {
        guard let (status, label, review) = approval(of: record, in: state) else { return nil }
        let claim = record.current
        var author: [String: JSONValue] = ["@type": "Organization", "name": .string(options.publisher)]
        if let u = options.publisherURL { author["url"] = .string(u) }
        var o: [String: JSONValue] = [
            "@context": .string(context), "@type": "ClaimReview",
            "claimReviewed": .string(claim.statement), "inLanguage": .string(claim.statementLanguage),
            "reviewRating": rating(label.rating, explanation: status.payload.rationale),
            "itemReviewed": itemReviewed(record, claim: claim, in: state),
            "author": .object(author),
            "datePublished": .string(review.entry.time.description),
            "identifier": .array([
                identifier(originProperty, state.origin ?? ""),
                identifier(statusEntryProperty, status.entry.hash.hex),
                identifier(reviewEntryProperty, review.entry.hash.hex),
            ]),
        ]
        if let base = options.baseURL { o["url"] = .string(base + "/claims/" + record.id + options.claimPageSuffix) }
        return .object(o)
    }

    /// Every publishable claim's ClaimReview, in the order given: the export document (a JSON array).
    public static func document(_ records: [ClaimRecord], in state: LedgerState, options: ClaimReviewOptions) -> JSONValue {
        .array(records.compactMap { claimReview($0, in: state, options: options) })
    }

    /// The export document of every claim a state keeps, in ledger order (optionally of one status).
    public static func document(_ state: LedgerState, status: ClaimStatus? = nil, options: ClaimReviewOptions) -> JSONValue {
        document(ClaimDocuments.claims(in: state, status: status), in: state, options: options)
    }

    /// `value` in RFC 8785 form with every `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`: the
    /// same JSON, which can go inside an HTML `<script type="application/ld+json">` element without
    /// ledger text closing it (`</script>`) or opening a comment. Outside strings canonical JSON has none
    /// of the three, so only string contents change, into equivalent escapes.
    public static func scriptSafeJSON(_ value: JSONValue) throws -> String {
        String(decoding: try scriptSafeJSONBytes(value), as: UTF8.self)
    }

    /// `scriptSafeJSON`'s UTF-8 bytes. `<`, `>` and `&` are ASCII, so they are replaced byte for byte: no
    /// byte of a multi-byte character can be one of them.
    public static func scriptSafeJSONBytes(_ value: JSONValue) throws -> [UInt8] {
        let json = try JCS.canonicalize(value)
        return json.withUnsafeBufferPointer { b -> [UInt8] in
            // Most documents have none of the three: one pass over the bytes, no copy.
            guard var special = nextHTMLSpecial(in: b, from: 0) else { return json }
            var out = [UInt8]()
            out.reserveCapacity(json.count + 64)
            var copied = 0
            while true {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<special]))
                out.append(contentsOf: b[special] == 0x3C ? "\\u003c".utf8 : b[special] == 0x3E ? "\\u003e".utf8 : "\\u0026".utf8)
                copied = special + 1
                guard let next = nextHTMLSpecial(in: b, from: copied) else { break }
                special = next
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied...]))
            return out
        }
    }

    /// The index of the first `<`, `>` or `&` in `bytes` at or after `start`: eight bytes at a time while
    /// none of them is one (`SWAR.contains`), then byte by byte.
    static func nextHTMLSpecial(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        if let base = bytes.baseAddress {
            while i + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if SWAR.contains(word, byte: 0x3C) || SWAR.contains(word, byte: 0x3E) || SWAR.contains(word, byte: 0x26) { break }
                i += 8
            }
        }
        while i < bytes.count {
            if bytes[i] == 0x3C || bytes[i] == 0x3E || bytes[i] == 0x26 { return i }
            i += 1
        }
        return nil
    }

    static func rating(_ r: ReviewRating, explanation: String) -> JSONValue {
        ["@type": "Rating", "alternateName": .string(r.alternateName), "ratingValue": .number(Double(r.ratingValue)),
         "bestRating": .number(Double(r.bestRating)), "worstRating": .number(Double(r.worstRating)),
         "ratingExplanation": .string(explanation)]
    }

    static func identifier(_ property: String, _ value: String) -> JSONValue {
        ["@type": "PropertyValue", "propertyID": .string(property), "value": .string(value)]
    }

    /// The claim: its claimant, date, and the archived sources it is quoted from.
    static func itemReviewed(_ record: ClaimRecord, claim: ClaimPayload, in state: LedgerState) -> JSONValue {
        var sources = [SourceRecord]()
        for q in claim.quotes where !sources.contains(where: { $0.payload.sha256 == q.source }) {
            if let s = state.sources[q.source] { sources.append(s) }
        }
        return ["@type": "Claim", "author": claimant(claim.claimant, record: record),
                "datePublished": .string(claim.date.description),
                "appearance": .array(sources.map(appearance)),
                "identifier": .array([identifier(claimIDProperty, record.id), identifier(claimEntryProperty, record.entry.hash.hex)])]
    }

    /// The claimant as a `Person` or `Organization` when a party of the claim's positions has exactly
    /// its name (the ledger then says which it is); else a `Thing`: the ledger does not say.
    static func claimant(_ name: String, record: ClaimRecord) -> JSONValue {
        let kind = record.positions.last { $0.payload.party.name.utf8.elementsEqual(name.utf8) }?.payload.party.kind
        let type: JSONValue = switch kind {
        case .person?: "Person"
        case .government?: "GovernmentOrganization"
        case .organisation?, .publication?: "Organization"
        case .other?, nil: "Thing"
        }
        return ["@type": type, "name": .string(name)]
    }

    /// An archived source as a `CreativeWork`: `url` when the source's URL is an http(s) URL, else the
    /// URI (for example a URN) as one more `identifier` beside the source id; its publisher as the ledger names it.
    static func appearance(_ s: SourceRecord) -> JSONValue {
        let p = s.payload
        var o: [String: JSONValue] = ["@type": "CreativeWork", "headline": .string(p.title), "datePublished": .string(p.published.description),
                                      "inLanguage": .string(p.language), "publisher": ["@type": "Organization", "name": .string(p.publisher)]]
        var ids = [identifier(sourceProperty, p.sha256.hex)]
        let lower = p.url.lowercased()
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") { o["url"] = .string(p.url) } else { ids.append(.string(p.url)) }
        o["identifier"] = .array(ids)
        return .object(o)
    }
}
