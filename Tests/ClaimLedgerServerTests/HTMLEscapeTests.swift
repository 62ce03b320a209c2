@testable import ClaimLedgerServer
import ClaimLedgerSite
import Testing

/// `HTML.escape` works on UTF-8 bytes and returns most ledger text untouched; it must equal, on any
/// text, the definition it replaced (one scalar at a time), kept here as the reference.
@Suite struct HTMLEscapeTests {
    static func reference(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{0}": out += "\u{FFFD}"
            default: if HTML.isBidiControl(u) { out += HTML.codeLabel(u) } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// Scalars that matter (specials, every direction control, their UTF-8 neighbours with the same
    /// lead bytes, such as “ ” … and Arabic letters) and plain ones.
    static let alphabet: [Unicode.Scalar] = [
        "a", "Z", " ", "é", "\n", "&", "<", ">", "\"", "'", "\u{0}", "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}",
        "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}", "\u{200E}", "\u{200F}", "\u{061C}", "\u{2028}", "\u{2029}",
        "\u{201C}", "\u{201D}", "\u{2026}", "\u{2013}", "\u{2060}", "\u{206A}", "\u{2000}", "\u{0600}", "\u{061B}", "\u{061D}",
        "\u{0627}", "\u{1F600}", "\u{4E2D}", "\u{0301}", "\u{200D}", "\u{2027}", "\u{202F}", "\u{2065}",
    ]

    /// Up to 24 scalars of `alphabet`.
    static func randomText(using generator: inout SystemRandomNumberGenerator) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...24, using: &generator) { s.append(alphabet.randomElement(using: &generator)!) }
        return String(s)
    }

    @Test func equalsTheScalarDefinitionOnRandomText() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let text = Self.randomText(using: &generator)
            #expect(Array(HTML.escape(text).utf8) == Array(Self.reference(text).utf8), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    /// `escapeShowingControls` as it was defined, one scalar at a time, on top of `reference`.
    static func showingControlsReference(_ s: String) -> String {
        var out = "", run = ""
        for u in s.unicodeScalars {
            if HTML.isBidiControl(u) {
                out += reference(run)
                run = ""
                out += "<span class=\"bidi-control\" title=\"a direction control character was here\">\(HTML.codeLabel(u))</span>"
            } else {
                run.unicodeScalars.append(u)
            }
        }
        return out + reference(run)
    }

    /// `escapeShowingControls` skips decoding text that has no lead byte of a direction control; on any
    /// text it must equal the definition that decoded every text.
    @Test func showingControlsEqualsTheScalarDefinitionOnRandomText() {
        let reference = Self.showingControlsReference
        var generator = SystemRandomNumberGenerator()
        var withControls = 0
        for _ in 0..<5000 {
            let text = Self.randomText(using: &generator)
            if text.unicodeScalars.contains(where: HTML.isBidiControl) { withControls += 1 }
            #expect(Array(HTML.escapeShowingControls(text).utf8) == Array(reference(text).utf8), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(withControls > 1000 && withControls < 4900)
    }

    /// The fragments that escape into their bytes (`text`, `ledger`, `ledgerInline`, attribute values)
    /// give what the string functions give.
    @Test func fragmentsEscapeAsTheStringFunctions() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let text = Self.randomText(using: &generator)
            let escaped = Self.reference(text), shown = Self.showingControlsReference(text)
            #expect(HTML.text(text).bytes == Array(escaped.utf8))
            #expect(HTML.ledgerInline(text).bytes == Array(shown.utf8))
            #expect(HTML.ledger(text, lang: "fr").bytes == Array(("<bdi lang=\"fr\">" + shown + "</bdi>").utf8))
            #expect(HTML.ledger(text, lang: "f\"r").bytes == Array(("<bdi>" + shown + "</bdi>").utf8), "a language that is not a tag is left out")
            #expect(el("p", attrs: [Attr("title", text), .flag("hidden")], content: .text(text)).bytes
                    == Array(("<p title=\"" + escaped + "\" hidden>" + escaped + "</p>").utf8))
            #expect(void("input", attrs: [Attr("value", text)]).bytes == Array(("<input value=\"" + escaped + "\">").utf8))
            #expect((HTML.text(text) + text).bytes == Array((escaped + escaped).utf8))
            #expect((text + HTML.text(text)).bytes == HTML.join([.text(text), .text(text)]).bytes)
        }
    }

    @Test func knownCases() {
        #expect(HTML.escape("") == "")
        #expect(HTML.escape("plain text, “quoted” …") == "plain text, “quoted” …")
        #expect(HTML.escape("<b a='1'>&\"</b>") == "&lt;b a=&#39;1&#39;&gt;&amp;&quot;&lt;/b&gt;")
        #expect(HTML.escape("abc\u{202E}fed") == "abc[U+202E]fed")
        #expect(HTML.escape("\u{061C}x\u{0}") == "[U+061C]x\u{FFFD}")
    }
}
