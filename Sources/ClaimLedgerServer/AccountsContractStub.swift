// TEMPORARY: the types of app-contract.md section 1 that the server needs, until branch `accounts`
// lands. DELETE THIS FILE when merging `accounts`: the same names then come from ClaimLedgerAccounts
// (a leftover stub would not compile against AccountStore.login's result, so it cannot linger unseen).
import LedgerCrypto

public enum NewsroomRole: String, Sendable, CaseIterable { case journalist, editor }

public struct Account: Sendable, Equatable {
    public let name: String
    public let role: NewsroomRole
    public let keyID: String
    public let created: String
}

public struct UnlockedAccount: Sendable {
    public let account: Account
    public let signingKey: Ed25519PrivateKey
}
