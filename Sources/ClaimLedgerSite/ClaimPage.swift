import CanonicalJSON
import ClaimLedgerAccounts
import ClaimLedgerCore
import LedgerCrypto

/// `GET /claims/{id}`: the claim, its quotes in their sources, positions side by side, links both
/// ways, history, corrections, reviews, and the verification panel (VerificationPanel.swift).
public enum ClaimPage {
    /// With `claimReview` (the server's `ServerConfig.claimReview`), a claim whose current verdict is
    /// reviewed embeds its schema.org ClaimReview as JSON-LD (ClaimReviewDocuments, docs/AUDIT.md).
    /// With lines to read (`ledger.line`) and a checkpoint, the page carries the claim as an export
    /// document of its own (FORMAT.md 11: its entries' lines and inclusion proofs, the checkpoint, the
    /// keys) for `verify.js` to check in the reader's browser (SelfCheckSection.swift).
    ///
    /// `sourceText` gives the archived bytes of a source when they are valid UTF-8, else nil (callers keep
    /// that answer: validating a source of a few hundred kilobytes on every page was a third of its cost);
    /// a quote is shown in its context when its source is also of a textual media type (`Parts.isText`).
    public static func render(_ r: ClaimRecord, ledger: PageLedger, sourceText: (SHA256Digest) -> [UInt8]?, chrome: Chrome,
                              claimReview: ClaimReviewOptions? = nil) -> HTML {
        let proofs = PageProofs(ledger)
        return render(r, proofs: proofs, proofDocument: try? ledger.claimDocument(r, proofs: proofs),
                      sourceText: sourceText, chrome: chrome, claimReview: claimReview)
    }

    /// `render`, for the ledger of `proofs`, with the page's self-check document made by the caller from
    /// the same proofs (`claimledger site` also writes it beside the page): the panel shows those proofs.
    static func render(_ r: ClaimRecord, proofs: PageProofs, proofDocument: JSONValue?,
                       sourceText: (SHA256Digest) -> [UInt8]?, chrome: Chrome, claimReview: ClaimReviewOptions?) -> HTML {
        let state = proofs.ledger.state
        let c = r.current
        let last = r.history.last
        return Layout.page(title: "Claim: " + String(c.statement.prefix(80)), chrome: chrome,
                           scripts: proofDocument == nil ? [] : [Paths.verifyScript]) {
            el("span", .class("caption meta")) { "Claim " + el("code", Attr("data-verify-field", "id")) { r.id } }
            el("h1", Attr("lang", c.statementLanguage), Attr("dir", "auto"), Attr("data-verify-field", "statement")) { HTML.ledgerInline(c.statement) }
            el("p") { Parts.tags(status: r.status, verdict: last?.payload.verdict, reviewed: r.isReviewed, corrected: r.isCorrected, retracted: r.isRetracted) }
            if let retraction = r.retraction {
                el("div", .class("warning-panel")) {
                    el("strong") { "This claim was retracted. " }
                    HTML.ledger(retraction.payload.reason) + " "
                    Parts.entryLine(retraction.entry, in: state)
                }
            }
            el("dl", .class("summary")) {
                Parts.summaryRow("Claimant") { el("a", .href(Paths.claims(query: [("claimant", c.claimant)])), Attr("data-verify-field", "claimant")) { HTML.ledger(c.claimant) } }
                Parts.summaryRow("Said on") { el("span", Attr("data-verify-field", "date")) { c.date.description } }
                Parts.summaryRow("Kind") { c.kind.map { $0.rawValue } ?? "not classified" }
                Parts.summaryRow("Status") { el("span", Attr("data-verify-field", "status")) { Parts.statusTag(r.status) } }
                if let v = last?.payload.verdict {
                    Parts.summaryRow("Verdict") {
                        el("strong", Attr("data-verify-field", "verdict")) { HTML.ledger(v) }
                        if let d = state.scale[v]?.label.description { " – " + HTML.ledger(d) }
                        if r.isReviewed { el("span", .class("meta")) { " (approved by an editor)" } } else { el("span", .class("meta")) { " (not reviewed yet)" } }
                    }
                }
                if let last { Parts.summaryRow("Rationale") { el("p", Attr("dir", "auto"), Attr("data-verify-field", "rationale")) { HTML.ledgerInline(last.payload.rationale) } } }
                Parts.summaryRow("Recorded") { Parts.entryLine(r.entry, in: state) }
            }
            actions(r, chrome: chrome)
            quotes(c.quotes, state: state, sourceText: sourceText)
            positions(r, state: state)
            links(r, state: state)
            history(r, state: state)
            amends(r, state: state)
            VerificationPanel.render(r, proofs: proofs)
            if let proofDocument { SelfCheckSection.render(proofDocument, claimID: r.id) }
            if let options = claimReview, let document = ClaimReviewDocuments.claimReview(r, in: state, options: options) {
                HTML.jsonLD(document)
            }
        }
    }

    /// Links to the write side's forms, for a signed-in user (the forms check the role again).
    static func actions(_ r: ClaimRecord, chrome: Chrome) -> HTML {
        guard let user = chrome.user, !r.isRetracted, !SiteRendering.current.isStatic else { return HTML() }
        return el("nav", .class("actions"), Attr("aria-label", "Record on this claim")) {
            el("h2") { "Record" }
            el("ul") {
                el("li") { el("a", .href(Paths.claimAction(r.id, "status"))) { "A new status and verdict" } }
                el("li") { el("a", .href(Paths.claimAction(r.id, "position"))) { "A party's position" } }
                el("li") { el("a", .href(Paths.claimAction(r.id, "link"))) { "A link to another claim" } }
                el("li") { el("a", .href(Paths.claimAction(r.id, "correct"))) { "A correction" } }
                el("li") { el("a", .href(Paths.claimAction(r.id, "retract"))) { "A retraction" } }
                if user.role == .editor, !r.history.isEmpty, !r.isReviewed {
                    el("li") { el("a", .href(Paths.review)) { "Review its verdict (review queue)" } }
                }
            }
        }
    }

    static func quotes(_ quotes: [Quote], state: LedgerState, sourceText: (SHA256Digest) -> [UInt8]?) -> HTML {
        guard !quotes.isEmpty else { return HTML() }
        return el("section", Attr("aria-labelledby", "quotes-heading")) {
            el("h2", .id("quotes-heading")) { quotes.count == 1 ? "The quote in its source" : "The quotes in their sources" }
            quotes.map { q -> HTML in
                let source = state.sources[q.source]
                let bytes = source.flatMap { Parts.isText($0.payload, bytes: nil) ? sourceText(q.source) : nil }
                return el("figure", .class("quote")) {
                    if let bytes {
                        el("blockquote", .class("quote")) {
                            Parts.quoteInContext(bytes, start: q.start, end: q.end, link: Paths.source(q.source.hex, mark: q.start))
                        }
                    } else {
                        el("blockquote", .class("quote"), Attr("dir", "auto")) { HTML.ledgerInline(q.text) }
                    }
                    el("figcaption", .class("meta")) {
                        "Bytes \(q.start)–\(q.end) of "
                        Parts.sourceLink(q.source, in: state)
                    }
                }
            }
        }
    }

    static func positions(_ r: ClaimRecord, state: LedgerState) -> HTML {
        let current = r.currentPositions
        guard !current.isEmpty else { return HTML() }
        return el("section", Attr("aria-labelledby", "positions-heading")) {
            el("h2", .id("positions-heading")) { "Positions" }
            el("div", .class("positions")) {
                current.map { p in
                    el("article", Attr("class", "position stance-\(p.payload.stance.rawValue)")) {
                        el("h3") { HTML.ledger(p.payload.party.name) }
                        el("p", .class("meta")) { p.payload.party.kind.rawValue + " · \(p.payload.date)" }
                        el("p") { el("strong") { p.payload.stance.rawValue } }
                        if let note = p.payload.note { el("p", Attr("dir", "auto")) { HTML.ledgerInline(note) } }
                        p.payload.quotes.map { q in
                            el("blockquote", .class("quote"), Attr("dir", "auto")) {
                                el("a", .href(Paths.source(q.source.hex, mark: q.start))) { HTML.ledgerInline(q.text) }
                            }
                        }
                        if !p.payload.evidence.isEmpty {
                            el("p") { "Evidence: " + HTML.join(p.payload.evidence.map { Parts.sourceLink($0, in: state) }, separator: .text("; ")) }
                        }
                        el("p") { Parts.entryLine(p.entry, in: state) }
                    }
                }
            }
        }
    }

    static func links(_ r: ClaimRecord, state: LedgerState) -> HTML {
        guard !r.links.isEmpty || !r.linkedFrom.isEmpty else { return HTML() }
        return el("section", Attr("aria-labelledby", "links-heading")) {
            el("h2", .id("links-heading")) { "Related claims" }
            el("ul") {
                r.links.map { l in
                    el("li") {
                        "This claim " + el("strong") { l.payload.relation.rawValue } + " "
                        Parts.claimLink(l.payload.to, in: state)
                        if let note = l.payload.note { " – " + HTML.ledger(note) }
                        " " + Parts.entryLine(l.entry, in: state)
                    }
                }
                r.linkedFrom.map { l in
                    el("li") {
                        Parts.claimLink(l.payload.from, in: state)
                        " " + el("strong") { l.payload.relation.rawValue } + " this claim"
                        if let note = l.payload.note { " – " + HTML.ledger(note) }
                        " " + Parts.entryLine(l.entry, in: state)
                    }
                }
            }
        }
    }

    static func history(_ r: ClaimRecord, state: LedgerState) -> HTML {
        el("section", Attr("aria-labelledby", "history-heading")) {
            el("h2", .id("history-heading")) { "History" }
            if r.history.isEmpty {
                el("p") { "No status recorded yet: the claim is unverified." }
            } else {
                el("ol", .class("history")) {
                    r.history.map { h in
                        el("li") {
                            el("h3") {
                                Parts.statusTag(h.payload.status)
                                if let v = h.payload.verdict { "verdict " + HTML.ledger(v) }
                            }
                            el("p") { Parts.entryLine(h.entry, in: state) }
                            el("p", Attr("dir", "auto")) { HTML.ledgerInline(h.payload.rationale) }
                            if !h.payload.evidence.isEmpty {
                                el("p") { "Evidence:" }
                                el("ul") { h.payload.evidence.map { d in el("li") { Parts.sourceLink(d, in: state) } } }
                            }
                            if !h.payload.spans.isEmpty {
                                el("p") { "Evidence spans:" }
                                el("ul") {
                                    h.payload.spans.map { q in
                                        el("li") {
                                            el("a", .href(Paths.source(q.source.hex, mark: q.start)), Attr("dir", "auto")) { "«" + HTML.ledger(q.text) + "»" }
                                            el("span", .class("meta")) { " bytes \(q.start)–\(q.end)" }
                                        }
                                    }
                                }
                            }
                            let reviews = r.reviews.filter { $0.payload.status == h.entry.hash }
                            if !reviews.isEmpty {
                                el("ul", .class("reviews")) {
                                    reviews.map { rv in
                                        el("li") {
                                            el("strong") { rv.payload.decision == .approve ? "Approved" : "Sent back" }
                                            " by an editor"
                                            if let note = rv.payload.note { ": " + HTML.ledger(note) }
                                            " " + Parts.entryLine(rv.entry, in: state)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func amends(_ r: ClaimRecord, state: LedgerState) -> HTML {
        guard !r.amends.isEmpty else { return HTML() }
        return el("section", Attr("aria-labelledby", "amends-heading")) {
            el("h2", .id("amends-heading")) { "Corrections and retraction" }
            if r.isCorrected {
                el("p") { "As first recorded: " + el("q", Attr("lang", r.payload.statementLanguage)) { HTML.ledger(r.payload.statement) } + " – " + HTML.ledger(r.payload.claimant) + ", \(r.payload.date)" }
            }
            el("ul") {
                r.amends.map { a in
                    el("li") {
                        switch a.payload.action {
                        case .retract: el("strong") { "Retracted" }
                        case .correct(let changes): el("strong") { changes.changesText ? "Corrected" : "Classified" }
                        }
                        ": " + HTML.ledger(a.payload.reason) + " "
                        Parts.entryLine(a.entry, in: state)
                    }
                }
            }
        }
    }
}
