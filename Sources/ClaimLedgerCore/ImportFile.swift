import CanonicalJSON

/// One line of an import file (FORMAT.md "Import files"; schemas/import-line.schema.json).
public enum ImportLine: Sendable {
    /// A source whose bytes are in `file`, a path relative to the import file's folder.
    case source(file: String, ref: String?, metadata: SourceMetadata)
    case claim(ClaimDraft)
    case status(StatusDraft)
    /// A line that needs no file: scale, provenance, position, link, amend, review (ImportFile+Editorial.swift).
    case draft(Draft)
}

/// What a user says about a source; the digest and size come from its bytes.
public struct SourceMetadata: Sendable {
    public var title: String
    public var publisher: String
    public var url: String
    public var published: CalendarDate
    public var language: String
    public var mediaType: String?
    public var provenance: ProvenanceDraft?

    public init(title: String, publisher: String, url: String, published: CalendarDate, language: String, mediaType: String?,
                provenance: ProvenanceDraft? = nil) {
        self.provenance = provenance
        self.title = title
        self.publisher = publisher
        self.url = url
        self.published = published
        self.language = language
        self.mediaType = mediaType
    }

    public func draft(bytes: [UInt8], defaultMediaType: String) -> SourceDraft {
        SourceDraft(bytes: bytes, title: title, publisher: publisher, url: url, published: published,
                    language: language, mediaType: mediaType ?? defaultMediaType, provenance: provenance)
    }
}

public enum ImportFileParser {
    /// Parses one line (without its newline). Errors carry the 1-based line number.
    public static func parse(line: [UInt8], number: Int) throws(LedgerError) -> ImportLine {
        do { return try parse(line) } catch { throw LedgerError(error.code, "line \(number): \(error.reason)") }
    }

    private static func parse(_ line: [UInt8]) throws(LedgerError) -> ImportLine {
        let value: JSONValue
        do { value = try JSONParser.parse(line, limits: LedgerLimits.importJSON) } catch {
            throw LedgerError(.invalidInput, "invalid JSON: \(error.description)")
        }
        var o = try StrictObject(value, path: "import", code: .invalidInput)
        let type = try o.string("type")
        let result: ImportLine
        switch type {
        case "source":
            let file = try o.string("file", maxBytes: 1024)
            let ref = try o.optionalString("ref", maxBytes: 64)
            let metadata = SourceMetadata(
                title: try o.string("title"), publisher: try o.string("publisher"), url: try o.string("url"),
                published: try o.date("published"), language: try o.string("language", maxBytes: 64),
                mediaType: try o.optionalString("mediaType", maxBytes: 256),
                provenance: o.has("provenance") ? try provenanceDraft(try o.value("provenance")) : nil)
            result = .source(file: file, ref: ref, metadata: metadata)
        case "claim":
            let id = try o.optionalString("id", maxBytes: 64)
            let statement = try o.string("statement", maxBytes: LedgerLimits.maxTextBytes)
            let lang = try o.optionalString("lang", maxBytes: 64) ?? "en"
            let claimant = try o.string("claimant")
            let date = o.has("date") ? try o.date("date") : nil
            let quotes = try quoteDrafts(&o, "quotes", required: true)
            let kind = o.has("kind") ? try o.oneOf("kind", ClaimKind.self) : nil
            var status: StatusDraft?
            if o.has("status") {
                status = try statusDraft(&o, claim: id ?? "")
            } else if let member = ["rationale", "evidence", "verdict", "spans"].first(where: { o.has($0) }) {
                throw LedgerError(.invalidInput, "\(member) goes with a status")
            }
            var claim = ClaimDraft(id: id, statement: statement, language: lang, claimant: claimant, date: date,
                                   quotes: quotes, status: status)
            claim.kind = kind
            result = .claim(claim)
        case "status":
            let claim = try o.string("claim", maxBytes: 64)
            result = .status(try statusDraft(&o, claim: claim))
        default:
            guard let draft = try editorialLine(type, &o) else {
                throw LedgerError(.invalidInput, "import.type must be one of \(lineTypes.joined(separator: ", ")), found \"\(type.prefix(40))\"")
            }
            result = .draft(draft)
        }
        try o.finish()
        return result
    }

    private static func statusDraft(_ o: inout StrictObject, claim: String) throws(LedgerError) -> StatusDraft {
        let text = try o.string("status")
        guard let status = ClaimStatus(rawValue: text) else {
            throw LedgerError(.invalidInput, "unknown status \"\(text.prefix(40))\": use one of \(ClaimStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let rationale = try o.string("rationale", maxBytes: LedgerLimits.maxTextBytes)
        var draft = StatusDraft(claim: claim, status: status, rationale: rationale, evidence: try sourceNames(&o, "evidence"))
        if o.has("verdict") { draft.verdict = try o.string("verdict", maxBytes: 32) }
        draft.spans = try quoteDrafts(&o, "spans")
        if draft.verdict != nil && draft.spans.isEmpty { throw LedgerError(.invalidInput, "a verdict needs at least one evidence span (spans)") }
        return draft
    }
}
