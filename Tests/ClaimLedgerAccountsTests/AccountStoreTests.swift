import ClaimLedgerAccounts
import ClaimLedgerCore
import Foundation
import LedgerCrypto
import Testing

@Suite struct AccountStoreTests {
    @Test func loginUnlocksTheUsersKey() throws {
        let f = try NewsroomFixture()
        let store = try f.storeWithUsers()
        let alice = try store.login(name: "alice", password: NewsroomFixture.alicePassword, client: "10.0.0.1", now: 0)
        #expect(alice.account == Account(name: "alice", role: .journalist, keyID: f.journalist.publicKey.keyID.hex, created: "2026-05-28T20:26:40Z"))
        #expect(alice.signingKey.publicKey == f.journalist.publicKey)
        let bob = try store.login(name: "bob", password: NewsroomFixture.bobPassword, client: "10.0.0.1", now: 0)
        #expect(bob.account.role == .editor)
        #expect(try store.accounts().map(\.name) == ["alice", "bob"])
    }

    @Test func wrongPasswordAndUnknownUserFailAlike() throws {
        let f = try NewsroomFixture()
        let store = try f.storeWithUsers()
        var messages: [String] = []
        for (name, password) in [("alice", "correct horse batterY"), ("alice", NewsroomFixture.bobPassword), ("carol", "whatever password"), ("", "x"), ("ALICE", NewsroomFixture.alicePassword)] {
            do {
                _ = try store.login(name: name, password: password, client: "c", now: 0)
                Issue.record("\(name) logged in with a wrong password")
            } catch {
                #expect(error.code == .badCredentials)
                messages.append(error.message)
            }
        }
        #expect(Set(messages).count == 1)
    }

    @Test func rolesMustMatchActiveLedgerKeys() throws {
        let f = try NewsroomFixture()
        let store = try f.openStore()
        func add(_ name: String, _ role: NewsroomRole, _ key: Ed25519PrivateKey) -> AccountError.Code? {
            accountErrorCode { try store.addUser(name: name, role: role, signingKey: key, password: "a long enough password", ledgerState: f.state, time: NewsroomFixture.time) }
        }
        #expect(add("alice", .editor, f.journalist) == .keyMismatch)
        #expect(add("bob", .journalist, f.editor) == .keyMismatch)
        #expect(add("root", .editor, f.root) == .keyMismatch)
        #expect(add("gone", .journalist, f.revoked) == .keyMismatch)
        #expect(add("stranger", .journalist, f.unknown) == .keyMismatch)
        #expect(try store.accounts().isEmpty)
        #expect(add("alice", .journalist, f.journalist) == nil)
        #expect(add("alice", .journalist, f.journalist2) == .duplicateUser)
        #expect(add("alias", .journalist, f.journalist) == .keyMismatch) // one key, one user
        #expect(add("desk2", .journalist, f.journalist2) == nil)
    }

    @Test func namesAndPasswordsFollowTheRules() throws {
        let f = try NewsroomFixture()
        let store = try f.openStore()
        func add(_ name: String, _ password: String) -> AccountError.Code? {
            accountErrorCode { try store.addUser(name: name, role: .journalist, signingKey: f.journalist, password: password, ledgerState: f.state, time: NewsroomFixture.time) }
        }
        for bad in ["", "Alice", "al ice", "../x", ".hidden", "-dash", "é", String(repeating: "a", count: 65), "a/b"] {
            #expect(add(bad, "a long enough password") == .invalidName, "\(bad)")
        }
        #expect(add("alice", "short pass") == .weakPassword)
        #expect(add("alice", "elevenchars") == .weakPassword)
        #expect(add("alice", "my name is Alice, ok?") == .weakPassword)
        #expect(add("alice", String(repeating: "p", count: 1025)) == .weakPassword)
        #expect(add("a.b_c-1", "twelve chars") == nil)
    }

    @Test func passwdKeepsTheKey() throws {
        let f = try NewsroomFixture()
        let store = try f.storeWithUsers()
        #expect(accountErrorCode { try store.changePassword(name: "alice", credential: .password("not the password"), newPassword: "a brand new password") } == .badCredentials)
        #expect(accountErrorCode { try store.changePassword(name: "alice", credential: .password(NewsroomFixture.alicePassword), newPassword: "short") } == .weakPassword)
        try store.changePassword(name: "alice", credential: .password(NewsroomFixture.alicePassword), newPassword: "a brand new password")
        #expect(accountErrorCode { _ = try store.login(name: "alice", password: NewsroomFixture.alicePassword, client: "c", now: 0) } == .badCredentials)
        let unlocked = try store.login(name: "alice", password: "a brand new password", client: "c", now: 0)
        #expect(unlocked.signingKey.publicKey == f.journalist.publicKey)
        // A forgotten password is reset with the key itself, and only with the user's own key.
        #expect(accountErrorCode { try store.changePassword(name: "alice", credential: .signingKey(f.editor), newPassword: "third password here") } == .keyMismatch)
        try store.changePassword(name: "alice", credential: .signingKey(f.journalist), newPassword: "third password here")
        #expect(try store.login(name: "alice", password: "third password here", client: "c", now: 0).signingKey.publicKey == f.journalist.publicKey)
        #expect(accountErrorCode { try store.changePassword(name: "nobody", credential: .signingKey(f.journalist), newPassword: "third password here") } == .unknownUser)
    }

    @Test func removedUserCannotLogInNorUseTokens() throws {
        let f = try NewsroomFixture()
        let store = try f.storeWithUsers()
        let (token, _) = try store.createToken(name: "alice", credential: .password(NewsroomFixture.alicePassword), label: "ci", time: NewsroomFixture.time)
        _ = try store.authenticate(bearerToken: token)
        // Another process (the CLI) removes her while this store (a server) keeps running.
        try f.openStore(create: false).removeUser(name: "alice")
        #expect(accountErrorCode { _ = try store.login(name: "alice", password: NewsroomFixture.alicePassword, client: "c", now: 0) } == .badCredentials)
        #expect(accountErrorCode { _ = try store.authenticate(bearerToken: token) } == .unknownToken)
        #expect(try store.accounts().map(\.name) == ["bob"])
        #expect(accountErrorCode { try store.removeUser(name: "alice") } == .unknownUser)
    }

    @Test func filesArePrivateAndOthersAreRefused() throws {
        let f = try NewsroomFixture()
        _ = try f.storeWithUsers()
        #expect(try NewsroomFixture.mode(f.accounts) == 0o700)
        #expect(try NewsroomFixture.mode(f.accounts + "/accounts.json") == 0o600)
        try NewsroomFixture.chmod(f.accounts + "/accounts.json", 0o640)
        #expect(accountErrorCode { _ = try f.openStore(create: false) } == .permissions)
        try NewsroomFixture.chmod(f.accounts + "/accounts.json", 0o600)
        _ = try f.openStore(create: false)
        try NewsroomFixture.chmod(f.accounts, 0o755)
        #expect(accountErrorCode { _ = try f.openStore(create: false) } == .permissions)
        try NewsroomFixture.chmod(f.accounts, 0o700)
        #expect(accountErrorCode { _ = try AccountStore.open(directory: f.dir + "/missing") } == .storage)
    }

    @Test func theFileHoldsNoSecretInTheClear() throws {
        let f = try NewsroomFixture()
        let store = try f.storeWithUsers()
        let (token, _) = try store.createToken(name: "bob", credential: .signingKey(f.editor), label: "bot", time: NewsroomFixture.time)
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: f.accounts + "/accounts.json")), as: UTF8.self)
        #expect(!text.contains(NewsroomFixture.alicePassword))
        #expect(!text.contains(NewsroomFixture.bobPassword))
        #expect(!text.contains(token))
        #expect(!text.contains(String(token.dropFirst(4))))
        #expect(!text.contains("BEGIN PRIVATE KEY"))
        for key in [f.journalist, f.editor] { #expect(!text.contains(try key.pkcs8PEM().split(separator: "\n")[1])) }
        #expect(text.contains("\"passwordHash\":\"$scrypt$ln=4,r=8,p=1$"))
        #expect(text.contains("BEGIN ENCRYPTED PRIVATE KEY"))
        #expect(text.contains("\"version\":1"))
    }

    @Test func damagedFileIsRefused() throws {
        let f = try NewsroomFixture()
        _ = try f.storeWithUsers()
        let path = f.accounts + "/accounts.json"
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        for damaged in ["{}", "not json", #"{"format":"claimledger-accounts","version":2,"users":[]}"#,
                        String(decoding: original, as: UTF8.self).replacingOccurrences(of: "\"role\":\"editor\"", with: "\"role\":\"root\"")] {
            try Data(damaged.utf8).write(to: URL(fileURLWithPath: path))
            #expect(accountErrorCode { _ = try f.openStore(create: false) } == .storage, "\(damaged.prefix(40))")
        }
    }

    @Test func defaultDirectoryIsBesideTheLedger() {
        #expect(AccountStore.defaultDirectory(forLedger: "ledger") == "ledger.accounts")
        #expect(AccountStore.defaultDirectory(forLedger: "/srv/news/ledger/") == "/srv/news/ledger.accounts")
    }

    @Test func throttlingStopsGuessingAndSaysWhenToRetry() throws {
        let f = try NewsroomFixture()
        let store = try f.storeWithUsers()
        for i in 0..<5 {
            #expect(accountErrorCode { _ = try store.login(name: "alice", password: "guess number \(i)", client: "203.0.113.9", now: 100) } == .badCredentials)
        }
        do {
            _ = try store.login(name: "alice", password: NewsroomFixture.alicePassword, client: "203.0.113.9", now: 100.5)
            Issue.record("a throttled login succeeded")
        } catch {
            #expect(error.code == .throttled)
            #expect(error.retryAfter == 1)
        }
        // The same account from another client is throttled too (the limit is per account and per client).
        #expect(accountErrorCode { _ = try store.login(name: "alice", password: NewsroomFixture.alicePassword, client: "198.51.100.7", now: 100.5) } == .throttled)
        // Another account from the first client is not (5 failures are under the per-client limit).
        _ = try store.login(name: "bob", password: NewsroomFixture.bobPassword, client: "203.0.113.9", now: 100.5)
        // Once the wait is over, the right password works and clears the count.
        _ = try store.login(name: "alice", password: NewsroomFixture.alicePassword, client: "203.0.113.9", now: 101)
        #expect(accountErrorCode { _ = try store.login(name: "alice", password: "wrong again", client: "203.0.113.9", now: 101) } == .badCredentials)
        _ = try store.login(name: "alice", password: NewsroomFixture.alicePassword, client: "203.0.113.9", now: 101)
    }
}
