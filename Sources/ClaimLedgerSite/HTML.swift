import CanonicalJSON
import ClaimLedgerCore

/// HTML that is safe by construction. There is no way to put a `String` into a page unescaped:
///
/// - text goes in through `HTML.text` (or a plain string inside an `@HTMLBuilder` block), escaped;
/// - text from the ledger goes in through `HTML.ledger`, escaped AND isolated (`<bdi>`, with every
///   bidirectional-control character shown as a visible `[U+202E]` marker), so that it can never
///   reorder the page around it (issue 12: "bidirectional-control characters cannot reorder what a
///   reader sees");
/// - markup comes only from `el`/`void`, whose tag and attribute names are `StaticString`s
///   (compile-time constants), and whose attribute values are escaped.
///
/// The only unescaped constructor, `HTML(trusted:)`, is `fileprivate`: nothing outside this file can
/// use it. Templates are Swift functions returning `HTML` (see Layout.swift and the *Page.swift files).
///
/// A fragment is its UTF-8 bytes: an element appends its tag, its escaped attributes and its content's
/// bytes into one array sized up front, and text is escaped straight into it, so that a page costs a
/// copy of each fragment per enclosing element and no `String` work (see PERFORMANCE.md, "Sixth pass").
public struct HTML: Sendable, Equatable {
    /// The fragment's UTF-8 bytes (valid UTF-8: everything appended comes from a `String` or is ASCII).
    /// Two fragments are equal when their bytes are (not merely canonically equivalent, as strings are).
    public private(set) var bytes: [UInt8]

    /// The fragment as a string.
    public var rendered: String { String(decoding: bytes, as: UTF8.self) }

    public init() { bytes = [] }

    fileprivate init(trusted bytes: [UInt8]) { self.bytes = bytes }

    /// Escaped text.
    public static func text(_ s: String) -> HTML {
        var out = [UInt8]()
        appendEscaped(s, to: &out)
        return HTML(trusted: out)
    }

    /// Text from the ledger or from a user: escaped, bidi controls made visible, and isolated in
    /// `<bdi>` (or `<bdi lang=...>` when its language is known) so that it cannot reorder the page.
    public static func ledger(_ s: String, lang: String? = nil) -> HTML {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count + 11 + (lang.map { $0.utf8.count + 8 } ?? 0))
        out.append(contentsOf: "<bdi".utf8)
        if let lang, isLanguageTag(lang) {
            out.append(contentsOf: " lang=\"".utf8)
            appendEscaped(lang, to: &out)
            out.append(0x22)
        }
        out.append(0x3E)
        appendEscapedShowingControls(s, to: &out)
        out.append(contentsOf: "</bdi>".utf8)
        return HTML(trusted: out)
    }

    /// Ledger text without the `<bdi>` wrapper, for use inside an element that already isolates
    /// (`dir="auto"` on a block): escaped, bidi controls made visible.
    public static func ledgerInline(_ s: String) -> HTML {
        var out = [UInt8]()
        appendEscapedShowingControls(s, to: &out)
        return HTML(trusted: out)
    }

    public static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(trusted: lhs.bytes + rhs.bytes) }
    public static func += (lhs: inout HTML, rhs: HTML) { lhs.bytes += rhs.bytes }
    /// Text and markup together: the text is escaped.
    public static func + (lhs: HTML, rhs: String) -> HTML {
        var out = lhs.bytes
        appendEscaped(rhs, to: &out)
        return HTML(trusted: out)
    }
    public static func + (lhs: String, rhs: HTML) -> HTML {
        var out = [UInt8]()
        out.reserveCapacity(lhs.utf8.count + rhs.bytes.count)
        appendEscaped(lhs, to: &out)
        out += rhs.bytes
        return HTML(trusted: out)
    }

    public static func join(_ parts: [HTML], separator: HTML = HTML()) -> HTML {
        if parts.count == 1 { return parts[0] }
        var total = separator.bytes.count * max(0, parts.count - 1)
        for p in parts { total += p.bytes.count }
        var out = [UInt8]()
        out.reserveCapacity(total)
        for (i, p) in parts.enumerated() {
            if i > 0 { out += separator.bytes }
            out += p.bytes
        }
        return HTML(trusted: out)
    }

    /// The document, with its doctype.
    public static func document(_ root: HTML) -> HTML { HTML(trusted: Array("<!DOCTYPE html>\n".utf8) + root.bytes) }

    /// A JSON-LD data block, `<script type="application/ld+json">`, holding `value` as script-safe JSON
    /// (`ClaimReviewDocuments.scriptSafeJSON`: `<`, `>` and `&` escaped as `\u003c`, `\u003e`, `\u0026`,
    /// so that no ledger text can end the element). Browsers do not run it; empty if `value` has a number
    /// that JSON cannot carry.
    public static func jsonLD(_ value: JSONValue) -> HTML {
        guard let json = try? ClaimReviewDocuments.scriptSafeJSONBytes(value) else { return HTML() }
        return HTML(trusted: scriptElement(#"<script type="application/ld+json">"#, json))
    }

    /// A JSON data block, `<script type="application/json" id="ID">`, holding `value` as script-safe
    /// JSON (as `jsonLD`): the data a page's script reads (the claim page's proofs). Browsers do not run it.
    public static func jsonData(id: StaticString, _ value: JSONValue) -> HTML {
        guard let json = try? ClaimReviewDocuments.scriptSafeJSONBytes(value) else { return HTML() }
        return HTML(trusted: scriptElement(#"<script type="application/json" id=""# + "\(id)" + #"">"#, json))
    }

    /// `start`, the script-safe JSON and `</script>` in one buffer (the JSON is most of a claim page).
    private static func scriptElement(_ start: String, _ json: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(start.utf8.count + json.count + 9)
        out.append(contentsOf: start.utf8)
        out += json
        out.append(contentsOf: "</script>".utf8)
        return out
    }

    public static func isLanguageTag(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 35 && s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}

/// An attribute: a compile-time name and an escaped value (nil: a boolean attribute such as `required`).
public struct Attr: Sendable {
    public let name: StaticString
    public let value: String?

    public init(_ name: StaticString, _ value: String?) {
        self.name = name
        self.value = value
    }

    public static func `class`(_ v: String) -> Attr { Attr("class", v) }
    public static func id(_ v: String) -> Attr { Attr("id", v) }
    /// A link inside this site (built by `Paths`), never a user-given URL.
    public static func href(_ v: SitePath) -> Attr { Attr("href", SiteRendering.current.href(v)) }
    public static func flag(_ name: StaticString) -> Attr { Attr(name, nil) }

    /// ` name="escaped value"` (or ` name` alone), appended to `out`.
    func append(to out: inout [UInt8]) {
        out.append(0x20)
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        guard let value else { return }
        out.append(contentsOf: "=\"".utf8)
        HTML.appendEscaped(value, to: &out)
        out.append(0x22)
    }

    /// About the bytes `append` adds: exact when nothing needs escaping, with room for a few entities.
    var plainLength: Int { name.utf8CodeUnitCount + 4 + (value.map { $0.utf8.count + 8 + $0.utf8.count / 4 } ?? 0) }
}

/// A path (with query) inside this site, built from escaped components. Only `Paths` and the
/// percent-encoding helpers make these.
public struct SitePath: Sendable, Equatable, CustomStringConvertible {
    public let value: String
    public init(_ value: String) {
        precondition(value.hasPrefix("/") && !value.hasPrefix("//"), "a site path starts with a single /")
        self.value = value
    }
    public var description: String { value }
}

/// An element with content.
public func el(_ name: StaticString, _ attrs: Attr..., @HTMLBuilder content: () -> HTML = { HTML() }) -> HTML {
    el(name, attrs: attrs, content: content())
}

public func el(_ name: StaticString, attrs: [Attr], content: HTML) -> HTML {
    // One buffer sized up front: the content (most of a page, at the outer elements) is copied once.
    var out = [UInt8]()
    out.reserveCapacity(content.bytes.count + 2 * name.utf8CodeUnitCount + 5 + attrs.reduce(0) { $0 + $1.plainLength })
    out.append(0x3C)
    name.withUTF8Buffer { out.append(contentsOf: $0) }
    for a in attrs { a.append(to: &out) }
    out.append(0x3E)
    out += content.bytes
    out.append(0x3C)
    out.append(0x2F)
    name.withUTF8Buffer { out.append(contentsOf: $0) }
    out.append(0x3E)
    return HTML(trusted: out)
}

/// A void element (`input`, `meta`, `link`, `br`): no content, no end tag.
public func void(_ name: StaticString, _ attrs: Attr...) -> HTML { void(name, attrs: attrs) }

public func void(_ name: StaticString, attrs: [Attr]) -> HTML {
    var out = [UInt8]()
    out.reserveCapacity(name.utf8CodeUnitCount + 2 + attrs.reduce(0) { $0 + $1.plainLength })
    out.append(0x3C)
    name.withUTF8Buffer { out.append(contentsOf: $0) }
    for a in attrs { a.append(to: &out) }
    out.append(0x3E)
    return HTML(trusted: out)
}

/// A link to an outside URL from the ledger: only `http:` and `https:` URLs become links (a
/// `javascript:` or `data:` URL is shown as text); they open with `rel="noopener noreferrer nofollow"`.
public func externalLink(_ url: String, @HTMLBuilder label: () -> HTML) -> HTML {
    let lower = url.lowercased()
    guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), !url.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else {
        return HTML.ledger(url)
    }
    return el("a", attrs: [Attr("href", url), Attr("rel", "noopener noreferrer nofollow")], content: label())
}

@resultBuilder
public enum HTMLBuilder {
    public static func buildExpression(_ h: HTML) -> HTML { h }
    /// A plain string in a template is text: escaped.
    public static func buildExpression(_ s: String) -> HTML { .text(s) }
    public static func buildExpression(_ parts: [HTML]) -> HTML { HTML.join(parts) }
    public static func buildBlock(_ parts: HTML...) -> HTML { HTML.join(parts) }
    public static func buildOptional(_ h: HTML?) -> HTML { h ?? HTML() }
    public static func buildEither(first h: HTML) -> HTML { h }
    public static func buildEither(second h: HTML) -> HTML { h }
    public static func buildArray(_ parts: [HTML]) -> HTML { HTML.join(parts) }
    public static func buildLimitedAvailability(_ h: HTML) -> HTML { h }
}
