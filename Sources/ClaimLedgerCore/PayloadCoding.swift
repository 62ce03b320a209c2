import CanonicalJSON
import LedgerCrypto

/// JSON form of payloads (FORMAT.md "Payloads"). Decoding is strict: every member required unless the
/// format says optional, no unknown members, every string checked for syntax and length.
extension Payload {
    public init(type: EntryType, json: JSONValue) throws(LedgerError) {
        var o = try StrictObject(json, path: "payload")
        switch type {
        case .genesis:
            let origin = try o.string("origin", maxBytes: 128)
            guard Syntax.isOrigin(origin) else {
                throw o.fail("payload.origin must be 1-128 printable ASCII characters without spaces or '+'")
            }
            let items = try o.array("keys", max: LedgerLimits.maxRootKeys)
            guard !items.isEmpty else { throw o.fail("payload.keys must name at least one root key") }
            var keys = [NamedKey]()
            for (i, item) in items.enumerated() { keys.append(try NamedKey(json: item, path: "payload.keys[\(i)]")) }
            self = .genesis(GenesisPayload(origin: origin, keys: keys))
        case .key:
            let action = try o.string("action")
            switch action {
            case "add":
                let named = NamedKey(name: try Self.name(&o), publicKey: try o.publicKey("publicKey"))
                let roleText = try o.string("role")
                guard let role = KeyPayload.Role(rawValue: roleText) else {
                    throw o.fail("payload.role must be \"root\", \"journalist\" or \"editor\", found \"\(roleText.prefix(40))\"")
                }
                self = .key(.add(named, role: role))
            case "revoke":
                let reason = try o.optionalString("reason", maxBytes: LedgerLimits.maxTextBytes)
                if let reason, !Syntax.isText(reason) { throw o.fail("payload.reason must not contain control characters") }
                self = .key(.revoke(keyID: try o.digest("keyId"), reason: reason))
            case "approve":
                self = .key(.approve(entry: try o.digest("entry")))
            default:
                throw o.fail("payload.action must be \"add\", \"revoke\" or \"approve\", found \"\(action.prefix(40))\"")
            }
        case .source:
            let source = SourcePayload(
                sha256: try o.digest("sha256"), size: try o.integer("size"), title: try o.string("title"),
                publisher: try o.string("publisher"), url: try o.string("url"), published: try o.date("published"),
                language: try o.string("language", maxBytes: 64), mediaType: try o.string("mediaType", maxBytes: 256))
            guard source.size <= LedgerLimits.maxSourceBytes else {
                throw LedgerError(.limitExceeded, "payload.size is \(source.size) bytes, limit \(LedgerLimits.maxSourceBytes)")
            }
            guard Syntax.isURI(source.url) else { throw o.fail("payload.url must be an absolute URI") }
            guard Syntax.isLanguageTag(source.language) else { throw o.fail("payload.language must be a BCP 47 tag") }
            guard Syntax.isMediaType(source.mediaType) else { throw o.fail("payload.mediaType must be type/subtype") }
            guard Syntax.isText(source.title), Syntax.isText(source.publisher) else {
                throw o.fail("payload.title and payload.publisher must not contain control characters")
            }
            var withProvenance = source
            if o.has("provenance") { withProvenance.provenance = try Provenance(json: try o.value("provenance"), path: "payload.provenance") }
            self = .source(withProvenance)
        case .claim:
            let id = try o.string("id", maxBytes: 64)
            guard Syntax.isClaimID(id) else { throw o.fail("payload.id \"\(id)\" must be 3-64 of a-z 0-9 - starting with a letter") }
            var statement = try StrictObject(try o.value("statement"), path: "payload.statement")
            let text = try statement.string("text", maxBytes: LedgerLimits.maxTextBytes)
            let lang = try statement.string("lang", maxBytes: 64)
            try statement.finish()
            guard Syntax.isLanguageTag(lang) else { throw o.fail("payload.statement.lang must be a BCP 47 tag") }
            let claimant = try o.string("claimant")
            guard Syntax.isText(text), Syntax.isText(claimant) else {
                throw o.fail("payload.statement.text and payload.claimant must not contain control characters other than tab and newline")
            }
            let items = try o.array("quotes", max: LedgerLimits.maxQuotes)
            guard !items.isEmpty else { throw o.fail("payload.quotes must hold at least one quote") }
            var quotes = [Quote]()
            for (i, item) in items.enumerated() { quotes.append(try Quote(json: item, path: "payload.quotes[\(i)]")) }
            self = .claim(ClaimPayload(id: id, statement: text, statementLanguage: lang, claimant: claimant,
                                       date: try o.date("date"), quotes: quotes, kind: try Self.claimKind(&o)))
        case .status:
            let claim = try o.string("claim", maxBytes: 64)
            guard Syntax.isClaimID(claim) else { throw o.fail("payload.claim \"\(claim)\" is not a claim id") }
            let statusText = try o.string("status")
            guard let status = ClaimStatus(rawValue: statusText) else {
                throw o.fail("payload.status \"\(statusText.prefix(40))\" is not one of \(ClaimStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let rationale = try o.string("rationale", maxBytes: LedgerLimits.maxTextBytes)
            guard Syntax.isText(rationale) else { throw o.fail("payload.rationale must not contain control characters") }
            var evidence = [SHA256Digest]()
            for (i, item) in try o.array("evidence", max: LedgerLimits.maxEvidence).enumerated() {
                guard let s = item.stringValue, let d = SHA256Digest(hex: s) else {
                    throw o.fail("payload.evidence[\(i)] must be a source id (64 lower-case hex digits)")
                }
                guard !evidence.contains(d) else { throw o.fail("payload.evidence[\(i)] repeats source \(d.hex)") }
                evidence.append(d)
            }
            let (verdict, spans) = try Self.verdictAndSpans(&o, evidence: evidence)
            self = .status(StatusPayload(claim: claim, status: status, rationale: rationale, evidence: evidence,
                                         verdict: verdict, spans: spans))
        case .scale, .position, .link, .amend, .review, .provenance:
            self = try Self.editorial(type, &o)
        }
        try o.finish()
    }

    private static func name(_ o: inout StrictObject) throws(LedgerError) -> String {
        let name = try o.string("name", maxBytes: 128)
        guard Syntax.isText(name), !name.contains("\n"), !name.contains("\t") else {
            throw o.fail("\(o.path).name must be one line of printable text")
        }
        return name
    }

    public var json: JSONValue {
        switch self {
        case .genesis(let g):
            return ["origin": .string(g.origin), "keys": .array(g.keys.map(\.json))]
        case .key(.add(let named, let role)):
            return ["action": "add", "name": .string(named.name),
                    "publicKey": .string(Base64.encode(named.publicKey.rawRepresentation)), "role": .string(role.rawValue)]
        case .key(.revoke(let keyID, let reason)):
            var o: [String: JSONValue] = ["action": "revoke", "keyId": .string(keyID.hex)]
            if let reason { o["reason"] = .string(reason) }
            return .object(o)
        case .key(.approve(let entry)):
            return ["action": "approve", "entry": .string(entry.hex)]
        case .source(let s):
            var o: [String: JSONValue] = ["sha256": .string(s.sha256.hex), "size": .number(Double(s.size)), "title": .string(s.title),
                    "publisher": .string(s.publisher), "url": .string(s.url), "published": .string(s.published.description),
                    "language": .string(s.language), "mediaType": .string(s.mediaType)]
            if let p = s.provenance { o["provenance"] = p.json }
            return .object(o)
        case .claim(let c):
            var o: [String: JSONValue] = ["id": .string(c.id), "statement": ["text": .string(c.statement), "lang": .string(c.statementLanguage)],
                                "claimant": .string(c.claimant), "date": .string(c.date.description), "quotes": .array(c.quotes.map(\.json))]
            if let kind = c.kind { o["kind"] = .string(kind.rawValue) }
            return .object(o)
        case .status(let s):
            var o: [String: JSONValue] = ["claim": .string(s.claim), "status": .string(s.status.rawValue), "rationale": .string(s.rationale),
                                "evidence": .array(s.evidence.map { .string($0.hex) })]
            if let v = s.verdict { o["verdict"] = .string(v) }
            if !s.spans.isEmpty { o["spans"] = .array(s.spans.map(\.json)) }
            return .object(o)
        case .scale, .position, .link, .amend, .review, .provenance:
            return editorialJSON
        }
    }
}

extension NamedKey {
    init(json: JSONValue, path: String) throws(LedgerError) {
        var o = try StrictObject(json, path: path)
        let name = try o.string("name", maxBytes: 128)
        guard Syntax.isText(name), !name.contains("\n"), !name.contains("\t") else { throw o.fail("\(path).name must be one line") }
        self.init(name: name, publicKey: try o.publicKey("publicKey"))
        try o.finish()
    }

    var json: JSONValue {
        ["name": .string(name), "publicKey": .string(Base64.encode(publicKey.rawRepresentation))]
    }
}

extension Quote {
    init(json: JSONValue, path: String) throws(LedgerError) {
        var o = try StrictObject(json, path: path)
        self.init(source: try o.digest("source"), text: try o.string("text", maxBytes: LedgerLimits.maxTextBytes),
                  start: try o.integer("start"), end: try o.integer("end"))
        try o.finish()
        guard end - start == text.utf8.count else {
            throw o.fail("\(path) spans bytes \(start)..<\(end) (\(end - start) bytes) but its text is \(text.utf8.count) bytes")
        }
    }

    var json: JSONValue {
        ["source": .string(source.hex), "text": .string(text), "start": .number(Double(start)), "end": .number(Double(end))]
    }
}
