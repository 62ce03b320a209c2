import ClaimLedgerAccounts
import LedgerCrypto

/// Accounts for the tests, made through the accounts module's API.
enum NewsroomAccounts {
    static func make(directory: String, ledger: String) throws -> AccountStore {
        try AccountStore.open(directory: directory)
    }

    /// Adds user `name` with `key` and `password`; returns an API token for it.
    static func add(_ store: AccountStore, name: String, role: NewsroomRole, key: Ed25519PrivateKey, password: String,
                    ledger: String, dir: String) throws -> String {
        let token = "clt_" + name + "-token-for-tests-only-000000000000"
        store.stubAdd(Account(name: name, role: role, keyID: key.publicKey.keyID.hex, created: "2026-01-06T09:00:00Z"),
                      password: password, key: key, token: token)
        return token
    }
}
