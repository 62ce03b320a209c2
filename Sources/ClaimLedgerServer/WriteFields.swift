import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerSite

/// One field's error: shown beside the field on a form (`<p class="field-error" id="{field}-error">`)
/// and listed in an API problem's `errors`.
public struct FieldError: Sendable, Equatable {
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}

/// Bad input to a write: every field error found (nothing was recorded), and the stable code of the
/// first (the CLI's codes: `invalid-input`, `quote-not-found`, ...).
public struct WriteInputError: Error, Sendable {
    public let errors: [FieldError]
    public let code: String

    public init(_ errors: [FieldError], code: String = LedgerError.Code.invalidInput.rawValue) {
        self.errors = errors
        self.code = code
    }
}

/// The named values of a write: a form's fields or a JSON body's members, read the same way.
/// Reading records field errors instead of stopping at the first, so a form shows all of them at once.
struct WriteFields {
    enum Value {
        case text(String)
        case list([String])
        case number(Int)
        case spans([QuoteDraft])
    }

    private(set) var values: [String: Value]
    private(set) var errors: [FieldError] = []
    /// JSON bodies: a member of the wrong type is an error; forms: everything is text.
    let isJSON: Bool

    init(values: [String: Value], isJSON: Bool) {
        self.values = values
        self.isJSON = isJSON
    }

    mutating func fail(_ field: String, _ message: String) {
        if !errors.contains(where: { $0.field == field }) { errors.append(FieldError(field, message)) }
    }

    /// A text field; empty (or only whitespace, on a form) counts as absent. `limit` is in UTF-8 bytes.
    mutating func text(_ name: String, required: String? = nil, limit: Int = LedgerLimits.maxShortTextBytes,
                       oneLine: Bool = true) -> String? {
        var found: String?
        switch values[name] {
        case .text(let s)?: found = s
        case .list(let l)? where !isJSON: found = l.first
        case nil: found = nil
        default: fail(name, "\(name) must be a string")
        }
        if !isJSON, let s = found, s.allSatisfy(\.isWhitespace) { found = nil }
        guard let s = found else {
            if let required { fail(name, required) }
            return nil
        }
        if s.utf8.count > limit { fail(name, "At most \(limit) bytes (this is \(s.utf8.count))"); return nil }
        if let bad = s.unicodeScalars.first(where: { $0.value < 0x20 ? !(!oneLine && ($0 == "\n" || $0 == "\t")) : (0x7F...0x9F).contains($0.value) }) {
            fail(name, "Remove the control character U+\(String(bad.value, radix: 16, uppercase: true))")
            return nil
        }
        if let bad = MisleadingText.scalars(in: s).first {
            fail(name, "Remove the invisible character \(MisleadingText.label(bad)): it can make the text read differently from what it says")
            return nil
        }
        return s
    }

    /// A text field whose value must be one of `E`'s raw values.
    mutating func choice<E: RawRepresentable & CaseIterable>(_ name: String, _: E.Type, required: String? = nil) -> E?
        where E.RawValue == String
    {
        guard let s = text(name, required: required, limit: 64) else { return nil }
        guard let v = E(rawValue: s) else {
            fail(name, "Choose one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return v
    }

    mutating func date(_ name: String, required: String? = nil) -> CalendarDate? {
        guard let s = text(name, required: required, limit: 10) else { return nil }
        guard let d = CalendarDate(s) else { fail(name, "Give a date as YYYY-MM-DD, for example 2026-01-06"); return nil }
        return d
    }

    /// A byte offset (hidden on forms: the server computed it from the selection).
    mutating func offset(_ name: String) -> Int? {
        switch values[name] {
        case .number(let n)?:
            if n >= 0 { return n }
            fail(name, "\(name) must be 0 or more")
            return nil
        case .text(let s)? where !isJSON:
            if s.isEmpty { return nil }
            guard let n = Int(s), n >= 0, n <= LedgerLimits.maxSourceBytes else { fail(name, "Select the quote again in the source page"); return nil }
            return n
        case .list(let l)? where !isJSON && l.count == 1:
            guard let n = Int(l[0]), n >= 0 else { fail(name, "Select the quote again in the source page"); return nil }
            return n
        case nil: return nil
        default: fail(name, "\(name) must be an integer"); return nil
        }
    }

    /// Source ids: a JSON array of strings, or form values (repeated fields, or one per line).
    mutating func sourceList(_ name: String) -> [String] {
        var items = [String]()
        switch values[name] {
        case .list(let l)?: items = l
        case .text(let s)? where !isJSON: items = [s]
        case nil: return []
        default: fail(name, "\(name) must be an array of source ids"); return []
        }
        if !isJSON { items = items.flatMap { $0.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == " " || $0 == "," }).map(String.init) } }
        guard items.count <= LedgerLimits.maxEvidence else { fail(name, "At most \(LedgerLimits.maxEvidence) sources"); return [] }
        for s in items where !(8...64).contains(s.utf8.count) || !s.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) {
            fail(name, "\"\(s.prefix(70))\" is not a source id (64 hex digits, or a prefix of 8 or more)")
            return []
        }
        return items
    }

    func spans(_ name: String) -> [QuoteDraft] {
        if case .spans(let s)? = values[name] { return s }
        return []
    }

    /// Fails (for a JSON body) when it holds members no reader knows.
    mutating func refuseUnknown(_ known: Set<String>) {
        guard isJSON else { return }
        for key in values.keys.sorted() where !known.contains(key) { fail(key, "Unknown member \"\(key.prefix(64))\"") }
    }
}

extension WriteFields {
    /// The fields of an `application/x-www-form-urlencoded` body (repeated names keep every value).
    init(form pairs: [(String, String)]) {
        var values = [String: Value]()
        var spanSources = [String](), spanQuotes = [String]()
        // Browsers send every line break of a form as CRLF (HTML's form serialisation): the ledger's
        // text has LF.
        for (k, raw) in pairs {
            let v = raw.utf8.contains(0x0D) ? String(decoding: Array(raw.utf8).lineFeeds, as: UTF8.self) : raw
            if k == "spanSource" { spanSources.append(v); continue }
            if k == "spanQuote" { spanQuotes.append(v); continue }
            if k == "csrf" { continue }
            switch values[k] {
            case nil: values[k] = .text(v)
            case .text(let first)?: values[k] = .list([first, v])
            case .list(let l)?: values[k] = .list(l + [v])
            default: break
            }
        }
        // Evidence spans: rows of `spanSource` and `spanQuote`, in order; blank rows are skipped.
        var spans = [QuoteDraft]()
        for (source, quote) in zip(spanSources, spanQuotes) where !quote.isEmpty || !source.allSatisfy(\.isWhitespace) {
            spans.append(QuoteDraft(source: source.withoutOuterSpaces, text: quote))
        }
        if !spans.isEmpty { values["spans"] = .spans(spans) }
        self.init(values: values, isJSON: false)
    }

    /// The members of a JSON body: strings, integers, arrays of strings, and `spans` as quote objects
    /// `{source, text, offset?}`; anything else is an error recorded against its member.
    init(json: JSONValue) throws(WriteInputError) {
        guard case .object(let members) = json else { throw WriteInputError([FieldError("body", "The body must be a JSON object")]) }
        var values = [String: Value]()
        var errors = [FieldError]()
        for (key, value) in members {
            switch value {
            case .string(let s): values[key] = .text(s)
            case .number where key == "offset":
                guard let n = value.integerValue else { errors.append(FieldError(key, "offset must be an integer")); continue }
                values[key] = .number(n)
            case .array(let items) where key == "spans":
                var spans = [QuoteDraft]()
                for item in items {
                    guard case .object(let o) = item, case .string(let source)? = o["source"], case .string(let text)? = o["text"],
                          Set(o.keys).isSubset(of: ["source", "text", "offset"]) else {
                        errors.append(FieldError(key, "each span is {source, text, offset?}"))
                        break
                    }
                    var offset: Int?
                    if let n = o["offset"] {
                        guard let i = n.integerValue, i >= 0 else { errors.append(FieldError(key, "a span's offset must be an integer ≥ 0")); break }
                        offset = i
                    }
                    spans.append(QuoteDraft(source: source, text: text, offset: offset))
                }
                values[key] = .spans(spans)
            case .array(let items):
                let strings = items.compactMap(\.stringValue)
                guard strings.count == items.count else { errors.append(FieldError(key, "\(key) must be an array of strings")); continue }
                values[key] = .list(strings)
            default:
                errors.append(FieldError(key, "\(key) must be \(key == "offset" ? "an integer" : "a string")"))
            }
        }
        guard errors.isEmpty else { throw WriteInputError(errors) }
        self.init(values: values, isJSON: true)
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    var withoutOuterSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !" \t\r\n".unicodeScalars.contains($0) }),
              let last = scalars.lastIndex(where: { !" \t\r\n".unicodeScalars.contains($0) }) else { return "" }
        return String(scalars[first...last])
    }
}

extension [UInt8] {
    /// CRLF and lone CR as LF.
    var lineFeeds: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(count)
        for (i, b) in enumerated() {
            if b == 0x0D {
                if i + 1 < count, self[i + 1] == 0x0A { continue }
                out.append(0x0A)
            } else {
                out.append(b)
            }
        }
        return out
    }
}
