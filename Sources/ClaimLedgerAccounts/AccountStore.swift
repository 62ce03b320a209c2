import ClaimLedgerStorage
import LedgerCrypto
import Synchronization

/// How new secrets are made. Stored hashes and keys describe their own parameters, so changing this
/// never locks anyone out.
public struct AccountSecurity: Sendable {
    public var passwordHash: ScryptParameters
    public var keyEncryption: KeyEncryption

    /// scrypt N = 2^15 for the password hash, N = 2^14 for the key (the most `openssl pkey` reads).
    public static let standard = AccountSecurity(passwordHash: .interactiveLogin, keyEncryption: .password)
    /// Cheap scrypt (N = 16) so that tests run fast. Never for real accounts: it makes guessing passwords cheap.
    public static let unsafeLowCostForTests = AccountSecurity(
        passwordHash: ScryptParameters(log2N: 4, r: 8, p: 1)!, keyEncryption: .scrypt(log2N: 4, r: 8, p: 1))
}

/// The newsroom's accounts: a directory BESIDE the ledger, never in it (default `<ledger>.accounts`),
/// mode 0700, holding `accounts.json` (mode 0600, see `AccountsFile`) and `accounts.lock`.
///
/// Keys at rest: each user's ledger signing key is stored as encrypted PKCS#8 PEM under the user's
/// password (scrypt, AES-256-CBC) and decrypted only at login. An API token must sign without the
/// password, so each token carries a second copy of the key encrypted under the token itself
/// (PBKDF2-SHA-256, AES-256-CBC); the file holds only the token's SHA-256. The token has 256 random
/// bits, so neither its hash nor that copy can be attacked by guessing; revoking the token deletes
/// the copy. Whoever can read the file learns no key without a password or a live token.
///
/// Thread-safe: the file is re-read whenever it was replaced (by the CLI, while a server runs), so a
/// removed user or a revoked token stops working at once. Login throttling lives in memory.
public final class AccountStore: Sendable {
    public let directory: String
    public let security: AccountSecurity
    var filePath: String { directory + "/accounts.json" }
    var lockPath: String { directory + "/accounts.lock" }

    struct State: Sendable {
        var file = AccountsFile()
        var stamp: PrivateFileStamp?
        var loaded = false
        var throttle = LoginThrottle()
        /// Token SHA-256 (hex) to (user name, token index).
        var tokenIndex: [String: (user: String, token: Int)] = [:]
        /// Keys unlocked by a token, until the file changes.
        var unlockedByToken: [String: UnlockedAccount] = [:]
    }
    let state: Mutex<State>
    static let maxCachedTokens = 4096

    private init(directory: String, security: AccountSecurity, throttle: LoginThrottle) {
        self.directory = directory
        self.security = security
        state = Mutex(State(throttle: throttle))
    }

    /// Opens the accounts in `directory`, which must exist with mode 0700 unless `create` (then it is
    /// made 0700). An existing directory without `accounts.json` holds no accounts yet.
    public static func open(directory: String, create: Bool = false, security: AccountSecurity = .standard,
                            throttle: LoginThrottle = LoginThrottle()) throws(AccountError) -> AccountStore {
        try storageCall { () throws(StoreError) in try PrivateFiles.checkDirectory(directory, create: create) }
        let store = AccountStore(directory: directory, security: security, throttle: throttle)
        _ = try store.current()
        return store
    }

    /// `<ledger>.accounts` beside the ledger directory (`ledger/` gives `ledger.accounts`).
    public static func defaultDirectory(forLedger ledger: String) -> String {
        var path = ledger
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path + ".accounts"
    }

    public func accounts() throws(AccountError) -> [Account] {
        try current().users.map(\.account)
    }

    public func account(named name: String) throws(AccountError) -> Account {
        guard let user = try current().user(named: name) else { throw Self.unknownUser(name) }
        return user.account
    }

    public func tokens(of name: String) throws(AccountError) -> [TokenInfo] {
        guard let user = try current().user(named: name) else { throw Self.unknownUser(name) }
        return user.tokens.map(\.info)
    }

    /// Password login, throttled per account name and per `client` (see `LoginThrottle`; `now` is its
    /// clock). An unknown name costs a password hash too, and fails exactly like a wrong password.
    public func login(name: String, password: String, client: String, now: Double) throws(AccountError) -> UnlockedAccount {
        let throttleName = String(decoding: name.utf8.prefix(AccountRules.maxNameLength + 1), as: UTF8.self)
        let throttleClient = String(decoding: client.utf8.prefix(256), as: UTF8.self)
        let user: UserRecord? = try state.withLock { s throws(AccountError) in
            if let wait = s.throttle.begin(account: throttleName, client: throttleClient, now: now) {
                throw AccountError(.throttled, "too many failed logins: try again in \(wait) seconds", retryAfter: wait)
            }
            return try reload(&s).user(named: name)
        }
        let hash = user?.passwordHash ?? dummyHash
        let matches = (try? PasswordHash.verify(password: password, against: hash)) ?? false
        guard let user, matches else {
            throw AccountError(.badCredentials, "wrong user name or password")
        }
        let unlocked = try Self.unlock(user, password: password)
        state.withLock { $0.throttle.succeeded(account: throttleName, client: throttleClient) }
        return unlocked
    }

    /// An API bearer token (`clt_` and the base64url of 32 random bytes): looked up by its SHA-256, then
    /// its copy of the signing key is decrypted with it (cached until the accounts file changes).
    public func authenticate(bearerToken: String) throws(AccountError) -> UnlockedAccount {
        guard APIToken.isWellFormed(bearerToken) else {
            throw AccountError(.unknownToken, "the bearer token is malformed: expected clt_ and 43 base64url characters")
        }
        let digest = SHA256.hash(Array(bearerToken.utf8)).hex
        let found: (UnlockedAccount?, UserRecord, TokenRecord, PrivateFileStamp?)? = try state.withLock { s throws(AccountError) in
            let file = try reload(&s)
            guard let (name, index) = s.tokenIndex[digest], let user = file.user(named: name) else { return nil }
            return (s.unlockedByToken[digest], user, user.tokens[index], s.stamp)
        }
        guard let (cached, user, token, stamp) = found else {
            throw AccountError(.unknownToken, "unknown or revoked API token: make one with `claimledger user token NAME`")
        }
        if let cached { return cached }
        let key: Ed25519PrivateKey
        do { key = try Ed25519PrivateKey(encryptedPEM: token.encryptedKey, passphrase: bearerToken) } catch {
            throw AccountError(.storage, "the key copy of token \(token.info.id) of \(user.account.name) does not decrypt (\(error.code.rawValue)): revoke the token and make a new one")
        }
        guard key.publicKey.keyID.hex == user.account.keyID else {
            throw AccountError(.storage, "token \(token.info.id) of \(user.account.name) holds another key than the account's: revoke it")
        }
        let unlocked = UnlockedAccount(account: user.account, signingKey: key)
        state.withLock { s in
            guard s.stamp == stamp else { return }
            if s.unlockedByToken.count >= Self.maxCachedTokens { s.unlockedByToken.removeAll() }
            s.unlockedByToken[digest] = unlocked
        }
        return unlocked
    }

    // MARK: - Reading the file

    /// The accounts as the file holds them now.
    func current() throws(AccountError) -> AccountsFile {
        try state.withLock { s throws(AccountError) in try reload(&s) }
    }

    /// Re-reads the file if it was replaced since the last read (or never read).
    private func reload(_ s: inout State) throws(AccountError) -> AccountsFile {
        let stamp = PrivateFiles.stamp(filePath)
        if s.loaded, stamp == s.stamp { return s.file }
        let (file, readStamp) = try readFile()
        install(file, stamp: readStamp, into: &s)
        return file
    }

    func install(_ file: AccountsFile, stamp: PrivateFileStamp?, into s: inout State) {
        s.file = file
        s.stamp = stamp
        s.loaded = true
        s.unlockedByToken = [:]
        s.tokenIndex = [:]
        for user in file.users {
            for (i, token) in user.tokens.enumerated() { s.tokenIndex[token.sha256] = (user.account.name, i) }
        }
    }

    func readFile() throws(AccountError) -> (AccountsFile, PrivateFileStamp?) {
        let path = filePath
        let read = try Self.storageCall { () throws(StoreError) in try PrivateFiles.read(path, limit: AccountsFile.maxBytes) }
        guard let (bytes, stamp) = read else { return (AccountsFile(), nil) }
        return (try AccountsFile.decode(bytes, path: path), stamp)
    }

    /// A well-formed hash no password matches, with this store's cost: an unknown name takes as long as a known one.
    private var dummyHash: String {
        let p = security.passwordHash
        return "$scrypt$ln=\(p.log2N),r=\(p.r),p=\(p.p)$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    }

    static func unlock(_ user: UserRecord, password: String) throws(AccountError) -> UnlockedAccount {
        let key: Ed25519PrivateKey
        do { key = try Ed25519PrivateKey(encryptedPEM: user.encryptedKey, passphrase: password) } catch {
            throw AccountError(.storage, "the signing key of \(user.account.name) does not decrypt with the password that matches its hash (\(error.code.rawValue)): the accounts file is damaged; remove and add the user again")
        }
        guard key.publicKey.keyID.hex == user.account.keyID else {
            throw AccountError(.storage, "the stored key of \(user.account.name) is not key \(user.account.keyID.prefix(16)): remove and add the user again")
        }
        return UnlockedAccount(account: user.account, signingKey: key)
    }

    static func unknownUser(_ name: String) -> AccountError {
        AccountError(.unknownUser, "no user named \"\(String(name.unicodeScalars.prefix(64)))\": see `claimledger user list`")
    }

    static func storageCall<R>(_ body: () throws(StoreError) -> R) throws(AccountError) -> R {
        do { return try body() } catch {
            throw AccountError(error.code == .keyPermissions ? .permissions : .storage, error.reason)
        }
    }
}
