import ClaimLedgerCore

/// A static site's `index.html`: every published claim (a reviewed verdict) with the filters of the
/// server's list (verdict, status, claimant, words), which work without a server: the form is a GET form
/// whose query stays in the URL (`index.html?verdict=false`), and `filter.js` hides the claims that do not
/// match it. Without JavaScript every claim is listed.
public enum SiteIndexPage {
    public static func render(_ records: [ClaimRecord], state: LedgerState, chrome: Chrome) -> HTML {
        let verdicts = distinct(records.compactMap { $0.history.last?.payload.verdict })
        let claimants = distinct(records.map { $0.current.claimant })
        let statuses = distinct(records.map { $0.status.rawValue })
        return Layout.page(title: "Fact checks", chrome: chrome, scripts: [Paths.filterScript]) {
            el("h1") { "Fact checks" }
            el("p", .class("lead")) {
                "Every claim here has a verdict approved by an editor. Each page carries the signed ledger entries it rests on "
                "and checks them in your browser."
            }
            el("form", .id("filters"), Attr("method", "get"), .href(Paths.claims).renamed("action"), .class("filters")) {
                el("div", .class("field-group")) {
                    select("verdict", label: "Verdict", options: verdicts)
                    select("status", label: "Status", options: statuses)
                    select("claimant", label: "Claimant", options: claimants)
                }
                el("div", .class("field")) {
                    el("label", Attr("for", "q")) { "Words" }
                    void("input", .id("q"), Attr("name", "q"), Attr("type", "search"), Attr("autocomplete", "off"))
                }
                el("button", Attr("type", "submit")) { "Filter" }
            }
            el("section", .id("results"), Attr("aria-labelledby", "results-heading")) {
                el("h2", .id("results-heading"), Attr("aria-live", "polite")) { records.count == 1 ? "1 fact check" : "\(records.count) fact checks" }
                el("ol", .id("claim-list"), .class("claim-list")) { records.reversed().map { item($0, state: state) } }
                el("p", .id("no-match"), .flag("hidden")) { "No fact check matches these filters. " + el("a", .href(Paths.claims)) { "Show them all" } }
            }
        }
    }

    static func item(_ r: ClaimRecord, state: LedgerState) -> HTML {
        let c = r.current
        let verdict = r.history.last?.payload.verdict ?? ""
        let words = [c.statement, c.claimant, r.history.last?.payload.rationale ?? ""].joined(separator: " ").lowercased()
        return el("li", Attr("data-verdict", verdict), Attr("data-status", r.status.rawValue), Attr("data-claimant", c.claimant),
                  Attr("data-words", words)) {
            el("a", .class("statement"), .href(Paths.claim(r.id)), Attr("lang", c.statementLanguage)) { HTML.ledger(c.statement, lang: c.statementLanguage) }
            el("p", .class("meta")) {
                HTML.ledger(c.claimant) + ", \(c.date) · "
                Parts.tags(status: r.status, verdict: r.history.last?.payload.verdict, reviewed: r.isReviewed, corrected: r.isCorrected,
                           retracted: r.isRetracted)
            }
        }
    }

    static func select(_ name: StaticString, label: String, options: [String]) -> HTML {
        el("div", .class("field")) {
            el("label", Attr("for", "\(name)")) { label }
            el("select", Attr("id", "\(name)"), Attr("name", "\(name)")) {
                el("option", Attr("value", "")) { "Any" }
                options.map { o in el("option", Attr("value", o)) { o } }
            }
        }
    }

    static func distinct(_ values: [String]) -> [String] { Array(Set(values)).sorted() }
}
