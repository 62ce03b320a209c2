import ClaimLedgerAccounts
import Foundation
import LedgerCrypto
import Testing

@Suite struct TokenTests {
    @Test func tokenUnlocksTheKeyWithoutThePassword() throws {
        let f = try NewsroomFixture()
        let store = try f.storeWithUsers()
        let (token, info) = try store.createToken(name: "alice", credential: .password(NewsroomFixture.alicePassword), label: "laptop script", time: NewsroomFixture.time)
        #expect(token.hasPrefix("clt_") && token.utf8.count == 47)
        #expect(info.label == "laptop script" && info.id.utf8.count == 16)
        #expect(try store.tokens(of: "alice") == [info])
        // A server that opened the store before the token was made sees it.
        let server = try f.openStore(create: false)
        let unlocked = try server.authenticate(bearerToken: token)
        #expect(unlocked.account.name == "alice" && unlocked.account.role == .journalist)
        #expect(unlocked.signingKey.publicKey == f.journalist.publicKey)
        #expect(try server.authenticate(bearerToken: token).signingKey.publicKey == f.journalist.publicKey) // cached
        // It survives a password change: it holds its own copy of the key.
        try store.changePassword(name: "alice", credential: .password(NewsroomFixture.alicePassword), newPassword: "a different password")
        #expect(try server.authenticate(bearerToken: token).account.name == "alice")
    }

    @Test func badTokensAreRefused() throws {
        let f = try NewsroomFixture()
        let store = try f.storeWithUsers()
        let (token, _) = try store.createToken(name: "bob", credential: .signingKey(f.editor), label: "", time: NewsroomFixture.time)
        var flipped = Array(token.utf8)
        flipped[10] = flipped[10] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        for bad in ["", "clt_", String(token.dropLast()), token + "A", "xyz_" + token.dropFirst(4), String(decoding: flipped, as: UTF8.self),
                    "clt_" + String(repeating: "!", count: 43), token.uppercased()] {
            #expect(accountErrorCode { _ = try store.authenticate(bearerToken: bad) } == .unknownToken, "\(bad)")
        }
        #expect(try store.authenticate(bearerToken: token).account.name == "bob")
        // Making a token needs the user's password or key.
        #expect(accountErrorCode { _ = try store.createToken(name: "bob", credential: .password("not bob's password"), label: "", time: NewsroomFixture.time) } == .badCredentials)
        #expect(accountErrorCode { _ = try store.createToken(name: "bob", credential: .signingKey(f.journalist), label: "", time: NewsroomFixture.time) } == .keyMismatch)
        #expect(accountErrorCode { _ = try store.createToken(name: "bob", credential: .signingKey(f.editor), label: "bad\nlabel", time: NewsroomFixture.time) } == .invalidName)
    }

    @Test func revokedTokenStopsAtOnce() throws {
        let f = try NewsroomFixture()
        let store = try f.storeWithUsers()
        let server = try f.openStore(create: false)
        let (first, firstInfo) = try store.createToken(name: "alice", credential: .signingKey(f.journalist), label: "one", time: NewsroomFixture.time)
        let (second, _) = try store.createToken(name: "alice", credential: .signingKey(f.journalist), label: "two", time: NewsroomFixture.time)
        #expect(first != second)
        _ = try server.authenticate(bearerToken: first)
        try store.revokeToken(name: "alice", id: firstInfo.id)
        #expect(accountErrorCode { _ = try server.authenticate(bearerToken: first) } == .unknownToken)
        #expect(try server.authenticate(bearerToken: second).account.name == "alice")
        #expect(try store.tokens(of: "alice").map(\.label) == ["two"])
        #expect(accountErrorCode { try store.revokeToken(name: "alice", id: firstInfo.id) } == .unknownToken)
        #expect(accountErrorCode { try store.revokeToken(name: "bob", id: firstInfo.id) } == .unknownToken)
    }

    @Test func manyThreadsAuthenticateAndLogInAtOnce() async throws {
        let f = try NewsroomFixture()
        let store = try f.storeWithUsers()
        let (token, _) = try store.createToken(name: "bob", credential: .signingKey(f.editor), label: "", time: NewsroomFixture.time)
        let editorKey = f.editor.publicKey, journalistKey = f.journalist.publicKey
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<32 {
                group.addTask {
                    if i % 4 == 0 {
                        let a = try store.login(name: "alice", password: NewsroomFixture.alicePassword, client: "c\(i)", now: 0)
                        #expect(a.signingKey.publicKey == journalistKey)
                    } else {
                        #expect(try store.authenticate(bearerToken: token).signingKey.publicKey == editorKey)
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
