import ClaimLedgerCore
import ClaimLedgerSite
import HTTPTypes
import Hummingbird
import LedgerCrypto

/// `GET /review`: the editors' queue (FORMAT.md 5.11). A claim's verdict awaits sign-off when its
/// latest status entry has a verdict and no review yet; one sent back (its latest review returns it)
/// waits for a new status and is listed apart. Each item has the approve / send back form, which posts
/// to `/claims/{id}/review`. An editor cannot sign off a status they signed (the two-person rule).
enum ReviewQueue {
    struct Item {
        let record: ClaimRecord
        let status: StatusRecord
        let returned: Recorded<ReviewPayload>?
    }

    /// Claims awaiting sign-off and claims sent back, each oldest status first.
    static func items(_ state: LedgerState) -> (awaiting: [Item], returned: [Item]) {
        var awaiting = [Item](), returned = [Item]()
        for id in state.claimOrder {
            guard let record = state.claims[id], !record.isRetracted, let last = record.history.last, last.payload.verdict != nil else { continue }
            let reviews = record.currentReviews
            if reviews.isEmpty {
                awaiting.append(Item(record: record, status: last, returned: nil))
            } else if let latest = reviews.last, latest.payload.decision == .return {
                returned.append(Item(record: record, status: last, returned: latest))
            }
        }
        let bySeq = { (a: Item, b: Item) in a.status.entry.seq < b.status.entry.seq }
        return (awaiting.sorted(by: bySeq), returned.sorted(by: bySeq))
    }

    static func register(on router: Router<AppRequestContext>, services: AppServices) {
        router.get("/review") { request, context -> Response in
            guard try WriteAccess.pageUser(context, request: request, action: .review) != nil else { return WriteAccess.loginRedirect(request) }
            return response(services: services, context: context, form: FormState(), claim: nil, status: .ok)
        }
    }

    /// The queue page; `form` and `claim` re-show a review that was refused, its errors beside its fields.
    static func response(services: AppServices, context: AppRequestContext, form: FormState, claim: String?,
                         status: HTTPResponse.Status) -> Response {
        let state = (try? services.view.snapshot().state) ?? LedgerState()
        let (awaiting, returned) = items(state)
        let me = context.auth.user?.signingKey.publicKey.keyID
        let chrome = Chrome(context, services: services, section: .review)
        let html = Layout.page(title: (form.errors.isEmpty ? "" : "Error: ") + "Review queue", chrome: chrome) {
            el("h1") { "Review queue" }
            el("p", .class("lead")) { "Verdicts waiting for an editor's sign-off. Approving signs a review entry; sending back needs a note for the desk." }
            FormViews.errorSummary(form)
            el("h2", .id("awaiting")) { "Awaiting sign-off (\(awaiting.count))" }
            if awaiting.isEmpty { el("p", .class("empty")) { "Nothing waits for review." } }
            el("ol", .class("review-queue"), .id("review-queue")) {
                for item in awaiting {
                    itemView(item, state: state, me: me, context: context, form: item.record.id == claim ? form : FormState())
                }
            }
            if !returned.isEmpty {
                el("h2", .id("returned")) { "Sent back (\(returned.count))" }
                el("ol", .class("review-queue")) {
                    for item in returned {
                        itemView(item, state: state, me: me, context: context, form: item.record.id == claim ? form : FormState())
                    }
                }
            }
        }
        return HTMLPage(html, status: status).response()
    }

    static func itemView(_ item: Item, state: LedgerState, me: SHA256Digest?, context: AppRequestContext, form: FormState) -> HTML {
        let id = item.record.id
        let status = item.status
        let signer = state.keys[status.entry.signer]?.name ?? String(status.entry.signer.hex.prefix(16))
        return el("li", .class("review-item"), Attr("data-claim", id)) {
            el("h3") { el("a", .href(Paths.claim(id))) { HTML.ledger(item.record.current.statement, lang: item.record.current.statementLanguage) } }
            el("p", .class("meta")) {
                HTML.ledger(item.record.current.claimant)
                " · status "
                el("strong") { status.payload.status.rawValue }
                " · verdict "
                el("strong", .class("verdict")) { HTML.ledger(status.payload.verdict ?? "") }
                " · signed by "
                HTML.ledger(signer)
                " at \(status.entry.time) (entry #\(status.entry.seq))"
            }
            el("p", .class("rationale")) { HTML.ledger(status.payload.rationale) }
            if let returned = item.returned {
                el("p", .class("returned-note")) {
                    HTML.text("Sent back by \(state.keys[returned.entry.signer]?.name ?? "an editor"): ") + HTML.ledger(returned.payload.note ?? "")
                }
            }
            if me == status.entry.signer {
                el("p", .class("hint")) { "You signed this status: another editor signs it off." }
            } else {
                el("form", Attr("method", "post"), Attr("action", Paths.claim(id).value + "/review"), .class("review-form"), Attr("novalidate", nil)) {
                    FormViews.csrf(context)
                    decisionFields(form: form, prefix: id)
                    FormViews.submit("Record the review")
                }
            }
        }
    }

    /// The decision and note of a review. On the queue page each item's controls get ids prefixed with
    /// the claim id (`{claim}-decision-approve`), so labels stay unique; errors keep `{field}-error`.
    static func decisionFields(form: FormState, prefix: String = "") -> HTML {
        let p = prefix.isEmpty ? "" : prefix + "-"
        let current = form.value("decision")
        let decisionError = form.error("decision"), noteError = form.error("note")
        return el("div", .class(decisionError == nil ? "form-group" : "form-group form-group-error")) {
            el("fieldset", .class("fieldset"), .id(p + "decision")) {
                el("legend", .class("label")) { "Decision" }
                if let decisionError {
                    el("p", .class("field-error"), .id("decision-error")) { el("span", .class("visually-hidden")) { "Error: " }; HTML.ledger(decisionError) }
                }
                for (value, text) in [("approve", "Approve the verdict"), ("return", "Send it back to the desk")] {
                    el("div", .class("radio")) {
                        if value == current {
                            void("input", .id(p + "decision-" + value), Attr("type", "radio"), Attr("name", "decision"), Attr("value", value), .flag("checked"))
                        } else {
                            void("input", .id(p + "decision-" + value), Attr("type", "radio"), Attr("name", "decision"), Attr("value", value))
                        }
                        el("label", Attr("for", p + "decision-" + value)) { text }
                    }
                }
            }
        } + el("div", .class(noteError == nil ? "form-group" : "form-group form-group-error")) {
            el("label", .class("label"), Attr("for", p + "note")) { "Note" }
            el("p", .class("hint"), .id(p + "note-hint")) { "Required when you send it back: what needs to change." }
            if let noteError {
                el("p", .class("field-error"), .id("note-error")) { el("span", .class("visually-hidden")) { "Error: " }; HTML.ledger(noteError) }
            }
            el("textarea", .id(p + "note"), Attr("name", "note"), Attr("rows", "2"), .class("textarea"), Attr("aria-describedby", p + "note-hint")) { form.value("note") }
        }
    }
}
