import ClaimLedgerCore
import Logging

/// How `claimledger serve` runs (app-contract.md section 4).
public struct ServerConfig: Sendable {
    /// The ledger directory.
    public var ledger: String
    /// The accounts directory (beside the ledger, never in it); nil: the app is read-only.
    public var accounts: String?
    public var host: String
    /// 0 picks a free port (the printed URL says which).
    public var port: Int
    /// Connections idle (or sending nothing) this long are closed.
    public var idleTimeoutSeconds: Int64
    public var logLevel: Logger.Level
    /// Who publishes the fact checks and where (`serve --publisher`, `--publisher-url`, `--base-url`):
    /// when set, each claim page with a reviewed verdict embeds its schema.org ClaimReview; nil: none.
    public var claimReview: ClaimReviewOptions? = nil

    public init(ledger: String, accounts: String? = nil, host: String = "127.0.0.1", port: Int = 8080,
                idleTimeoutSeconds: Int64 = 30, logLevel: Logger.Level = .info) {
        self.ledger = ledger
        self.accounts = accounts
        self.host = host
        self.port = port
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.logLevel = logLevel
    }
}
