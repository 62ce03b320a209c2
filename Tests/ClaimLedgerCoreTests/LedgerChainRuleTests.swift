import CanonicalJSON
import ClaimLedgerCore
import LedgerCrypto
import Testing

/// The chain and authority rules of `LedgerState.apply` (FORMAT.md "Verification"): each offending
/// entry is refused with its code, attributed to the seq it was offered at, and leaves the state as it was.
@Suite struct LedgerChainRuleTests {
    let f: LedgerFixture
    var anotherStatus: Payload { .status(f.statusPayload(.refuted)) }

    init() throws { f = try LedgerFixture() }

    @Test func fixtureChainVerifiesLineByLine() {
        var verifier = LedgerVerifier(archive: f.archive)
        for e in f.entries { verifier.verify(line: e.line) }
        let report = verifier.finish()
        #expect(report.ok)
        #expect(report.entries == 5)
        #expect(report.head == f.entries[4].hash)
        #expect(f.state.claims[LedgerFixture.claimID]?.status == .disputed)
    }

    @Test func theValidNextEntryIsAccepted() throws {
        let next = expectAccepted(try f.next(anotherStatus, key: f.journalist), by: f.state, archive: f.archive)
        #expect(next.claims[LedgerFixture.claimID]?.status == .refuted)
    }

    @Test func seqGapIsRefused() throws {
        expectRefused(try f.next(anotherStatus, key: f.journalist, seq: 6), by: f.state, archive: f.archive, code: .seqMismatch, seq: 5)
    }

    @Test func repeatedSeqIsRefused() throws {
        expectRefused(try f.next(anotherStatus, key: f.journalist, seq: 4), by: f.state, archive: f.archive, code: .seqMismatch, seq: 5)
    }

    @Test func wrongPrevIsRefused() throws {
        expectRefused(try f.next(anotherStatus, key: f.journalist, prev: f.entries[3].hash), by: f.state, archive: f.archive,
                      code: .prevMismatch, seq: 5)
    }

    @Test func timeGoingBackwardsIsRefusedButEqualTimeIsNot() throws {
        let last = try #require(f.state.lastTime)
        let earlier = Timestamp(secondsSinceEpoch: last.secondsSinceEpoch - 1)
        expectRefused(try f.next(anotherStatus, key: f.journalist, time: earlier), by: f.state, archive: f.archive,
                      code: .timeBackwards, seq: 5)
        _ = expectAccepted(try f.next(anotherStatus, key: f.journalist, time: last), by: f.state, archive: f.archive)
    }

    @Test func appenderNeverWritesTimeBackwards() throws {
        let last = try #require(f.state.lastTime)
        let slowClock = Timestamp(secondsSinceEpoch: last.secondsSinceEpoch - 3600)
        let (entries, _) = try EntryAppender.append([anotherStatus], to: f.state, key: f.journalist, time: slowClock, archive: f.archive)
        #expect(entries.first?.entry.time == last)
    }

    @Test func genesisAfterEntryZeroIsRefused() throws {
        let genesis = Payload.genesis(GenesisPayload(origin: "test.example/claims", keys: [NamedKey(name: "root", publicKey: f.root.publicKey)]))
        expectRefused(try f.next(genesis, key: f.root), by: f.state, archive: f.archive, code: .invalidEntry, seq: 5)
    }

    @Test func entryZeroThatIsNotGenesisIsRefused() throws {
        let entry = Entry(seq: 0, prev: .zero, time: LedgerFixture.start, signer: f.root.publicKey.keyID,
                          payload: .source(f.sourcePayload(Array(LedgerFixture.sourceText.utf8))))
        expectRefused(try SignedEntry.sign(entry, with: f.root), by: LedgerState(), archive: f.archive, code: .invalidEntry, seq: 0)
    }

    @Test func genesisSignedByAKeyItDoesNotNameIsRefused() throws {
        let genesis = GenesisPayload(origin: "test.example/claims", keys: [NamedKey(name: "root", publicKey: f.root.publicKey)])
        let entry = Entry(seq: 0, prev: .zero, time: LedgerFixture.start, signer: f.outsider.publicKey.keyID, payload: .genesis(genesis))
        expectRefused(try SignedEntry.sign(entry, with: f.outsider), by: LedgerState(), archive: f.archive, code: .unknownSigner, seq: 0)
    }

    @Test func genesisNamingAKeyTwiceIsRefused() throws {
        let named = NamedKey(name: "root", publicKey: f.root.publicKey)
        let entry = Entry(seq: 0, prev: .zero, time: LedgerFixture.start, signer: f.root.publicKey.keyID,
                          payload: .genesis(GenesisPayload(origin: "test.example/claims", keys: [named, named])))
        expectRefused(try SignedEntry.sign(entry, with: f.root), by: LedgerState(), archive: f.archive, code: .duplicateID, seq: 0)
    }

    @Test func unknownSignerIsRefused() throws {
        expectRefused(try f.next(anotherStatus, key: f.outsider), by: f.state, archive: f.archive, code: .unknownSigner, seq: 5)
    }

    @Test func journalistSigningAKeyEntryIsUnauthorized() throws {
        let add = Payload.key(.add(NamedKey(name: "intern", publicKey: f.outsider.publicKey), role: .journalist))
        expectRefused(try f.next(add, key: f.journalist), by: f.state, archive: f.archive, code: .unauthorizedSigner, seq: 5)
        _ = expectAccepted(try f.next(add, key: f.root), by: f.state, archive: f.archive)
    }

    @Test func revokedKeySignsValidlyBeforeItsRevocationOnly() throws {
        // Before the revocation the journalist's entry is accepted.
        _ = expectAccepted(try f.next(anotherStatus, key: f.journalist), by: f.state, archive: f.archive)
        var revoked = f
        try revoked.append([.key(.revoke(keyID: f.journalist.publicKey.keyID, reason: "left the newsroom"))], key: f.root, minutes: 10)
        #expect(revoked.state.keys[f.journalist.publicKey.keyID]?.revoked == 5)
        expectRefused(try revoked.next(anotherStatus, key: f.journalist), by: revoked.state, archive: f.archive,
                      code: .revokedSigner, seq: 6)
        // Entries the key signed before its revocation still verify.
        var verifier = LedgerVerifier(archive: f.archive)
        for e in revoked.entries { verifier.verify(line: e.line) }
        #expect(verifier.finish().entries == 6)
    }

    @Test func addingAKnownKeyAgainIsRefused() throws {
        let again = Payload.key(.add(NamedKey(name: "journalist again", publicKey: f.journalist.publicKey), role: .root))
        expectRefused(try f.next(again, key: f.root), by: f.state, archive: f.archive, code: .duplicateID, seq: 5)
        let rootAgain = Payload.key(.add(NamedKey(name: "root again", publicKey: f.root.publicKey), role: .journalist))
        expectRefused(try f.next(rootAgain, key: f.root), by: f.state, archive: f.archive, code: .duplicateID, seq: 5)
    }

    @Test func aKeyCannotRevokeItself() throws {
        let revokeSelf = Payload.key(.revoke(keyID: f.root.publicKey.keyID, reason: nil))
        expectRefused(try f.next(revokeSelf, key: f.root), by: f.state, archive: f.archive, code: .invalidEntry, seq: 5)
    }

    @Test func theLastActiveRootCannotBeRevoked() throws {
        // With two roots, one may revoke the other once the other approves (FORMAT.md 7.3); the
        // revoked one can then revoke nobody, so the last active root stays.
        var two = f
        let second = try TestKeys.key(4)
        try two.append([.key(.add(NamedKey(name: "second root", publicKey: second.publicKey), role: .root))], key: f.root, minutes: 10)
        try two.append([.key(.revoke(keyID: second.publicKey.keyID, reason: nil))], key: f.root, minutes: 11)
        try two.append([.key(.approve(entry: two.entries[6].hash))], key: second, minutes: 12)
        #expect(two.state.keys[second.publicKey.keyID]?.revoked == 7)
        let revokeFirst = Payload.key(.revoke(keyID: f.root.publicKey.keyID, reason: nil))
        expectRefused(try two.next(revokeFirst, key: second), by: two.state, archive: f.archive, code: .revokedSigner, seq: 8)
        expectRefused(try two.next(revokeFirst, key: f.root), by: two.state, archive: f.archive, code: .invalidEntry, seq: 8)
    }

    @Test func revokingAnUnknownOrRevokedKeyIsRefused() throws {
        let unknown = Payload.key(.revoke(keyID: f.outsider.publicKey.keyID, reason: nil))
        expectRefused(try f.next(unknown, key: f.root), by: f.state, archive: f.archive, code: .unknownSigner, seq: 5)
        var revoked = f
        let revokeJournalist = Payload.key(.revoke(keyID: f.journalist.publicKey.keyID, reason: nil))
        try revoked.append([revokeJournalist], key: f.root, minutes: 10)
        expectRefused(try revoked.next(revokeJournalist, key: f.root), by: revoked.state, archive: f.archive, code: .revokedSigner, seq: 6)
    }

    @Test func anotherKeysValidSignatureIsABadSignature() throws {
        let honest = try f.next(anotherStatus, key: f.journalist)
        let forged = try f.outsider.signature(for: honest.canonicalBytes)
        #expect(f.outsider.publicKey.isValidSignature(forged, for: honest.canonicalBytes))
        let line: JSONValue = ["entry": honest.entry.json, "hash": .string(honest.hash.hex), "signature": .string(Base64.encode(forged))]
        let parsed = try SignedEntry.parse(line: try JCS.canonicalize(line))
        expectRefused(parsed, by: f.state, archive: f.archive, code: .badSignature, seq: 5)
        _ = expectAccepted(try SignedEntry.parse(line: honest.line), by: f.state, archive: f.archive)
    }

    @Test func verifierReportsTheFirstFailureAndStops() throws {
        var verifier = LedgerVerifier(archive: f.archive)
        for (i, e) in f.entries.enumerated() where i != 2 { verifier.verify(line: e.line) }
        let report = verifier.finish()
        #expect(!report.ok)
        #expect(report.entries == 2)
        #expect(report.failure?.code == .seqMismatch)
        #expect(report.failure?.seq == 2)
        #expect(report.head == f.entries[1].hash)
    }

    /// FORMAT.md 8.3: the reported seq is the failing line's position, even when the line's own
    /// `seq` member was tampered with too.
    @Test func verifierReportsTheLinePositionNotTheSeqMember() throws {
        var top = try #require(try JSONParser.parse(f.entries[3].line).objectValue)
        var entry = try #require(top["entry"]?.objectValue)
        entry["seq"] = 9
        top["entry"] = .object(entry)
        var verifier = LedgerVerifier(archive: f.archive)
        for e in f.entries.prefix(3) { verifier.verify(line: e.line) }
        verifier.verify(line: try JCS.canonicalize(.object(top)))
        let report = verifier.finish()
        #expect(report.failure?.code == .hashMismatch)
        #expect(report.failure?.seq == 3)
    }

    @Test func verifierReportsATornTailAndAnEmptyLedger() {
        var verifier = LedgerVerifier(archive: f.archive)
        for e in f.entries { verifier.verify(line: e.line) }
        let torn = verifier.finish(tornTail: Array(#"{"entry":{"payl"#.utf8))
        #expect(torn.failure?.code == .tornLine)
        #expect(torn.failure?.seq == 5)
        var empty = LedgerVerifier(archive: f.archive)
        #expect(empty.finish().failure?.code == .empty)
    }
}
