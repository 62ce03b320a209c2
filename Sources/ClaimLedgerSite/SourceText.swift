import ClaimLedgerCore
import LedgerCrypto

/// A quoted span of a source: a claim's quote, a status's evidence span, a position's quote.
struct QuotedSpan: Sendable {
    let start: Int
    let end: Int
    let claim: String
    let what: String
}

/// The archived text of a source as the source page shows it (`#source-text`).
///
/// The text is cut into runs `<span data-b="OFFSET">` whose DOM text is exactly the source's UTF-8
/// bytes from OFFSET on (see StaticJS.swift for the selection convention). Runs break at every quoted
/// span's start and end (the spans are `<mark>`s, each ending with a link to its claim, marked
/// `data-skip`), at carriage returns (dropped: HTML parsing would turn them into line feeds) and at
/// control characters other than tab and line feed, and direction controls, which are shown as a
/// visible `[U+202E]` marker (`data-skip`) instead of acting on the text.
enum SourceText {
    static func spans(of source: SHA256Digest, in state: LedgerState) -> [QuotedSpan] {
        var out = [QuotedSpan]()
        let rendering = SiteRendering.current
        for id in state.claimOrder where rendering.isPublished(id) {
            guard let r = state.claims[id] else { continue }
            var quotes = r.current.quotes.filter { $0.source == source }.map { ($0, "quote") }
            if r.isCorrected { quotes += r.payload.quotes.filter { q in q.source == source && !quotes.contains { $0.0 == q } }.map { ($0, "quote as first recorded") } }
            for h in r.history { quotes += h.payload.spans.filter { $0.source == source }.map { ($0, "evidence span") } }
            for p in r.positions { quotes += p.payload.quotes.filter { $0.source == source }.map { ($0, "position of " + p.payload.party.name) } }
            for (q, what) in quotes { out.append(QuotedSpan(start: q.start, end: q.end, claim: r.id, what: what)) }
        }
        return out
    }

    static func render(_ bytes: [UInt8], spans: [QuotedSpan], state: LedgerState) -> HTML {
        let valid = spans.filter { $0.start >= 0 && $0.end <= bytes.count && $0.start < $0.end }
        var cuts = Set<Int>([0, bytes.count])
        for s in valid { cuts.insert(s.start); cuts.insert(s.end) }
        let sortedCuts = cuts.sorted()
        var out = HTML()
        var startsSeen = Set<Int>()
        for (lo, hi) in zip(sortedCuts, sortedCuts.dropFirst()) where lo < hi {
            let covering = valid.filter { $0.start <= lo && $0.end >= hi }
            let text = runs(bytes, from: lo, to: hi)
            guard let first = covering.first else { out += text; continue }
            var attrs = [Attr("title", covering.map { "\($0.what) of claim \($0.claim)" }.joined(separator: "; "))]
            if let starting = covering.first(where: { $0.start == lo }), startsSeen.insert(starting.start).inserted {
                attrs.insert(.id("q\(starting.start)"), at: 0)
            }
            _ = first
            let ending = covering.filter { $0.end == hi }
            var seenClaims = Set<String>()
            let links = ending.filter { seenClaims.insert($0.claim).inserted }.map { span in
                el("a", .class("mark-link"), .href(Paths.claim(span.claim)), Attr("data-skip", ""),
                   Attr("aria-label", "claim: " + (state.claims[span.claim]?.current.statement ?? span.claim))) { "↗" }
            }
            out += el("mark", attrs: attrs, content: text + HTML.join(links))
        }
        return out
    }

    /// The runs of `bytes[lo..<hi]` (cut at UTF-8 character boundaries by the caller's offsets).
    static func runs(_ bytes: [UInt8], from lo: Int, to hi: Int) -> HTML {
        var out = HTML()
        var runStart = lo
        var i = lo
        func flush(_ end: Int) {
            if end > runStart {
                out += el("span", Attr("data-b", String(runStart))) { String(decoding: bytes[runStart..<end], as: UTF8.self) }
            }
        }
        while i < hi {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
            let end = min(hi, i + length)
            let scalar = String(decoding: bytes[i..<end], as: UTF8.self).unicodeScalars.first
            if b == 0x0D {
                flush(i)
                // A lone CR ends a line too: shown as a line break that is not part of the text.
                if i + 1 >= bytes.count || bytes[i + 1] != 0x0A { out += el("span", Attr("data-skip", "")) { "\n" } }
                runStart = end
            } else if let u = scalar, (u.value < 0x20 && u != "\t" && u != "\n") || u.value == 0x7F || HTML.isBidiControl(u) {
                flush(i)
                let hex = String(u.value, radix: 16, uppercase: true)
                let label = "[U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
                out += el("span", .class("bidi-control"), Attr("data-skip", ""), Attr("title", "a control character was here")) { label }
                runStart = end
            }
            i = end
        }
        flush(hi)
        return out
    }
}
