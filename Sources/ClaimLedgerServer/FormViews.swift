import ClaimLedgerSite
import Hummingbird
import NIOCore

/// What a form shows: the values the user sent (re-shown, escaped, after an error) and the errors.
struct FormState {
    var values: [String: String] = [:]
    var errors: [FieldError] = []
    /// Rows of evidence spans (source, quote) to re-show.
    var spans: [(String, String)] = []

    func value(_ name: String) -> String { values[name] ?? "" }
    func error(_ name: String) -> String? { errors.first(where: { $0.field == name })?.message }

    init(values: [String: String] = [:], errors: [FieldError] = []) {
        self.values = values
        self.errors = errors
    }

    /// The fields of a posted form (first value of each; repeated evidence joined by lines).
    init(posted pairs: [(String, String)], errors: [FieldError]) {
        var values = [String: String]()
        var spanSources = [String](), spanQuotes = [String]()
        for (k, v) in pairs where k != "csrf" && k != "password" {
            if k == "spanSource" { spanSources.append(v); continue }
            if k == "spanQuote" { spanQuotes.append(v); continue }
            if let old = values[k], k == "evidence" { values[k] = old + "\n" + v } else if values[k] == nil { values[k] = v }
        }
        self.values = values
        self.errors = errors
        spans = Array(zip(spanSources, spanQuotes))
    }
}

/// The GOV.UK Design System's form pattern: a label, a hint, the error beside the field
/// (`<p class="field-error" id="{field}-error">`), and a summary at the top linking to each error.
enum FormViews {
    static func errorSummary(_ form: FormState) -> HTML {
        guard !form.errors.isEmpty else { return HTML() }
        return el("div", .class("error-summary"), Attr("role", "alert"), Attr("tabindex", "-1"), Attr("aria-labelledby", "error-summary-title")) {
            el("h2", .id("error-summary-title")) { "There is a problem" }
            el("ul") {
                for e in form.errors {
                    el("li") { el("a", Attr("href", "#" + fieldID(e.field))) { HTML.ledger(e.message) } }
                }
            }
        }
    }

    /// The id of a field's control (`body` errors point at the summary itself).
    static func fieldID(_ field: String) -> String { field == "body" ? "error-summary-title" : field }

    static func hidden(_ name: String, _ value: String) -> HTML {
        void("input", Attr("type", "hidden"), Attr("name", name), Attr("value", value))
    }

    static func csrf(_ context: AppRequestContext) -> HTML { hidden("csrf", context.auth.csrfToken ?? "") }

    /// The label, hint and error of a field around `control`.
    static func group(_ name: String, label: String, hint: String?, form: FormState, control: HTML) -> HTML {
        let error = form.error(name)
        return el("div", .class(error == nil ? "form-group" : "form-group form-group-error")) {
            el("label", .class("label"), Attr("for", name)) { label }
            if let hint { el("p", .class("hint"), .id(name + "-hint")) { hint } }
            if let error {
                el("p", .class("field-error"), .id(name + "-error")) {
                    el("span", .class("visually-hidden")) { "Error: " }
                    HTML.ledger(error)
                }
            }
            control
        }
    }

    static func describedBy(_ name: String, hint: String?, form: FormState) -> String {
        [hint == nil ? nil : name + "-hint", form.error(name) == nil ? nil : name + "-error"].compactMap { $0 }.joined(separator: " ")
    }

    static func input(_ name: String, label: String, hint: String? = nil, form: FormState, type: String = "text",
                      autocomplete: String = "off", keepValue: Bool = true, width: String = "input") -> HTML {
        let control = void("input", .id(name), Attr("name", name), Attr("type", type), .class(form.error(name) == nil ? width : width + " input-error"),
                           Attr("value", keepValue ? form.value(name) : ""), Attr("autocomplete", autocomplete),
                           Attr("aria-describedby", describedBy(name, hint: hint, form: form)))
        return group(name, label: label, hint: hint, form: form, control: control)
    }

    static func textarea(_ name: String, label: String, hint: String? = nil, form: FormState, rows: Int = 4) -> HTML {
        let control = el("textarea", .id(name), Attr("name", name), Attr("rows", String(rows)),
                         .class(form.error(name) == nil ? "textarea" : "textarea input-error"),
                         Attr("aria-describedby", describedBy(name, hint: hint, form: form))) { form.value(name) }
        return group(name, label: label, hint: hint, form: form, control: control)
    }

    /// A select of `options` (value, label); `blank` adds a first empty option with that label.
    static func select(_ name: String, label: String, hint: String? = nil, form: FormState, options: [(String, String)],
                       blank: String? = nil) -> HTML {
        let current = form.value(name)
        var items = [HTML]()
        if let blank { items.append(option("", blank, selected: current.isEmpty)) }
        for (value, text) in options { items.append(option(value, text, selected: value == current)) }
        let control = el("select", attrs: [.id(name), Attr("name", name), .class(form.error(name) == nil ? "select" : "select input-error"),
                                          Attr("aria-describedby", describedBy(name, hint: hint, form: form))],
                         content: HTML.join(items))
        return group(name, label: label, hint: hint, form: form, control: control)
    }

    static func option(_ value: String, _ text: String, selected: Bool) -> HTML {
        el("option", attrs: selected ? [Attr("value", value), .flag("selected")] : [Attr("value", value)], content: .text(text))
    }

    /// Radio buttons in a fieldset, the error beside the legend.
    static func radios(_ name: String, legend: String, hint: String? = nil, form: FormState, options: [(String, String)]) -> HTML {
        let current = form.value(name)
        let error = form.error(name)
        return el("div", .class(error == nil ? "form-group" : "form-group form-group-error")) {
            el("fieldset", .class("fieldset"), .id(name), Attr("aria-describedby", describedBy(name, hint: hint, form: form))) {
                el("legend", .class("label")) { legend }
                if let hint { el("p", .class("hint"), .id(name + "-hint")) { hint } }
                if let error {
                    el("p", .class("field-error"), .id(name + "-error")) {
                        el("span", .class("visually-hidden")) { "Error: " }
                        HTML.ledger(error)
                    }
                }
                for (i, (value, text)) in options.enumerated() {
                    el("div", .class("radio")) {
                        if value == current {
                            void("input", .id("\(name)-\(i)"), Attr("type", "radio"), Attr("name", name), Attr("value", value), .flag("checked"))
                        } else {
                            void("input", .id("\(name)-\(i)"), Attr("type", "radio"), Attr("name", name), Attr("value", value))
                        }
                        el("label", Attr("for", "\(name)-\(i)")) { text }
                    }
                }
            }
        }
    }

    static func submit(_ label: String) -> HTML {
        el("button", Attr("type", "submit"), .class("button")) { label }
    }
}

/// Reading a form's body.
enum WriteForms {
    /// The pairs of an `application/x-www-form-urlencoded` body (at most the context's upload limit).
    static func fields(_ request: Request, context: AppRequestContext) async throws -> [(String, String)] {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw Problem(.unsupportedMediaType, code: "invalid-input", detail: "send the form as application/x-www-form-urlencoded")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw Problem(.contentTooLarge, code: "limit-exceeded", detail: "the form is longer than \(context.maxUploadSize) bytes")
        }
        do { return try FormBody.parse(Array(buffer.readableBytesView)) } catch {
            throw Problem.badRequest(error.message)
        }
    }
}
