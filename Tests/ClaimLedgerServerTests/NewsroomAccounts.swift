import ClaimLedgerAccounts
import ClaimLedgerCore
import ClaimLedgerStorage
import LedgerCrypto

/// Accounts for the tests, made through the accounts module's API (cheap scrypt: tests only).
enum NewsroomAccounts {
    static func make(directory: String, ledger: String) throws -> AccountStore {
        try AccountStore.open(directory: directory, create: true, security: .unsafeLowCostForTests)
    }

    /// Adds user `name` with `key` and `password`; returns an API token for it.
    static func add(_ store: AccountStore, name: String, role: NewsroomRole, key: Ed25519PrivateKey, password: String,
                    ledger: String, dir: String) throws -> String {
        let state = try LedgerStore.open(ledger).verifiedState()
        let time = Timestamp(rfc3339: "2026-01-06T09:00:00Z")!
        try store.addUser(name: name, role: role, signingKey: key, password: password, ledgerState: state, time: time)
        return try store.createToken(name: name, credential: .signingKey(key), label: "tests", time: time).token
    }
}
