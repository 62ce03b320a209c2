/// Why an account operation failed. `code` is stable (the CLI's and the API's error codes);
/// `message` says what to do and never holds a password, a token or key material.
public struct AccountError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// Wrong name or password (the two are not told apart).
        case badCredentials = "bad-credentials"
        /// Too many failed logins for this account or client: wait `retryAfter` seconds.
        case throttled
        /// A bearer token that is malformed, unknown or revoked.
        case unknownToken = "unknown-token"
        case unknownUser = "unknown-user"
        case duplicateUser = "duplicate-user"
        case invalidName = "invalid-name"
        case weakPassword = "weak-password"
        /// The key is not an active ledger key of the account's role, or not the account's key.
        case keyMismatch = "key-mismatch"
        /// The accounts directory or file is reachable by group or others.
        case permissions
        /// The accounts file cannot be read, parsed or written.
        case storage
    }

    public let code: Code
    public let message: String
    /// Seconds to wait before the next attempt; set with `.throttled`.
    public var retryAfter: Int?

    public init(_ code: Code, _ message: String, retryAfter: Int? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { message }
}
