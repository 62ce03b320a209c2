import LedgerCrypto

/// The ledger roles a newsroom account can hold (the ledger's key roles less root: keys are managed
/// from the CLI with the root key, never from the web).
public enum NewsroomRole: String, Sendable, CaseIterable {
    case journalist, editor
}

/// A newsroom user as `user list` shows them. Secrets stay in the store.
public struct Account: Sendable, Equatable {
    /// 1-64 characters of [a-z0-9._-], unique in the store.
    public let name: String
    /// Equal to the ledger role of `keyID` when the account was added (checked then).
    public let role: NewsroomRole
    /// The ledger key id (64 hex digits), as `claimledger key list` shows it.
    public let keyID: String
    /// RFC 3339 UTC.
    public let created: String

    public init(name: String, role: NewsroomRole, keyID: String, created: String) {
        self.name = name
        self.role = role
        self.keyID = keyID
        self.created = created
    }
}

/// An account whose signing key was decrypted by a login or a bearer token. Hold it no longer than the
/// session it serves; the key never leaves the server.
public struct UnlockedAccount: Sendable {
    public let account: Account
    public let signingKey: Ed25519PrivateKey

    public init(account: Account, signingKey: Ed25519PrivateKey) {
        self.account = account
        self.signingKey = signingKey
    }
}

/// An API token as listed (the token itself is shown once, when it is made, and stored only hashed).
public struct TokenInfo: Sendable, Equatable {
    /// 16 hex digits, for `user token NAME --revoke ID`.
    public let id: String
    public let label: String
    /// RFC 3339 UTC.
    public let created: String
}

/// What proves the right to use an account's key in an administrative change: the user's current
/// password, or the key itself (the PEM file the account was made from).
public enum AccountCredential: Sendable {
    case password(String)
    case signingKey(Ed25519PrivateKey)
}

/// The rules for names and passwords.
public enum AccountRules {
    public static let maxNameLength = 64
    public static let minPasswordLength = 12

    /// 1-64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit.
    public static func checkName(_ name: String) throws(AccountError) {
        let bytes = Array(name.utf8)
        guard (1...maxNameLength).contains(bytes.count),
              bytes.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }),
              let first = bytes.first, first != 0x2E, first != 0x5F, first != 0x2D
        else {
            throw AccountError(.invalidName, "invalid user name \"\(String(name.unicodeScalars.prefix(64)))\": use 1-\(maxNameLength) characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit")
        }
    }

    /// At least 12 characters (Unicode scalars), at most 1,024 bytes, and not containing the user's name.
    public static func checkPassword(_ password: String, name: String) throws(AccountError) {
        guard password.unicodeScalars.count >= minPasswordLength else {
            throw AccountError(.weakPassword, "the password is too short: use at least \(minPasswordLength) characters (a few unrelated words work well)")
        }
        guard password.utf8.count <= PasswordHash.maxPasswordBytes else {
            throw AccountError(.weakPassword, "the password is longer than \(PasswordHash.maxPasswordBytes) bytes")
        }
        if !name.isEmpty, password.lowercased().contains(name.lowercased()) {
            throw AccountError(.weakPassword, "the password contains the user name \"\(name)\": choose one that does not")
        }
    }
}
