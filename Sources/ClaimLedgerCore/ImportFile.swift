import CanonicalJSON

/// One line of an import file (FORMAT.md "Import files"; schemas/import-line.schema.json).
public enum ImportLine: Sendable {
    /// A source whose bytes are in `file`, a path relative to the import file's folder.
    case source(file: String, ref: String?, metadata: SourceMetadata)
    case claim(ClaimDraft)
    case status(StatusDraft)
}

/// What a user says about a source; the digest and size come from its bytes.
public struct SourceMetadata: Sendable {
    public var title: String
    public var publisher: String
    public var url: String
    public var published: CalendarDate
    public var language: String
    public var mediaType: String?

    public init(title: String, publisher: String, url: String, published: CalendarDate, language: String, mediaType: String?) {
        self.title = title
        self.publisher = publisher
        self.url = url
        self.published = published
        self.language = language
        self.mediaType = mediaType
    }

    public func draft(bytes: [UInt8], defaultMediaType: String) -> SourceDraft {
        SourceDraft(bytes: bytes, title: title, publisher: publisher, url: url, published: published,
                    language: language, mediaType: mediaType ?? defaultMediaType)
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
                mediaType: try o.optionalString("mediaType", maxBytes: 256))
            result = .source(file: file, ref: ref, metadata: metadata)
        case "claim":
            let id = try o.optionalString("id", maxBytes: 64)
            let statement = try o.string("statement", maxBytes: LedgerLimits.maxTextBytes)
            let lang = try o.optionalString("lang", maxBytes: 64) ?? "en"
            let claimant = try o.string("claimant")
            let date = o.has("date") ? try o.date("date") : nil
            var quotes = [QuoteDraft]()
            for (i, item) in try o.array("quotes", max: LedgerLimits.maxQuotes).enumerated() {
                var q = try StrictObject(item, path: "import.quotes[\(i)]", code: .invalidInput)
                let source = try q.string("source", maxBytes: 128)
                let text = try q.string("text", maxBytes: LedgerLimits.maxTextBytes)
                let offset = q.has("offset") ? try q.integer("offset") : nil
                try q.finish()
                quotes.append(QuoteDraft(source: source, text: text, offset: offset))
            }
            var status: StatusDraft?
            if o.has("status") {
                status = try statusDraft(&o, claim: id ?? "")
            } else if o.has("rationale") || o.has("evidence") {
                throw LedgerError(.invalidInput, "rationale and evidence go with a status")
            }
            result = .claim(ClaimDraft(id: id, statement: statement, language: lang, claimant: claimant, date: date,
                                       quotes: quotes, status: status))
        case "status":
            let claim = try o.string("claim", maxBytes: 64)
            result = .status(try statusDraft(&o, claim: claim))
        default:
            throw LedgerError(.invalidInput, "import.type must be source, claim or status, found \"\(type.prefix(40))\"")
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
        var evidence = [String]()
        if o.has("evidence") {
            for (i, item) in try o.array("evidence", max: LedgerLimits.maxEvidence).enumerated() {
                guard let s = item.stringValue else { throw LedgerError(.invalidInput, "import.evidence[\(i)] must be a string") }
                evidence.append(s)
            }
        }
        return StatusDraft(claim: claim, status: status, rationale: rationale, evidence: evidence)
    }
}
