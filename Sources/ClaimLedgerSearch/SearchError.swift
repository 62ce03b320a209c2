/// Why the search index could not answer or be brought up to date. Bad queries are not among these: they
/// throw `LedgerError(.invalidInput, …)`, like every other bad input of the CLI and the server.
public struct SearchError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// `entries.jsonl` could not be read, or holds a line that is not an entry.
        case ledgerUnreadable = "ledger-unreadable"
        /// The entries on disk do not end at the state's head (the ledger was replaced while indexing):
        /// refresh again from a freshly verified state.
        case ledgerChanged = "ledger-changed"
        /// The index file could not be created or opened (a permission or disk problem).
        case indexUnavailable = "index-unavailable"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) [\(code.rawValue)]" }
}
