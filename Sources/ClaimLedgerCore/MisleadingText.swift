/// Characters that make text display differently from what it holds (FORMAT.md 1.9): bidirectional
/// embeddings, overrides and isolates (the "Trojan Source" characters, CVE-2021-42574) and invisible
/// characters of zero width. Writers refuse them in new entries; `verify` reports them as warnings.
public enum MisleadingText {
    /// The refused single code points and their Unicode names. U+200C ZERO WIDTH NON-JOINER, U+200D ZERO
    /// WIDTH JOINER, the bidirectional marks U+200E, U+200F and U+061C and the variation selectors are not
    /// here: Persian, Indic scripts, emoji sequences and mixed right-to-left text need them.
    public static let names: [UInt32: String] = [
        0x00AD: "SOFT HYPHEN",
        0x034F: "COMBINING GRAPHEME JOINER",
        0x115F: "HANGUL CHOSEONG FILLER",
        0x1160: "HANGUL JUNGSEONG FILLER",
        0x17B4: "KHMER VOWEL INHERENT AQ",
        0x17B5: "KHMER VOWEL INHERENT AA",
        0x180E: "MONGOLIAN VOWEL SEPARATOR",
        0x200B: "ZERO WIDTH SPACE",
        0x2028: "LINE SEPARATOR",
        0x2029: "PARAGRAPH SEPARATOR",
        0x202A: "LEFT-TO-RIGHT EMBEDDING",
        0x202B: "RIGHT-TO-LEFT EMBEDDING",
        0x202C: "POP DIRECTIONAL FORMATTING",
        0x202D: "LEFT-TO-RIGHT OVERRIDE",
        0x202E: "RIGHT-TO-LEFT OVERRIDE",
        0x2060: "WORD JOINER",
        0x2061: "FUNCTION APPLICATION",
        0x2062: "INVISIBLE TIMES",
        0x2063: "INVISIBLE SEPARATOR",
        0x2064: "INVISIBLE PLUS",
        0x2066: "LEFT-TO-RIGHT ISOLATE",
        0x2067: "RIGHT-TO-LEFT ISOLATE",
        0x2068: "FIRST STRONG ISOLATE",
        0x2069: "POP DIRECTIONAL ISOLATE",
        0x3164: "HANGUL FILLER",
        0xFEFF: "ZERO WIDTH NO-BREAK SPACE",
        0xFFA0: "HALFWIDTH HANGUL FILLER",
        0xFFF9: "INTERLINEAR ANNOTATION ANCHOR",
        0xFFFA: "INTERLINEAR ANNOTATION SEPARATOR",
        0xFFFB: "INTERLINEAR ANNOTATION TERMINATOR",
    ]

    /// The tag characters U+E0000-U+E007F: invisible, and able to spell hidden ASCII text.
    public static let tags: ClosedRange<UInt32> = 0xE0000...0xE007F

    public static func isMisleading(_ scalar: Unicode.Scalar) -> Bool {
        names[scalar.value] != nil || tags.contains(scalar.value)
    }

    /// The Unicode name of a misleading code point (a tag character is named by its block).
    public static func name(of scalar: Unicode.Scalar) -> String {
        names[scalar.value] ?? (tags.contains(scalar.value) ? "TAG CHARACTER" : "")
    }

    /// `U+202E`: the code point as FORMAT.md and the reports write it.
    public static func label(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// UTF-8 lead bytes of every misleading code point: text without any of them is passed over fast.
    private static let leadBytes: [UInt8] = [0xC2, 0xCD, 0xE1, 0xE2, 0xE3, 0xEF, 0xF3]

    /// The distinct refused code points of `text`, in order of first occurrence.
    public static func scalars(in text: String) -> [Unicode.Scalar] {
        let mayHold = text.utf8.withContiguousStorageIfAvailable { $0.contains { leadBytes.contains($0) } }
        guard mayHold ?? true else { return [] }
        var found = [Unicode.Scalar]()
        for s in text.unicodeScalars where isMisleading(s) && !found.contains(s) { found.append(s) }
        return found
    }

    /// The payload members the rule covers, with their paths: the human-written text of the entry (key
    /// names, revocation reasons, source titles, publishers and URLs, statements, claimants, rationales).
    /// Not quotes, which must equal the source's bytes, nor members whose syntax already excludes them.
    public static func fields(of payload: Payload) -> [(path: String, text: String)] {
        switch payload {
        case .genesis(let g):
            return g.keys.enumerated().map { ("payload.keys[\($0.offset)].name", $0.element.name) }
        case .key(.add(let named, _)):
            return [("payload.name", named.name)]
        case .key(.revoke(_, let reason)):
            return reason.map { [("payload.reason", $0)] } ?? []
        case .key(.approve):
            return []
        case .source(let s):
            return [("payload.title", s.title), ("payload.publisher", s.publisher), ("payload.url", s.url)]
                + (s.provenance.map { provenanceFields($0, path: "payload.provenance") } ?? [])
        case .claim(let c):
            return [("payload.statement.text", c.statement), ("payload.claimant", c.claimant)]
        case .status(let s):
            return [("payload.rationale", s.rationale)]
        default:
            return editorialFields(of: payload)
        }
    }

    /// Every (field, code point) of `payload` the rule covers, fields in the order above.
    public static func findings(in payload: Payload) -> [(path: String, scalar: Unicode.Scalar)] {
        fields(of: payload).flatMap { field in scalars(in: field.text).map { (field.path, $0) } }
    }
}

/// Something `verify` reports without failing (FORMAT.md 8.6): an entry that a writer following the
/// current rules would have refused, but that older writers could write.
public struct LedgerWarning: Sendable, Equatable {
    public enum Code: String, Sendable, CaseIterable {
        case misleadingText = "misleading-text"
        case duplicateKeyName = "duplicate-key-name"
    }

    public let seq: Int
    public let code: Code
    /// The payload member, as a path (`payload.statement.text`).
    public let field: String
    /// For `misleading-text`: the code point.
    public let codePoint: Unicode.Scalar?
    public let reason: String

    public init(seq: Int, code: Code, field: String, codePoint: Unicode.Scalar? = nil, reason: String) {
        self.seq = seq
        self.code = code
        self.field = field
        self.codePoint = codePoint
        self.reason = reason
    }

    public var description: String { "entry \(seq): \(reason) [\(code.rawValue)]" }
}
