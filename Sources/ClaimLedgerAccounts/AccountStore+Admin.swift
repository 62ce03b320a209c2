import ClaimLedgerCore
import ClaimLedgerStorage
import LedgerCrypto

/// Changes to the accounts, made from the CLI (`claimledger user ...`) by whoever may write the
/// accounts directory. Each change locks `accounts.lock`, re-reads the file, and replaces it atomically.
extension AccountStore {
    /// Checks that `publicKey` is an active (not revoked) key of the ledger whose verified state is
    /// `state`, with the ledger role `role`.
    public static func checkLedgerKey(_ publicKey: Ed25519PublicKey, role: NewsroomRole, in state: LedgerState) throws(AccountError) {
        let id = publicKey.keyID
        guard let record = state.keys[id] else {
            throw AccountError(.keyMismatch, "key \(id.hex) is not a key of the ledger: admit it first with `claimledger key add --role \(role.rawValue)`")
        }
        if let revoked = record.revoked {
            throw AccountError(.keyMismatch, "key \(id.hex) (\(record.name)) was revoked at entry \(revoked): use an active key")
        }
        guard record.role.rawValue == role.rawValue else {
            throw AccountError(.keyMismatch, "key \(id.hex) (\(record.name)) has the ledger role \(record.role.rawValue), not \(role.rawValue): the account's role must be its key's role")
        }
    }

    /// Adds a user holding `signingKey`, which must be an active ledger key of `role` in `ledgerState`
    /// (the ledger's verified state) and no other user's key.
    @discardableResult
    public func addUser(name: String, role: NewsroomRole, signingKey: Ed25519PrivateKey, password: String,
                        ledgerState: LedgerState, time: Timestamp) throws(AccountError) -> Account {
        try AccountRules.checkName(name)
        try AccountRules.checkPassword(password, name: name)
        try Self.checkLedgerKey(signingKey.publicKey, role: role, in: ledgerState)
        let account = Account(name: name, role: role, keyID: signingKey.publicKey.keyID.hex, created: time.description)
        let (hash, sealed) = try protect(signingKey, password: password)
        try modify { file throws(AccountError) in
            guard file.user(named: name) == nil else {
                throw AccountError(.duplicateUser, "user \(name) already exists: choose another name, or `claimledger user remove \(name)` first")
            }
            if let other = file.users.first(where: { $0.account.keyID == account.keyID }) {
                throw AccountError(.keyMismatch, "key \(account.keyID) already belongs to user \(other.account.name): each user signs with a key of their own")
            }
            file.users.append(UserRecord(account: account, passwordHash: hash, encryptedKey: sealed, tokens: []))
        }
        return account
    }

    /// Removes a user with their tokens: their logins and tokens stop working at once.
    public func removeUser(name: String) throws(AccountError) {
        try modify { file throws(AccountError) in
            guard let i = file.users.firstIndex(where: { $0.account.name == name }) else { throw Self.unknownUser(name) }
            file.users.remove(at: i)
        }
    }

    /// Sets a new password and re-encrypts the same signing key under it. `credential` is the current
    /// password or the signing key itself (for a forgotten password). Tokens stay valid.
    public func changePassword(name: String, credential: AccountCredential, newPassword: String) throws(AccountError) {
        try AccountRules.checkPassword(newPassword, name: name)
        let key = try signingKey(of: name, credential: credential)
        let (hash, sealed) = try protect(key, password: newPassword)
        try modify { file throws(AccountError) in
            guard let i = file.users.firstIndex(where: { $0.account.name == name }) else { throw Self.unknownUser(name) }
            guard file.users[i].account.keyID == key.publicKey.keyID.hex else {
                throw AccountError(.keyMismatch, "user \(name) changed while the password was being set: try again")
            }
            file.users[i].passwordHash = hash
            file.users[i].encryptedKey = sealed
        }
    }

    /// Makes an API token for `name` (shown once: only its hash is kept), holding a copy of the user's
    /// key encrypted under the token. `credential` unlocks the key: the password or the key itself.
    public func createToken(name: String, credential: AccountCredential, label: String, time: Timestamp)
        throws(AccountError) -> (token: String, info: TokenInfo)
    {
        guard label.unicodeScalars.count <= 64, !label.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw AccountError(.invalidName, "a token label is at most 64 characters without control characters")
        }
        let key = try signingKey(of: name, credential: credential)
        let token = try APIToken.make()
        let info = TokenInfo(id: try APIToken.makeID(), label: label, created: time.description)
        let sealed: String
        do { sealed = try key.encryptedPKCS8PEM(passphrase: token, encryption: .highEntropySecret) } catch {
            throw AccountError(.storage, "cannot encrypt the key for the token (\(error.code.rawValue))")
        }
        let record = TokenRecord(info: info, sha256: SHA256.hash(Array(token.utf8)).hex, encryptedKey: sealed)
        try modify { file throws(AccountError) in
            guard let i = file.users.firstIndex(where: { $0.account.name == name }),
                  file.users[i].account.keyID == key.publicKey.keyID.hex else { throw Self.unknownUser(name) }
            file.users[i].tokens.append(record)
        }
        return (token, info)
    }

    /// Revokes the token `id` of `name` and deletes its copy of the key.
    public func revokeToken(name: String, id: String) throws(AccountError) {
        try modify { file throws(AccountError) in
            guard let i = file.users.firstIndex(where: { $0.account.name == name }) else { throw Self.unknownUser(name) }
            guard let t = file.users[i].tokens.firstIndex(where: { $0.info.id == id }) else {
                throw AccountError(.unknownToken, "user \(name) has no token \(String(id.unicodeScalars.prefix(32))): see `claimledger user list`")
            }
            file.users[i].tokens.remove(at: t)
        }
    }

    /// The user's signing key, unlocked by their password (checked against the hash first) or given.
    func signingKey(of name: String, credential: AccountCredential) throws(AccountError) -> Ed25519PrivateKey {
        guard let user = try current().user(named: name) else { throw Self.unknownUser(name) }
        switch credential {
        case .password(let password):
            guard (try? PasswordHash.verify(password: password, against: user.passwordHash)) == true else {
                throw AccountError(.badCredentials, "wrong password for \(name)")
            }
            return try Self.unlock(user, password: password).signingKey
        case .signingKey(let key):
            guard key.publicKey.keyID.hex == user.account.keyID else {
                throw AccountError(.keyMismatch, "that key (\(key.publicKey.keyID.hex.prefix(16))) is not the key of \(name) (\(user.account.keyID.prefix(16)))")
            }
            return key
        }
    }

    /// The password hash and the key encrypted under the password, at this store's cost.
    private func protect(_ key: Ed25519PrivateKey, password: String) throws(AccountError) -> (hash: String, sealed: String) {
        do {
            return (try PasswordHash.make(password: password, parameters: security.passwordHash),
                    try key.encryptedPKCS8PEM(passphrase: password, encryption: security.keyEncryption))
        } catch {
            throw AccountError(.storage, "cannot protect the key under the password (\(error.code.rawValue))")
        }
    }

    /// Read-modify-write of the file under `accounts.lock`.
    private func modify(_ change: (inout AccountsFile) throws(AccountError) -> Void) throws(AccountError) {
        let lockPath = lockPath, filePath = filePath, directory = directory
        let lock = try Self.storageCall { () throws(StoreError) in try PrivateFiles.lock(lockPath) }
        defer { lock.release() }
        var (file, _) = try readFile()
        try change(&file)
        let bytes = file.encoded()
        try Self.storageCall { () throws(StoreError) in try PrivateFiles.writeAtomically(bytes, to: filePath, directory: directory) }
        let stamp = PrivateFiles.stamp(filePath)
        state.withLock { install(file, stamp: stamp, into: &$0) }
    }
}
