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
        let termBytes = terms.map { Array($0.utf8) }
        for field in fields where !field.isEmpty {
            if let parts = parts(of: field, terms: terms, termBytes: termBytes, prefixLast: query.prefixLast) { return parts }
        }
        return nil
    }

    /// Whether `word` matches one of `terms` (folded; `termBytes` their UTF-8), the last as a prefix when
    /// `prefixLast`. An ASCII word folds to its lower case, compared as bytes; any other goes through
    /// `FullTextQuery.fold` (most words of a field are ASCII, and folding a string costs about 1 µs).
    static func matches(_ word: Substring, terms: [String], termBytes: [[UInt8]], prefixLast: Bool) -> Bool {
        let last = terms.count - 1
        let ascii = word.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            for (k, term) in termBytes.enumerated() where term.count == bytes.count || (k == last && prefixLast && term.count < bytes.count) {
                var same = true
                for (i, t) in term.enumerated() where t != Self.lower(bytes[i]) { same = false; break }
                if same { return true }
            }
            return false
        }
        if let ascii = ascii ?? nil { return ascii }
        let folded = FullTextQuery.fold(String(word))
        return terms.enumerated().contains { k, t in folded == t || (k == last && prefixLast && folded.hasPrefix(t)) }
    }

    private static func lower(_ b: UInt8) -> UInt8 { (0x41...0x5A).contains(b) ? b | 0x20 : b }

    static func parts(of text: String, terms: [String], termBytes: [[UInt8]], prefixLast: Bool) -> [SnippetPart]? {
        var words = [Range<String.Index>]()
        var start: String.Index?
        var i = text.startIndex
        while i < text.endIndex {
            let next = text.unicodeScalars.index(after: i)
            let scalar = text.unicodeScalars[i]
            if scalar.isASCII ? Self.isASCIIToken(UInt8(scalar.value)) : FullTextQuery.isTokenScalar(scalar) {
                if start == nil { start = i }
            } else if let s = start {
                words.append(s..<i)
                start = nil
            }
            i = next
        }
        if let s = start { words.append(s..<text.endIndex) }
        let matches = words.filter { Self.matches(text[$0], terms: terms, termBytes: termBytes, prefixLast: prefixLast) }
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

    /// unicode61's token characters among ASCII: letters and digits.
    static func isASCIIToken(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
}
