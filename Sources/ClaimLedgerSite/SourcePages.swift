import ClaimLedgerCore
import LedgerCrypto

/// `GET /sources` and `GET /sources/{id}`.
public enum SourcePages {
    /// `only`: the sources listed (a static site lists the sources its published claims rest on).
    public static func list(_ state: LedgerState, chrome: Chrome, only: Set<SHA256Digest>? = nil) -> HTML {
        let records = state.sourceOrder.filter { only?.contains($0) ?? true }.compactMap { state.sources[$0] }
        return Layout.page(title: "Sources", chrome: chrome) {
            el("h1") { "Sources" }
            el("p", .class("lead")) { "The archived copies every quote and piece of evidence points into: \(records.count) sources, each stored under its SHA-256." }
            el("div", .class("table-wrap")) {
                el("table") {
                    el("thead") {
                        el("tr") {
                            el("th", Attr("scope", "col")) { "Title" }
                            el("th", Attr("scope", "col")) { "Publisher" }
                            el("th", Attr("scope", "col")) { "Published" }
                            el("th", Attr("scope", "col")) { "Type" }
                        }
                    }
                    el("tbody") {
                        records.reversed().map { s in
                            el("tr") {
                                el("td") { el("a", .href(Paths.source(s.payload.id))) { HTML.ledger(s.payload.title, lang: s.payload.language) } }
                                el("td") { HTML.ledger(s.payload.publisher) }
                                el("td") { s.payload.published.description }
                                el("td") { HTML.ledger(s.payload.mediaType) }
                            }
                        }
                    }
                }
            }
        }
    }

    public static func page(_ s: SourceRecord, bytes: [UInt8]?, state: LedgerState, chrome: Chrome) -> HTML {
        let p = s.payload
        let spans = SourceText.spans(of: p.sha256, in: state)
        let isText = bytes.map { Parts.isText(p, bytes: $0) } ?? false
        var claims = [String]()
        for span in spans where !claims.contains(span.claim) { claims.append(span.claim) }
        let rendering = SiteRendering.current
        let citing = state.claimOrder.filter { id in
            guard rendering.isPublished(id), let r = state.claims[id], !claims.contains(id) else { return false }
            return r.history.contains { $0.payload.evidence.contains(p.sha256) } || r.positions.contains { $0.payload.evidence.contains(p.sha256) }
        }
        return Layout.page(title: "Source: " + String(p.title.prefix(80)), chrome: chrome) {
            el("span", .class("caption meta")) { "Source" }
            el("h1", Attr("lang", p.language), Attr("dir", "auto")) { HTML.ledgerInline(p.title) }
            el("dl", .class("summary")) {
                Parts.summaryRow("Publisher") { HTML.ledger(p.publisher) }
                Parts.summaryRow("Published") { p.published.description }
                Parts.summaryRow("URL") { externalLink(p.url) { HTML.ledger(p.url) } }
                Parts.summaryRow("Language") { HTML.ledger(p.language) }
                Parts.summaryRow("Media type") { HTML.ledger(p.mediaType) }
                Parts.summaryRow("Size") { "\(p.size) bytes" }
                Parts.summaryRow("SHA-256") { Parts.hash(p.sha256) }
                Parts.summaryRow("Archived") { Parts.entryLine(s.entry, in: state) }
            }
            el("h2") { "Provenance" }
            if let prov = s.provenance {
                Parts.provenance(prov, entry: s.provenanceEntry, in: state)
            } else {
                el("p") { "Not recorded." }
            }
            if !claims.isEmpty || !citing.isEmpty {
                el("h2") { "Claims that quote or cite it" }
                el("ul") {
                    (claims + citing).map { id in el("li") { Parts.claimLink(id, in: state) } }
                }
            }
            el("h2") { "The archived text" }
            if let bytes, isText {
                el("p", .class("meta")) {
                    spans.isEmpty ? "Nothing in it is quoted yet." : "Quoted passages are highlighted; each links to its claim."
                    if chrome.user != nil { " Select a passage to record a claim with it." }
                }
                el("div", .id("source-text"), .class("source-text"), Attr("data-source", p.id), Attr("lang", p.language), Attr("dir", "auto")) {
                    SourceText.render(bytes, spans: spans, state: state)
                }
                if chrome.user != nil {
                    el("div", .id("selection-action"), .class("selection-action"), .flag("hidden")) {
                        el("a", .href(Paths.with(Paths.newClaim, [("source", p.id)]))) { "Record a claim with this quote" }
                    }
                }
            } else if bytes == nil {
                el("div", .class("warning-panel")) { "The archived copy cannot be read." }
            } else {
                el("p") {
                    "This source is not text ("
                    HTML.ledger(p.mediaType)
                    "), so it is not shown here. "
                    el("a", .href(Paths.sourceBytes(p.id))) { "Download the archived bytes" }
                    "."
                }
            }
        }
    }
}
