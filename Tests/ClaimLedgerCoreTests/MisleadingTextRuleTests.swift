import ClaimLedgerCore
import LedgerCrypto
import Testing

/// FORMAT.md 1.9 and 8.6: writers refuse misleading characters and duplicate key names in new entries;
/// the verifier accepts such entries (older writers made them) and reports each as a warning.
@Suite struct MisleadingTextRuleTests {
    static let override = "The minister denied it.\u{202E}lanif\u{202C}"

    @Test(arguments: [0x202A, 0x202E, 0x2066, 0x2069, 0x200B, 0x2060, 0xFEFF, 0x180E, 0x00AD, 0x034F, 0x115F, 0x17B4,
                      0x2028, 0x2029, 0x3164, 0xFFA0, 0xFFF9, 0xFFFB, 0xE0000, 0xE0041, 0xE007F] as [UInt32])
    func writersRefuseEachMisleadingCodePoint(_ value: UInt32) throws {
        let f = try LedgerFixture()
        var claim = f.claimPayload(id: "misleading-claim")
        claim.statement = "Before\(Character(Unicode.Scalar(value)!))after"
        let error = #expect(throws: LedgerError.self) { try WriterRules.check(.claim(claim), after: f.state) }
        #expect(error?.code == .misleadingText)
        #expect(error?.reason.contains(MisleadingText.label(Unicode.Scalar(value)!)) == true)
        #expect(error?.reason.contains("payload.statement.text") == true)
    }

    @Test func joinersAndBidiMarksAreAllowed() throws {
        let f = try LedgerFixture()
        var status = f.statusPayload(.corroborated)
        status.rationale = "می\u{200C}خواهم \u{200F}שלום\u{200E} 👩\u{200D}💻 \u{061C} ❤\u{FE0F} 葛\u{E0100} é ¬ · € 中"
        try WriterRules.check(.status(status), after: f.state)
        #expect(MisleadingText.findings(in: .status(status)).isEmpty)
    }

    @Test func theDraftResolverRefusesThemWithTheItemNumber() throws {
        let f = try LedgerFixture()
        var resolver = DraftResolver(state: f.state, archive: f.archive)
        let draft = StatusDraft(claim: LedgerFixture.claimID, status: .refuted, rationale: Self.override, evidence: [])
        let error = #expect(throws: LedgerError.self) { try resolver.resolve([.status(draft)]) }
        #expect(error?.code == .misleadingText)
        #expect(error?.reason.hasPrefix("item 1: payload.rationale contains U+202E") == true)
    }

    @Test func verifyAcceptsAnOldEntryWithThemAndWarnsWithSeqFieldAndCodePoint() throws {
        let f = try LedgerFixture()
        var status = f.statusPayload(.refuted)
        status.rationale = Self.override
        let hostile = try f.next(.status(status), key: f.journalist)
        var verifier = LedgerVerifier(archive: f.archive)
        for e in f.entries + [hostile] { verifier.verify(line: e.line) }
        let report = verifier.finish()
        #expect(report.ok)
        #expect(report.warningCount == 2)
        #expect(report.warnings.map(\.seq) == [5, 5])
        #expect(report.warnings.map(\.field) == ["payload.rationale", "payload.rationale"])
        #expect(report.warnings.compactMap(\.codePoint).map(MisleadingText.label) == ["U+202E", "U+202C"])
        #expect(report.warnings.allSatisfy { $0.code == .misleadingText })
    }

    @Test func keyNamesAreUniqueAmongActiveKeysForWritersAndWarnedByVerify() throws {
        let f = try LedgerFixture()
        let twin = Payload.key(.add(NamedKey(name: "journalist", publicKey: f.outsider.publicKey), role: .journalist))
        let error = #expect(throws: LedgerError.self) { try WriterRules.check(twin, after: f.state) }
        #expect(error?.code == .duplicateKeyName)
        // A hostile (or old) writer's entry verifies, with a warning at its seq.
        let hostile = try f.next(twin, key: f.root)
        var verifier = LedgerVerifier(archive: f.archive)
        for e in f.entries + [hostile] { verifier.verify(line: e.line) }
        let report = verifier.finish()
        #expect(report.ok)
        #expect(report.warnings.map(\.code) == [.duplicateKeyName])
        #expect(report.warnings.first?.seq == 5)
        // The name of a revoked key may be used again.
        var later = f
        try later.append([.key(.revoke(keyID: f.journalist.publicKey.keyID, reason: nil))], key: f.root, minutes: 5)
        try WriterRules.check(twin, after: later.state)
    }

    @Test func warningsOfEntriesAfterAFailureAreNotReported() throws {
        let f = try LedgerFixture()
        var status = f.statusPayload(.refuted)
        status.rationale = Self.override
        let hostile = try f.next(.status(status), key: f.journalist)
        var verifier = LedgerVerifier(archive: f.archive)
        verifier.verify(lines: f.entries.map(\.line) + [hostile.line, Array("{}".utf8)])
        let report = verifier.finish()
        #expect(report.failure?.seq == 6)
        #expect(report.warningCount == 2)
        var cut = LedgerVerifier(archive: f.archive)
        cut.verify(lines: f.entries.map(\.line) + [Array("{}".utf8), hostile.line])
        #expect(cut.finish().warningCount == 0)
    }
}
