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
public struct HTML: Sendable, Equatable {
    public private(set) var rendered: String

    public init() { rendered = "" }

    fileprivate init(trusted: String) { rendered = trusted }

    /// Escaped text.
    public static func text(_ s: String) -> HTML { HTML(trusted: escape(s)) }

    /// Text from the ledger or from a user: escaped, bidi controls made visible, and isolated in
    /// `<bdi>` (or `<bdi lang=...>` when its language is known) so that it cannot reorder the page.
    public static func ledger(_ s: String, lang: String? = nil) -> HTML {
        var out = "<bdi"
        if let lang, isLanguageTag(lang) { out += " lang=\"\(escape(lang))\"" }
        out += ">"
        out += escapeShowingControls(s)
        out += "</bdi>"
        return HTML(trusted: out)
    }

    /// Ledger text without the `<bdi>` wrapper, for use inside an element that already isolates
    /// (`dir="auto"` on a block): escaped, bidi controls made visible.
    public static func ledgerInline(_ s: String) -> HTML { HTML(trusted: escapeShowingControls(s)) }

    public static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(trusted: lhs.rendered + rhs.rendered) }
    public static func += (lhs: inout HTML, rhs: HTML) { lhs.rendered += rhs.rendered }
    /// Text and markup together: the text is escaped.
    public static func + (lhs: HTML, rhs: String) -> HTML { HTML(trusted: lhs.rendered + escape(rhs)) }
    public static func + (lhs: String, rhs: HTML) -> HTML { HTML(trusted: escape(lhs) + rhs.rendered) }

    public static func join(_ parts: [HTML], separator: HTML = HTML()) -> HTML {
        HTML(trusted: parts.map(\.rendered).joined(separator: separator.rendered))
    }

    /// The document, with its doctype.
    public static func document(_ root: HTML) -> HTML { HTML(trusted: "<!DOCTYPE html>\n" + root.rendered) }

    /// A JSON-LD data block, `<script type="application/ld+json">`, holding `value` as script-safe JSON
    /// (`ClaimReviewDocuments.scriptSafeJSON`: `<`, `>` and `&` escaped as `\u003c`, `\u003e`, `\u0026`,
    /// so that no ledger text can end the element). Browsers do not run it; empty if `value` has a number
    /// that JSON cannot carry.
    public static func jsonLD(_ value: JSONValue) -> HTML {
        guard let json = try? ClaimReviewDocuments.scriptSafeJSON(value) else { return HTML() }
        return HTML(trusted: #"<script type="application/ld+json">"# + json + "</script>")
    }

    /// A JSON data block, `<script type="application/json" id="ID">`, holding `value` as script-safe
    /// JSON (as `jsonLD`): the data a page's script reads (the claim page's proofs). Browsers do not run it.
    public static func jsonData(id: StaticString, _ value: JSONValue) -> HTML {
        guard let json = try? ClaimReviewDocuments.scriptSafeJSON(value) else { return HTML() }
        return HTML(trusted: #"<script type="application/json" id=""# + "\(id)" + #"">"# + json + "</script>")
    }

    /// `&`, `<`, `>`, `"`, `'` as entities; NUL as U+FFFD; direction controls as the visible text
    /// `[U+202E]` (so that not even a title or an attribute value carries one into the page).
    public static func escape(_ s: String) -> String {
        var text = s
        return text.withUTF8(escapedUTF8) ?? s
    }

    /// `escape` on the UTF-8 bytes of a string: nil when nothing needs escaping (most ledger text), so
    /// that the page takes the string as it is. Only `&<>"'`, NUL and the lead bytes of the direction
    /// controls (0xD8 for U+061C, 0xE2 for the others) are looked at; the input is valid UTF-8.
    public static func escapedUTF8(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        var out = [UInt8]()
        var copied = 0, i = 0
        let n = b.count
        while i < n {
            var width = 1
            let replacement: String?
            switch b[i] {
            case 0x26: replacement = "&amp;"
            case 0x3C: replacement = "&lt;"
            case 0x3E: replacement = "&gt;"
            case 0x22: replacement = "&quot;"
            case 0x27: replacement = "&#39;"
            case 0x00: replacement = "\u{FFFD}"
            case 0xE2 where i + 2 < n:
                let value = UInt32(b[i] & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                replacement = Unicode.Scalar(value).flatMap { isBidiControl($0) ? codeLabel($0) : nil }
                width = 3
            case 0xD8 where i + 1 < n:
                let value = UInt32(b[i] & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
                replacement = value == 0x061C ? codeLabel("\u{061C}") : nil
                width = 2
            default: replacement = nil
            }
            guard let replacement else {
                i += 1
                continue
            }
            if out.isEmpty { out.reserveCapacity(n + 32) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<i]))
            out.append(contentsOf: replacement.utf8)
            i += width
            copied = i
        }
        guard copied > 0 else { return nil }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[copied..<n]))
        return String(decoding: out, as: UTF8.self)
    }

    /// `[U+202E]`.
    public static func codeLabel(_ u: Unicode.Scalar) -> String {
        let hex = String(u.value, radix: 16, uppercase: true)
        return "[U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
    }

    /// Characters that change the direction of text around them (UAX #9): embeddings, overrides,
    /// isolates, marks; plus the line and paragraph separators, which break a line where a reader
    /// does not expect it.
    public static func isBidiControl(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C, 0x2028, 0x2029: true
        default: false
        }
    }

    public static func escapeShowingControls(_ s: String) -> String {
        // Every character `isBidiControl` accepts is U+061C (UTF-8 lead byte D8) or in U+2000-U+206F (lead
        // byte E2): text without those bytes, most of it, is not decoded into scalars at all.
        guard s.utf8.contains(where: { $0 == 0xD8 || $0 == 0xE2 }), s.unicodeScalars.contains(where: isBidiControl) else {
            return escape(s)
        }
        var out = ""
        var run = ""
        for u in s.unicodeScalars {
            if isBidiControl(u) {
                out += escape(run)
                run = ""
                out += "<span class=\"bidi-control\" title=\"a direction control character was here\">\(codeLabel(u))</span>"
            } else {
                run.unicodeScalars.append(u)
            }
        }
        return out + escape(run)
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

    var rendered: String {
        guard let value else { return " \(name)" }
        return " \(name)=\"\(HTML.escape(value))\""
    }
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
    // Appended piece by piece into one buffer sized up front: the content (most of a page, at the outer
    // elements) is copied once per element, not three times.
    let tag = name.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
    var s = ""
    s.reserveCapacity(content.rendered.utf8.count + 2 * tag.utf8.count + 5 + attrs.count * 24)
    s += "<"
    s += tag
    for a in attrs { s += a.rendered }
    s += ">"
    s += content.rendered
    s += "</"
    s += tag
    s += ">"
    return HTML(trusted: s)
}

/// A void element (`input`, `meta`, `link`, `br`): no content, no end tag.
public func void(_ name: StaticString, _ attrs: Attr...) -> HTML { void(name, attrs: attrs) }

public func void(_ name: StaticString, attrs: [Attr]) -> HTML {
    var s = "<\(name)"
    for a in attrs { s += a.rendered }
    return HTML(trusted: s + ">")
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
