import ClaimLedgerCore
import Hummingbird
import LedgerCrypto

/// The quote a journalist selected in a source page, as the new-claim form shows it: the source, the
/// byte range the server found, and some text around it.
struct NewClaimSelection {
    let source: SHA256Digest
    let title: String
    let start: Int
    let end: Int
    let before: String
    let quote: String
    let after: String

    /// Bytes of context shown on each side of the quote.
    static let context = 160

    /// The form of `GET /new-claim`: with `source`, `start` and `end` (byte offsets, as /static/app.js
    /// sends them) or `source`, `quote` and `at` (the selected text and the UTF-16 position where it
    /// starts in `#source-text`), the server finds and checks the quote; errors go beside the fields.
    static func prefill(_ request: Request, snapshot: ViewSnapshot, view: LedgerView) throws -> (FormState, NewClaimSelection?) {
        let q = request.uri.queryParameters
        var form = FormState()
        guard let sourceParam = q["source"].map(String.init), !sourceParam.isEmpty else { return (form, nil) }
        form.values["source"] = sourceParam
        guard let digest = SHA256Digest(hex: sourceParam), let record = snapshot.state.sources[digest],
              let bytes = try view.sourceBytes(digest) else {
            form.errors = [FieldError("source", "No archived source has this id: choose a source and select the quote in its page")]
            return (form, nil)
        }
        var range: Range<Int>?
        do throws(SelectionOffsets.Failure) {
            if let s = q["start"], let e = q["end"] {
                guard let start = Int(s), let end = Int(e) else {
                    throw SelectionOffsets.Failure(message: "The selection's start and end must be byte offsets: select the quote again")
                }
                let text = try SelectionOffsets.quote(start: start, end: end, in: bytes)
                range = start..<(start + text.utf8.count)
            } else if let text = q["quote"].map(String.init), !text.isEmpty {
                let at = q["at"].flatMap { Int($0) }
                range = try SelectionOffsets.locate(quote: text, at: at, in: bytes)
            }
        } catch {
            form.errors = [FieldError("quote", error.message)]
        }
        guard let range else { return (form, nil) }
        let selection = make(digest, title: record.payload.title, range: range, bytes: bytes)
        form.values["quote"] = selection.quote
        form.values["offset"] = String(range.lowerBound)
        return (form, selection)
    }

    /// The selection of a posted claim form (to show it again beside the errors), when its source,
    /// quote and offset still agree.
    static func fromPosted(_ form: FormState, snapshot: ViewSnapshot, view: LedgerView) -> NewClaimSelection? {
        guard let digest = SHA256Digest(hex: form.value("source")), let record = snapshot.state.sources[digest],
              let bytes = try? view.sourceBytes(digest), let offset = Int(form.value("offset")) else { return nil }
        let quote = Array(form.value("quote").utf8)
        guard !quote.isEmpty, offset >= 0, offset + quote.count <= bytes.count, bytes[offset..<(offset + quote.count)].elementsEqual(quote)
        else { return nil }
        return make(digest, title: record.payload.title, range: offset..<(offset + quote.count), bytes: bytes)
    }

    /// Every place the posted quote occurs in its source, with context: the choices offered when a
    /// quote typed without a selection occurs more than once.
    static func occurrences(_ form: FormState, snapshot: ViewSnapshot, view: LedgerView) -> [NewClaimSelection] {
        let name = form.value("source")
        let matches = snapshot.state.sourceOrder.filter { name.count >= 8 && $0.hex.hasPrefix(name) }
        guard matches.count == 1, let digest = matches.first, let record = snapshot.state.sources[digest],
              let bytes = try? view.sourceBytes(digest) else { return [] }
        let quote = Array(form.value("quote").utf8)
        return QuoteLocator.scan(for: quote, in: bytes).prefix(20).map {
            make(digest, title: record.payload.title, range: $0..<($0 + quote.count), bytes: bytes)
        }
    }

    static func make(_ digest: SHA256Digest, title: String, range: Range<Int>, bytes: [UInt8]) -> NewClaimSelection {
        var from = max(0, range.lowerBound - context)
        while from > 0, from < bytes.count, bytes[from] & 0xC0 == 0x80 { from -= 1 }
        var to = min(bytes.count, range.upperBound + context)
        while to < bytes.count, bytes[to] & 0xC0 == 0x80 { to += 1 }
        let text = { (r: Range<Int>) in String(decoding: bytes[r], as: UTF8.self) }
        return NewClaimSelection(source: digest, title: title, start: range.lowerBound, end: range.upperBound,
                                 before: (from > 0 ? "…" : "") + text(from..<range.lowerBound), quote: text(range),
                                 after: text(range.upperBound..<to) + (to < bytes.count ? "…" : ""))
    }
}
