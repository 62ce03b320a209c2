import Foundation

/// Turns what a user typed into an FTS5 query that cannot be anything but a list of terms: the text is cut
/// into words the way FTS5's unicode61 tokenizer cuts it (runs of letters, digits and marks), each word
/// becomes a quoted string, and all must match (implicit AND). So quotes, `NEAR`, `*`, `^`, `:`,
/// parentheses, `AND`/`OR`/`NOT` typed by a user are words or separators, never syntax. The last word is a
/// prefix (`"wor"*`) unless the text ends with a separator, for search as you type.
struct FullTextQuery: Equatable {
    static let maxTerms = 16
    static let maxTermCharacters = 64
    /// Input beyond this many characters is ignored (a search box, not a document).
    static let maxInputCharacters = 1000

    let terms: [String]
    let prefixLast: Bool

    init?(_ text: String) {
        let input = text.unicodeScalars.prefix(Self.maxInputCharacters * 2)
        var terms = [String](), current = String.UnicodeScalarView()
        for scalar in input {
            if Self.isTokenScalar(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                terms.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        let endsInWord = !current.isEmpty
        if endsInWord { terms.append(String(current)) }
        guard !terms.isEmpty else { return nil }
        self.terms = terms.prefix(Self.maxTerms).map { String($0.prefix(Self.maxTermCharacters)) }
        prefixLast = endsInWord && terms.count <= Self.maxTerms
    }

    /// unicode61's token characters: letters, numbers, marks and private-use characters.
    static func isTokenScalar(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark, .privateUse:
            true
        default: false
        }
    }

    /// The FTS5 MATCH expression: every term quoted (a `"` doubled, though terms hold none).
    var matchExpression: String {
        terms.enumerated().map { i, term in
            "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (i == terms.count - 1 && prefixLast ? "*" : "")
        }.joined(separator: " ")
    }

    /// Terms folded as the index folds them (case and diacritics), for highlighting.
    var foldedTerms: [String] { terms.map(Self.fold) }

    static func fold(_ s: String) -> String {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}
