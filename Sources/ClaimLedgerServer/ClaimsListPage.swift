import ClaimLedgerCore
import ClaimLedgerSite

/// `GET /claims`: the filter form (a GET form: the URL holds the state), the results (`#results`,
/// which the live search swaps) and pagination.
enum ClaimsListPage {
    static func render(_ results: ClaimListResult, facets: (claimants: [String], parties: [String], verdicts: [String]),
                       chrome: Chrome) -> HTML {
        let f = results.filter
        return Layout.page(title: f.isFiltered ? "Claims (filtered)" : "Claims", chrome: chrome) {
            el("h1") { "Claims" }
            if chrome.user != nil {
                el("p") { el("a", .class("button"), .href(Paths.newClaim)) { "Record a claim" } }
            }
            form(f, facets: facets)
            el("section", .id("results"), Attr("aria-labelledby", "results-heading")) {
                el("h2", .id("results-heading"), Attr("aria-live", "polite")) {
                    results.total == 1 ? "1 claim" : "\(results.total) claims"
                    if f.isFiltered { " match" }
                }
                if results.hits.isEmpty {
                    el("p") { "No claims match. " + el("a", .href(Paths.claims)) { "Show every claim" } }
                } else {
                    el("ol", .class("claim-list"), Attr("start", String((f.page - 1) * f.perPage + 1))) {
                        results.hits.map(item)
                    }
                }
                pagination(results)
            }
        }
    }

    static func item(_ c: ClaimSummary) -> HTML {
        el("li") {
            el("a", .class("statement"), .href(Paths.claim(c.id)), Attr("lang", c.lang)) { HTML.ledger(c.statement, lang: c.lang) }
            el("p", .class("meta")) {
                HTML.ledger(c.claimant) + ", \(c.date) · "
                Parts.tags(status: c.status, verdict: c.verdict, reviewed: c.reviewed, corrected: c.corrected, retracted: c.retracted)
            }
            if let snippet = c.snippet {
                el("p", .class("snippet")) {
                    snippet.map { part in part.match ? el("mark") { HTML.ledger(part.text) } : HTML.ledger(part.text) }
                }
            }
        }
    }

    static func form(_ f: ClaimFilter, facets: (claimants: [String], parties: [String], verdicts: [String])) -> HTML {
        el("form", .id("claim-filters"), Attr("method", "get"), Attr("action", Paths.claims.value), Attr("role", "search")) {
            el("div", .class("field")) {
                el("label", Attr("for", "q")) { "Search claims" }
                el("span", .class("hint"), .id("q-hint")) { "Words from statements, quotes, claimants, positions and rationales" }
                void("input", Attr("type", "search"), .id("q"), Attr("name", "q"), Attr("value", f.text ?? ""),
                     Attr("aria-describedby", "q-hint"), Attr("autocomplete", "off"))
            }
            el("details", .class("filters"), f.isFiltered && (f.text == nil || f.queryItems().count > 1) ? .flag("open") : Attr("data-closed", "")) {
                el("summary") { "Filters" }
                el("div", .class("field-group")) {
                    select("status", "Status", [("", "Any")] + ClaimStatus.allCases.map { ($0.rawValue, $0.rawValue) }, f.status?.rawValue)
                    select("verdict", "Verdict", [("", "Any")] + facets.verdicts.map { ($0, $0) }, f.verdict)
                    select("reviewed", "Reviewed by an editor", [("", "Either"), ("yes", "Reviewed"), ("no", "Not reviewed")],
                           f.reviewed.map { $0 ? "yes" : "no" })
                    textField("claimant", "Claimant", f.claimant, list: "claimants")
                    textField("party", "Party (a position's)", f.party, list: "parties")
                    textField("source", "Source id", f.source, list: nil)
                    dateField("from", "Said on or after", f.from)
                    dateField("to", "Said on or before", f.to)
                    select("retracted", "Retracted claims", [("", "Leave out"), ("yes", "Include")], f.includeRetracted ? "yes" : nil)
                }
                datalist("claimants", facets.claimants)
                datalist("parties", facets.parties)
            }
            el("button", Attr("type", "submit")) { "Search" }
        }
    }

    static func select(_ name: StaticString, _ label: String, _ options: [(String, String)], _ selected: String?) -> HTML {
        let id = "\(name)"
        return el("div", .class("field")) {
            el("label", Attr("for", id)) { label }
            el("select", .id(id), Attr("name", id)) {
                options.map { value, text in
                    value == (selected ?? "")
                        ? el("option", Attr("value", value), .flag("selected")) { HTML.ledger(text) }
                        : el("option", Attr("value", value)) { HTML.ledger(text) }
                }
            }
        }
    }

    static func textField(_ name: StaticString, _ label: String, _ value: String?, list: String?) -> HTML {
        let id = "\(name)"
        var attrs = [Attr("type", "text"), .id(id), Attr("name", id), Attr("value", value ?? "")]
        if let list { attrs.append(Attr("list", list)) }
        return el("div", .class("field")) {
            el("label", Attr("for", id)) { label }
            void("input", attrs: attrs)
        }
    }

    static func dateField(_ name: StaticString, _ label: String, _ value: CalendarDate?) -> HTML {
        let id = "\(name)"
        return el("div", .class("field")) {
            el("label", Attr("for", id)) { label }
            void("input", Attr("type", "date"), .id(id), Attr("name", id), Attr("value", value?.description ?? ""))
        }
    }

    static func datalist(_ id: String, _ values: [String]) -> HTML {
        el("datalist", .id(id)) { values.prefix(500).map { void("option", Attr("value", $0)) } }
    }

    static func pagination(_ r: ClaimListResult) -> HTML {
        let f = r.filter
        guard r.pageCount > 1 else { return HTML() }
        return el("nav", .class("pagination"), Attr("aria-label", "Pages of results")) {
            if f.page > 1 {
                el("a", .href(Paths.claims(query: f.queryItems(page: f.page - 1))), Attr("rel", "prev")) { "← Previous page" }
            } else {
                el("span") { "" }
            }
            el("span") { "Page \(f.page) of \(r.pageCount)" }
            if f.page < r.pageCount {
                el("a", .href(Paths.claims(query: f.queryItems(page: f.page + 1))), Attr("rel", "next")) { "Next page →" }
            }
        }
    }
}
