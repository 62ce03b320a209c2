import ClaimLedgerCore
import ClaimLedgerStorage
import LedgerCrypto

/// What every handler can reach: the configuration, the verified view of the ledger, and the write
/// side's pieces (accounts, the writer), which are nil on a read-only server.
///
/// THE WRITE SEAM (for branch serverw and the group-commit writer):
/// - `writer` is the single funnel of every write (app-contract.md section 3): an object that queues
///   `LedgerStore.AppendRequest`s, calls `appendGroup` on its own `LedgerStore`, answers each request
///   once its entries are durable, and then calls `view.refresh()` so that the next page shows them.
/// - write routes are registered by `WriteRoutes.register(on:services:)` (WriteRoutes.swift, owned by
///   the write side), called from `AppBuilder.router` after the read routes; the write side's
///   authentication middleware (session cookie / bearer token -> `context.auth`) is added by
///   `WriteRoutes.middlewares(services:)`, which runs before every route.
public struct AppServices: Sendable {
    public let config: ServerConfig
    public let view: LedgerView
    /// Finds claims for the list and the API: the full-text index when it is available.
    public var search: any ClaimSearching
    /// The write side's state (accounts store, sessions, writer): nil when the server is read-only.
    public var write: WriteServices?
    /// Rendered pages for readers without a session, until the ledger changes.
    public let pages: PageCache

    public init(config: ServerConfig, view: LedgerView, search: any ClaimSearching = MemoryClaimSearch(), write: WriteServices? = nil,
                pages: PageCache = PageCache()) {
        self.config = config
        self.pages = pages
        self.view = view
        self.search = search
        self.write = write
    }

    public var accountsEnabled: Bool { write != nil }
}

/// One ledger append: drafts signed with `key` at `time`; the writer answers with the signed entries
/// once they are durable, or the drafts' error (nothing of them written).
public protocol LedgerWriting: Sendable {
    func append(_ drafts: [Draft], key: Ed25519PrivateKey, time: Timestamp) async throws -> [SignedEntry]
}
