/// Snippets as parts of plain text: the words of a field that match the query's terms are `match` parts,
/// the rest is context. Computed here from the stored text (not with FTS5's `snippet()`, whose markers
/// could be forged by text in the ledger); nothing is HTML, the renderer escapes every part.
enum Snippets {
    /// Characters of context kept before the first match, and in all.
    static let before = 60
    static let length = 240

    /// The first field (in the order given) that has a match, as parts; nil when none has.
    static func parts(fields: [String], query: FullTextQuery) -> [SnippetPart]? {
        let terms = query.foldedTerms
        for field in fields where !field.isEmpty {
            if let parts = parts(of: field, terms: terms, prefixLast: query.prefixLast) { return parts }
        }
        return nil
    }

    static func parts(of text: String, terms: [String], prefixLast: Bool) -> [SnippetPart]? {
        var words = [Range<String.Index>]()
        var start: String.Index?
        var i = text.startIndex
        while i < text.endIndex {
            let next = text.unicodeScalars.index(after: i)
            if FullTextQuery.isTokenScalar(text.unicodeScalars[i]) {
                if start == nil { start = i }
            } else if let s = start {
                words.append(s..<i)
                start = nil
            }
            i = next
        }
        if let s = start { words.append(s..<text.endIndex) }
        let last = terms.count - 1
        let matches = words.filter { r in
            let word = FullTextQuery.fold(String(text[r]))
            return terms.enumerated().contains { k, t in word == t || (k == last && prefixLast && word.hasPrefix(t)) }
        }
        guard let first = matches.first else { return nil }
        // A window of about `length` characters starting a little before the first match.
        let from = text.index(first.lowerBound, offsetBy: -before, limitedBy: text.startIndex) ?? text.startIndex
        let windowStart = from == text.startIndex ? from : (words.first { $0.lowerBound >= from && $0.lowerBound <= first.lowerBound }?.lowerBound ?? first.lowerBound)
        let to = text.index(windowStart, offsetBy: length, limitedBy: text.endIndex) ?? text.endIndex
        var parts = [SnippetPart]()
        if windowStart > text.startIndex { parts.append(SnippetPart(text: "…", match: false)) }
        var cursor = windowStart
        for m in matches where m.lowerBound >= windowStart && m.upperBound <= to {
            if cursor < m.lowerBound { parts.append(SnippetPart(text: String(text[cursor..<m.lowerBound]), match: false)) }
            parts.append(SnippetPart(text: String(text[m]), match: true))
            cursor = m.upperBound
        }
        if cursor < to { parts.append(SnippetPart(text: String(text[cursor..<to]), match: false)) }
        if to < text.endIndex { parts.append(SnippetPart(text: "…", match: false)) }
        return parts
    }
}
