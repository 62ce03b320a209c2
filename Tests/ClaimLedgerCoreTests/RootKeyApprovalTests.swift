import ClaimLedgerCore
import LedgerCrypto
import Testing

/// FORMAT.md 7.3: with two or more active root keys, adding or revoking a root key waits for a second,
/// different root key's approval. Offending entries are signed properly (a hostile writer) and must be
/// caught by the rules with their seq and code.
@Suite struct RootKeyApprovalTests {
    /// The fixture ledger (one root) with a second root key added at entry 5 (one root: at once).
    static func twoRoots() throws -> (LedgerFixture, second: Ed25519PrivateKey) {
        var f = try LedgerFixture()
        let second = try TestKeys.key(4)
        try f.append([.key(.add(NamedKey(name: "root-2", publicKey: second.publicKey), role: .root))], key: f.root, minutes: 5)
        #expect(f.state.activeRootCount == 2)
        #expect(f.state.keys[second.publicKey.keyID]?.added == 5)
        return (f, second)
    }

    static func addRoot(_ key: Ed25519PrivateKey, name: String) -> Payload {
        .key(.add(NamedKey(name: name, publicKey: key.publicKey), role: .root))
    }

    @Test func aSingleRootKeyStillAddsRootKeysAtOnce() throws {
        let (f, _) = try Self.twoRoots()
        #expect(f.state.pendingKeyChanges.isEmpty)
    }

    @Test func withTwoRootsAnAddedRootKeyWaitsForASecondRootKey() throws {
        var (f, second) = try Self.twoRoots()
        let third = try TestKeys.key(5)
        try f.append([Self.addRoot(third, name: "root-3")], key: f.root, minutes: 6)
        let proposal = try #require(f.entries.last)
        #expect(f.state.keys[third.publicKey.keyID] == nil)
        #expect(f.state.pendingKeyChanges[proposal.hash]?.proposal.seq == 6)
        // Until approved, the proposed key is not a key of the ledger.
        let early = try f.next(.source(f.sourcePayload(Array("x".utf8))), key: third)
        expectRefused(early, by: f.state, archive: f.archive, code: .unknownSigner, seq: 7)
        // The proposer cannot approve its own proposal.
        let selfApproved = try f.next(.key(.approve(entry: proposal.hash)), key: f.root)
        expectRefused(selfApproved, by: f.state, archive: f.archive, code: .selfApproval, seq: 7)
        // A second root key approves: the key takes effect at the approval's position.
        try f.append([.key(.approve(entry: proposal.hash))], key: second, minutes: 7)
        #expect(f.state.keys[third.publicKey.keyID]?.added == 7)
        #expect(f.state.pendingKeyChanges.isEmpty)
        // A proposal is approved once.
        let again = try f.next(.key(.approve(entry: proposal.hash)), key: third)
        expectRefused(again, by: f.state, archive: f.archive, code: .unknownProposal, seq: 8)
    }

    @Test func approvingAnythingButAPendingProposalIsRefused() throws {
        let (f, second) = try Self.twoRoots()
        let notPending = try f.next(.key(.approve(entry: f.entries[1].hash)), key: second)
        expectRefused(notPending, by: f.state, archive: f.archive, code: .unknownProposal, seq: 6)
        let byJournalist = try f.next(.key(.approve(entry: f.entries[1].hash)), key: f.journalist)
        expectRefused(byJournalist, by: f.state, archive: f.archive, code: .unauthorizedSigner, seq: 6)
    }

    @Test func oneStolenRootOfThreeCanNeitherRevokeNorAddRootsAlone() throws {
        var (f, second) = try Self.twoRoots()
        let third = try TestKeys.key(5), thief = try TestKeys.key(6)
        try f.append([Self.addRoot(third, name: "root-3")], key: f.root, minutes: 6)
        try f.append([.key(.approve(entry: f.entries[6].hash))], key: second, minutes: 7)
        // The thief holds `root`: it proposes revoking both other roots and adding its own.
        try f.append([.key(.revoke(keyID: second.publicKey.keyID, reason: nil))], key: f.root, minutes: 8)
        try f.append([.key(.revoke(keyID: third.publicKey.keyID, reason: nil))], key: f.root, minutes: 8)
        try f.append([Self.addRoot(thief, name: "thief")], key: f.root, minutes: 8)
        #expect(f.state.activeRootCount == 3 && f.state.pendingKeyChanges.count == 3)
        #expect(f.state.keys[thief.publicKey.keyID] == nil)
        // The other two revoke the stolen key: one proposes, the other approves.
        try f.append([.key(.revoke(keyID: f.root.publicKey.keyID, reason: "stolen"))], key: second, minutes: 9)
        let proposal = try #require(f.entries.last)
        try f.append([.key(.approve(entry: proposal.hash))], key: third, minutes: 10)
        #expect(f.state.keys[f.root.publicKey.keyID]?.revoked == 12)
        // The thief's proposals lapsed with its key.
        #expect(f.state.pendingKeyChanges.isEmpty)
        let late = try f.next(.key(.approve(entry: f.entries[10].hash)), key: second)
        expectRefused(late, by: f.state, archive: f.archive, code: .unknownProposal, seq: 13)
    }

    @Test func journalistKeysStaySingleSigner() throws {
        var (f, _) = try Self.twoRoots()
        let desk = try TestKeys.key(7)
        try f.append([.key(.add(NamedKey(name: "desk-2", publicKey: desk.publicKey), role: .journalist))], key: f.root, minutes: 6)
        try f.append([.key(.revoke(keyID: f.journalist.publicKey.keyID, reason: nil))], key: f.root, minutes: 6)
        #expect(f.state.keys[desk.publicKey.keyID]?.added == 6)
        #expect(f.state.keys[f.journalist.publicKey.keyID]?.revoked == 7)
        #expect(f.state.pendingKeyChanges.isEmpty)
    }

    @Test func theLastRootKeyCannotBeRevoked() throws {
        let f = try LedgerFixture()
        let selfRevoke = try f.next(.key(.revoke(keyID: f.root.publicKey.keyID, reason: nil)), key: f.root)
        expectRefused(selfRevoke, by: f.state, archive: f.archive, code: .invalidEntry, seq: 5)
    }

    @Test func pendingChangesSurviveASnapshot() throws {
        var (f, second) = try Self.twoRoots()
        try f.append([Self.addRoot(try TestKeys.key(5), name: "root-3")], key: f.root, minutes: 6)
        var restored = try LedgerState(snapshot: f.state.snapshot())
        #expect(restored.pendingKeyChanges == f.state.pendingKeyChanges)
        #expect(restored.genesisHash == f.entries[0].hash)
        let approval = try f.next(.key(.approve(entry: f.entries[6].hash)), key: second)
        try restored.apply(approval, archive: f.archive)
        #expect(restored.activeRootCount == 3)
    }

    @Test func keyPayloadsRoundTripTheApproveAction() throws {
        let f = try LedgerFixture()
        let payload = Payload.key(.approve(entry: f.entries[0].hash))
        #expect(try Payload(type: .key, json: payload.json) == payload)
    }
}
