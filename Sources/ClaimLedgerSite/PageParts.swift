import ClaimLedgerCore
import LedgerCrypto

/// Small pieces shared by the pages.
public enum Parts {
    public static func statusTag(_ s: ClaimStatus) -> HTML {
        el("strong", Attr("class", "tag status-\(s.rawValue)")) { s.rawValue }
    }

    public static func tags(status: ClaimStatus, verdict: String?, reviewed: Bool, corrected: Bool, retracted: Bool) -> HTML {
        el("span", .class("tags")) {
            statusTag(status)
            if let verdict { el("strong", .class("tag tag-verdict")) { "verdict: " + HTML.ledger(verdict) } }
            if reviewed { el("strong", .class("tag tag-reviewed")) { "reviewed" } }
            if corrected { el("strong", .class("tag tag-corrected")) { "corrected" } }
            if retracted { el("strong", .class("tag tag-retracted")) { "retracted" } }
        }
    }

    /// A key's name (from the ledger), or its id's first digits when unknown.
    public static func signerName(_ id: SHA256Digest, in state: LedgerState) -> String {
        state.keys[id]?.name ?? String(id.hex.prefix(16))
    }

    /// "entry 157, 2026-11-25T21:05:00Z, signed by desk-journalist (journalist)"
    public static func entryLine(_ ref: EntryRef, in state: LedgerState) -> HTML {
        let key = state.keys[ref.signer]
        return el("span", .class("meta")) {
            "entry \(ref.seq), "
            el("time", Attr("datetime", ref.time.description)) { ref.time.description }
            ", signed by "
            HTML.ledger(key?.name ?? String(ref.signer.hex.prefix(16)))
            if let key { " (\(key.role.rawValue))" }
        }
    }

    public static func hash(_ d: SHA256Digest) -> HTML { el("code", .class("hash")) { d.hex } }

    /// A link to a claim's page; on a static site, a claim that is not published there is named by
    /// its id, without a link and without its unpublished statement.
    public static func claimLink(_ id: String, in state: LedgerState) -> HTML {
        guard SiteRendering.current.isPublished(id) else { return el("code") { id } + " (not published)" }
        let statement = state.claims[id]?.current.statement
        return el("a", .href(Paths.claim(id))) {
            if let statement { HTML.ledger(statement) } else { el("code") { id } }
        }
    }

    public static func sourceLink(_ d: SHA256Digest, in state: LedgerState) -> HTML {
        guard let s = state.sources[d] else { return el("code", .class("hash")) { d.hex } }
        return el("a", .href(Paths.source(d.hex))) { HTML.ledger(s.payload.title, lang: s.payload.language) }
            + el("span", .class("meta")) { " (" + HTML.ledger(s.payload.publisher) + ", \(s.payload.published))" }
    }

    public static func summaryRow(_ term: String, @HTMLBuilder _ value: () -> HTML) -> HTML {
        el("dt") { term } + el("dd") { value() }
    }

    /// A provenance, in words.
    public static func provenance(_ p: Provenance, entry: EntryRef?, in state: LedgerState) -> HTML {
        el("dl", .class("summary")) {
            summaryRow("Kind") { p.kind.rawValue }
            summaryRow("Copy") { p.copy.rawValue }
            summaryRow("Retrieved") { p.retrievedAt.map { "\($0)" } ?? "not known" }
            if let from = p.retrievedFrom { summaryRow("Retrieved from") { externalLink(from) { HTML.ledger(from) } } }
            switch p.republishes {
            case .source(let d)?: summaryRow("Republishes") { sourceLink(d, in: state) }
            case .url(let url, let publisher)?: summaryRow("Republishes") { externalLink(url) { HTML.ledger(url) } + " (" + HTML.ledger(publisher) + ")" }
            case nil: HTML()
            }
            if let entry { summaryRow("Recorded") { entryLine(entry, in: state) } }
        }
    }

    /// The context of `[start, end)` in `bytes`: up to `radius` bytes either side, cut at UTF-8
    /// character boundaries, the span itself marked.
    public static func quoteInContext(_ bytes: [UInt8], start: Int, end: Int, radius: Int = 240, link: SitePath? = nil) -> HTML {
        guard start >= 0, end <= bytes.count, start < end else { return HTML() }
        var lo = max(0, start - radius), hi = min(bytes.count, end + radius)
        while lo > 0 && lo < bytes.count && bytes[lo] & 0xC0 == 0x80 { lo -= 1 }
        while hi < bytes.count && bytes[hi] & 0xC0 == 0x80 { hi += 1 }
        let before = String(decoding: bytes[lo..<start], as: UTF8.self)
        let quote = String(decoding: bytes[start..<end], as: UTF8.self)
        let after = String(decoding: bytes[end..<hi], as: UTF8.self)
        return el("p", .class("quote-context"), Attr("dir", "auto")) {
            if lo > 0 { "…" }
            HTML.ledgerInline(before)
            if let link {
                el("mark") { el("a", .href(link)) { HTML.ledgerInline(quote) } }
            } else {
                el("mark") { HTML.ledgerInline(quote) }
            }
            HTML.ledgerInline(after)
            if hi < bytes.count { "…" }
        }
    }

    /// Whether a source's bytes are shown as text: a textual media type and valid UTF-8.
    public static func isText(_ s: SourcePayload, bytes: [UInt8]?) -> Bool {
        let type = s.mediaType.lowercased()
        let textual = type.hasPrefix("text/") || type.hasPrefix("application/json") || type.hasPrefix("application/xml")
            || type.hasPrefix("application/xhtml")
        guard textual else { return false }
        guard let bytes else { return true }
        return isUTF8(bytes)
    }

    /// Whether `bytes` are valid UTF-8.
    public static func isUTF8(_ bytes: [UInt8]) -> Bool { String(validating: bytes, as: UTF8.self) != nil }
}
