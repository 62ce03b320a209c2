import ClaimLedgerCore
import ClaimLedgerSite
import HTTPTypes
import Hummingbird

/// The pages of the write forms. Every value shown comes back escaped (HTML.ledger / attribute escaping).
enum WriteFormPages {
    static func response(_ action: WriteAction, claim: String?, form: FormState, selection: NewClaimSelection?,
                         choices: [NewClaimSelection] = [], snapshot: ViewSnapshot, services: AppServices,
                         context: AppRequestContext, status: HTTPResponse.Status) -> Response {
        let title = heading(action)
        let record = claim.flatMap { snapshot.state.claims[$0] }
        let chrome = Chrome(context, services: services, section: .claims)
        let html = Layout.page(title: (form.errors.isEmpty ? "" : "Error: ") + title, chrome: chrome) {
            if let record {
                el("p", .class("caption")) { el("a", .href(Paths.claim(record.id))) { HTML.ledger(record.id) } }
            }
            el("h1") { title }
            if let record {
                el("blockquote", .class("claim-statement")) { HTML.ledger(record.payload.statement, lang: record.payload.statementLanguage) }
            }
            FormViews.errorSummary(form)
            el("form", Attr("method", "post"), Attr("action", action == .claim ? Paths.claims.value : Paths.claim(claim ?? "").value + "/" + action.rawValue),
               Attr("novalidate", nil)) {
                FormViews.csrf(context)
                fields(action, form: form, selection: selection, choices: choices, snapshot: snapshot)
                FormViews.submit(submitLabel(action))
            }
        }
        return HTMLPage(html, status: status).response()
    }

    static func heading(_ action: WriteAction) -> String {
        switch action {
        case .claim: "Record a claim"
        case .status: "Record a status and verdict"
        case .position: "Record a party's position"
        case .link: "Link this claim to another"
        case .correct: "Correct this claim"
        case .retract: "Retract this claim"
        case .review: "Review the verdict"
        }
    }

    static func submitLabel(_ action: WriteAction) -> String {
        switch action {
        case .claim: "Record the claim"
        case .status: "Record the status"
        case .position: "Record the position"
        case .link: "Record the link"
        case .correct: "Record the correction"
        case .retract: "Retract the claim"
        case .review: "Record the review"
        }
    }

    static let statuses = ClaimStatus.allCases.map { ($0.rawValue, $0.rawValue) }

    @HTMLBuilder
    static func fields(_ action: WriteAction, form: FormState, selection: NewClaimSelection?, choices: [NewClaimSelection],
                       snapshot: ViewSnapshot) -> HTML {
        switch action {
        case .claim:
            quoteFields(form: form, selection: selection, choices: choices, required: true)
            FormViews.textarea("statement", label: "The claim, as a statement", hint: "What is claimed, in a sentence of your own.", form: form, rows: 3)
            FormViews.input("lang", label: "Language of the statement", hint: "A language tag: en, fr, pt-BR…", form: withDefault(form, "lang", "en"), width: "input input-short")
            FormViews.input("claimant", label: "Claimant", hint: "Who makes the claim: a person, a government, an agency.", form: form)
            FormViews.input("date", label: "Date of the claim (optional)", hint: "YYYY-MM-DD. Leave it empty for the source's publication date.", form: form, width: "input input-short")
            FormViews.radios("kind", legend: "Kind of claim (optional)", form: form,
                             options: [("", "Not stated"), ("attribution", "Attribution: someone said it"), ("substance", "Substance: what is so")])
            FormViews.select("status", label: "First status (optional)", hint: "With a rationale; you can also record one later.", form: form,
                             options: statuses, blank: "No status yet")
            FormViews.textarea("rationale", label: "Rationale (with a status)", form: form, rows: 3)
            FormViews.input("evidence", label: "Evidence sources (optional, with a status)", hint: "Source ids, separated by spaces.", form: form)
        case .status:
            FormViews.select("status", label: "Status", form: form, options: statuses, blank: "Choose a status")
            FormViews.select("verdict", label: "Verdict (optional)", hint: "A label of the ledger's scale; a verdict needs evidence spans below.",
                             form: form, options: snapshot.state.scaleOrder.map { ($0, $0) }, blank: "No verdict")
            FormViews.textarea("rationale", label: "Rationale", hint: "Why the claim has this status, from the evidence alone.", form: form)
            FormViews.input("evidence", label: "Evidence sources (optional)", hint: "Source ids, separated by spaces.", form: form)
            spanFields(form)
        case .position:
            FormViews.input("party", label: "Party", hint: "Who takes the position.", form: form)
            FormViews.select("partyKind", label: "Kind of party", form: form, options: Party.Kind.allCases.map { ($0.rawValue, $0.rawValue) }, blank: "Choose")
            FormViews.select("stance", label: "Stance", form: form, options: Stance.allCases.map { ($0.rawValue, $0.rawValue) }, blank: "Choose")
            FormViews.input("date", label: "Date (optional)", hint: "YYYY-MM-DD; today when empty.", form: form, width: "input input-short")
            quoteFields(form: form, selection: nil, choices: choices, required: true)
            FormViews.input("evidence", label: "Evidence sources (optional)", hint: "Source ids, separated by spaces.", form: form)
            FormViews.textarea("note", label: "Note (optional)", form: form, rows: 2)
        case .link:
            FormViews.select("relation", label: "Relation", hint: "Read: this claim RELATION the other claim.", form: form,
                             options: LinkRelation.allCases.map { ($0.rawValue, $0.rawValue) }, blank: "Choose")
            FormViews.input("to", label: "The other claim's id", form: form)
            FormViews.textarea("note", label: "Note (optional)", form: form, rows: 2)
        case .correct:
            FormViews.textarea("reason", label: "Why is it corrected?", form: form, rows: 3)
            el("p", .class("hint")) { "Fill in only what changes." }
            FormViews.textarea("statement", label: "Corrected statement", form: form, rows: 3)
            FormViews.input("lang", label: "Language of the corrected statement", hint: "en when empty.", form: form, width: "input input-short")
            FormViews.input("claimant", label: "Corrected claimant", form: form)
            FormViews.input("date", label: "Corrected date", hint: "YYYY-MM-DD.", form: form, width: "input input-short")
            FormViews.select("kind", label: "Kind", form: form, options: ClaimKind.allCases.map { ($0.rawValue, $0.rawValue) }, blank: "Unchanged")
            quoteFields(form: form, selection: nil, choices: choices, required: false)
        case .retract:
            el("p", .class("warning")) { "A retraction is final: the claim stays in the ledger, marked retracted, and nothing more can be recorded about it." }
            FormViews.textarea("reason", label: "Why is it retracted?", form: form, rows: 3)
        case .review:
            ReviewQueue.decisionFields(form: form)
        }
    }

    static func withDefault(_ form: FormState, _ name: String, _ value: String) -> FormState {
        var f = form
        if f.values[name, default: ""].isEmpty { f.values[name] = value }
        return f
    }

    /// The quote: shown in its context (read-only, with hidden fields) when it was selected in the
    /// source page; otherwise a source id and the quote's text to find; occurrences to choose from when
    /// the text occurs more than once.
    @HTMLBuilder
    static func quoteFields(form: FormState, selection: NewClaimSelection?, choices: [NewClaimSelection], required: Bool) -> HTML {
        if let selection {
            el("div", .class(form.error("quote") == nil ? "form-group" : "form-group form-group-error"), .id("quote")) {
                el("h2", .class("label")) { "The quote" }
                el("p", .class("hint")) { HTML.text("From ") + el("a", .href(Paths.source(selection.source.hex, mark: selection.start))) { HTML.ledger(selection.title) } + HTML.text(", bytes \(selection.start)–\(selection.end).") }
                if let error = form.error("quote") {
                    el("p", .class("field-error"), .id("quote-error")) { el("span", .class("visually-hidden")) { "Error: " }; HTML.ledger(error) }
                }
                el("blockquote", .class("quote-context"), .id("quote-context")) {
                    HTML.ledger(selection.before)
                    el("mark") { HTML.ledger(selection.quote) }
                    HTML.ledger(selection.after)
                }
                FormViews.hidden("source", selection.source.hex)
                FormViews.hidden("quote", selection.quote)
                FormViews.hidden("offset", String(selection.start))
            }
        } else {
            if required {
                el("p", .class("hint")) { HTML.text("Tip: select the words in a ") + el("a", .href(Paths.sources)) { "source page" } + HTML.text(" to fill these in.") }
            }
            FormViews.input("source", label: required ? "Source id" : "Source of a corrected quote", hint: "The archived source's id (or its first 8+ hex digits).", form: form)
            FormViews.textarea("quote", label: required ? "Quote" : "Corrected quote", hint: "Exactly as it stands in the source.", form: form, rows: 3)
            if !choices.isEmpty {
                FormViews.radios("offset", legend: "The quote occurs more than once: which one?", form: form, options: choices.map {
                    (String($0.start), "byte \($0.start): " + $0.before.suffix(60) + "[" + $0.quote + "]" + $0.after.prefix(60))
                })
            } else if !form.value("offset").isEmpty {
                FormViews.hidden("offset", form.value("offset"))
            }
        }
    }

    /// Evidence spans: two rows of a source id and the words of the evidence.
    @HTMLBuilder
    static func spanFields(_ form: FormState) -> HTML {
        el("fieldset", .class("fieldset"), .id("spans")) {
            el("legend", .class("label")) { "Evidence spans (required with a verdict)" }
            el("p", .class("hint"), .id("spans-hint")) { "The words of the evidence the verdict rests on, exactly as they stand in the source." }
            if let error = form.error("spans") {
                el("p", .class("field-error"), .id("spans-error")) { el("span", .class("visually-hidden")) { "Error: " }; HTML.ledger(error) }
            }
            for i in 0..<max(2, form.spans.count) {
                let row = i < form.spans.count ? form.spans[i] : ("", "")
                el("div", .class("span-row")) {
                    el("label", Attr("for", "spanSource-\(i)")) { "Source id" }
                    void("input", .id("spanSource-\(i)"), Attr("name", "spanSource"), .class("input"), Attr("value", row.0), Attr("autocomplete", "off"))
                    el("label", Attr("for", "spanQuote-\(i)")) { "Words of the evidence" }
                    el("textarea", .id("spanQuote-\(i)"), Attr("name", "spanQuote"), .class("textarea"), Attr("rows", "2")) { row.1 }
                }
            }
        }
    }
}
