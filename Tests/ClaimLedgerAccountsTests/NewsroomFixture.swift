import ClaimLedgerAccounts
import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import LedgerCrypto
import Testing

/// A ledger in a temporary directory with a root key, two journalist keys, an editor key and a revoked
/// journalist key (all generated now), and an accounts store beside it at low cost.
final class NewsroomFixture {
    let dir: String
    var ledger: String { dir + "/ledger" }
    var accounts: String { dir + "/ledger.accounts" }
    let root: Ed25519PrivateKey
    let journalist: Ed25519PrivateKey
    let journalist2: Ed25519PrivateKey
    let editor: Ed25519PrivateKey
    let revoked: Ed25519PrivateKey
    let unknown: Ed25519PrivateKey
    let state: LedgerState
    static let time = Timestamp(secondsSinceEpoch: 1_780_000_000)

    init() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/claimledger-accounts-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        dir = String(cString: made)
        root = try .generate(); journalist = try .generate(); journalist2 = try .generate()
        editor = try .generate(); revoked = try .generate(); unknown = try .generate()
        let store = try LedgerStore.create(
            dir + "/ledger", genesis: GenesisPayload(origin: "test.example/claims", keys: [NamedKey(name: "root", publicKey: root.publicKey)]),
            rootKey: root, time: Self.time)
        let adds: [Draft] = [
            .payload(.key(.add(NamedKey(name: "desk", publicKey: journalist.publicKey), role: .journalist))),
            .payload(.key(.add(NamedKey(name: "desk2", publicKey: journalist2.publicKey), role: .journalist))),
            .payload(.key(.add(NamedKey(name: "editor", publicKey: editor.publicKey), role: .editor))),
            .payload(.key(.add(NamedKey(name: "gone", publicKey: revoked.publicKey), role: .journalist))),
        ]
        _ = try store.append(adds, key: root, time: Self.time)
        let (_, after) = try store.append([.payload(.key(.revoke(keyID: revoked.publicKey.keyID, reason: "left")))],
                                          key: root, time: Self.time)
        state = after
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func openStore(create: Bool = true, throttle: LoginThrottle = LoginThrottle()) throws -> AccountStore {
        try AccountStore.open(directory: accounts, create: create, security: .unsafeLowCostForTests, throttle: throttle)
    }

    /// A store with `alice` (journalist, `journalist` key) and `bob` (editor), passwords below.
    func storeWithUsers() throws -> AccountStore {
        let store = try openStore()
        try store.addUser(name: "alice", role: .journalist, signingKey: journalist, password: Self.alicePassword, ledgerState: state, time: Self.time)
        try store.addUser(name: "bob", role: .editor, signingKey: editor, password: Self.bobPassword, ledgerState: state, time: Self.time)
        return store
    }

    static let alicePassword = "correct horse battery"
    static let bobPassword = "editor's long secret"

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    static func chmod(_ path: String, _ mode: Int) throws {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }
}

/// The code of the `AccountError` that `body` throws, or nil if it succeeds.
func accountErrorCode(_ body: () throws -> Void) -> AccountError.Code? {
    do { try body() } catch let e as AccountError { return e.code } catch { Issue.record("not an AccountError: \(error)") }
    return nil
}
