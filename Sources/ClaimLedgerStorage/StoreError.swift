/// A failure outside the ledger's rules: the file system, key files, locks. Stable `code`s.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case noLedger = "no-ledger"
        case ledgerExists = "ledger-exists"
        case io
        case keyFile = "key-file"
        case keyPermissions = "key-permissions"
        case tornLedger = "torn-ledger"
        case invalidLedger = "invalid-ledger"
        case fileTooLarge = "file-too-large"
        case unsafePath = "unsafe-path"
        case exists
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}
