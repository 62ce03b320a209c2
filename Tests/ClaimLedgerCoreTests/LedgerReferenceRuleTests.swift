import ClaimLedgerCore
import LedgerCrypto
import Testing

/// The reference and provenance rules of `LedgerState.apply`: ids are unique, every source an entry
/// cites was recorded before, archived bytes match their digest, quotes are the source's bytes.
@Suite struct LedgerReferenceRuleTests {
    let f: LedgerFixture
    let sourceBytes = Array(LedgerFixture.sourceText.utf8)

    init() throws { f = try LedgerFixture() }

    @Test func duplicateClaimIDIsRefused() throws {
        let again = Payload.claim(f.claimPayload(id: LedgerFixture.claimID))
        expectRefused(try f.next(again, key: f.journalist), by: f.state, archive: f.archive, code: .duplicateID, seq: 5)
        _ = expectAccepted(try f.next(.claim(f.claimPayload(id: "another-claim")), key: f.journalist), by: f.state, archive: f.archive)
    }

    @Test func duplicateSourceIsRefused() throws {
        let again = Payload.source(f.sourcePayload(sourceBytes, title: "Same bytes, another title"))
        expectRefused(try f.next(again, key: f.journalist), by: f.state, archive: f.archive, code: .duplicateID, seq: 5)
    }

    @Test func quoteWhoseTextIsNotTheSourceBytesIsRefused() throws {
        var shifted = f.quote
        shifted.start += 1
        shifted.end += 1
        let claim = Payload.claim(f.claimPayload(id: "shifted-quote", quotes: [shifted]))
        expectRefused(try f.next(claim, key: f.journalist), by: f.state, archive: f.archive, code: .quoteMismatch, seq: 5)
    }

    @Test func quoteEndingPastTheSourceIsRefused() throws {
        let text = "dépêche."
        let start = sourceBytes.count - 3
        let beyond = Quote(source: f.sourceID, text: text, start: start, end: start + text.utf8.count)
        let claim = Payload.claim(f.claimPayload(id: "beyond-the-end", quotes: [beyond]))
        expectRefused(try f.next(claim, key: f.journalist), by: f.state, archive: f.archive, code: .quoteMismatch, seq: 5)
    }

    @Test func claimQuotingAnUnrecordedSourceIsRefused() throws {
        var archive = f.archive
        let other = archive.store(Array("Nous n'avons rien à cacher".utf8))
        let quote = Quote(source: other, text: "Nous", start: 0, end: 4)
        let claim = Payload.claim(f.claimPayload(id: "unrecorded-source", quotes: [quote]))
        expectRefused(try f.next(claim, key: f.journalist), by: f.state, archive: archive, code: .unknownSource, seq: 5)
    }

    @Test func statusForAnUnknownClaimIsRefused() throws {
        let status = Payload.status(f.statusPayload(.corroborated, claim: "no-such-claim"))
        expectRefused(try f.next(status, key: f.journalist), by: f.state, archive: f.archive, code: .unknownClaim, seq: 5)
    }

    @Test func evidenceNamingAnUnknownSourceIsRefused() throws {
        let status = Payload.status(f.statusPayload(.corroborated, evidence: [f.sourceID, SHA256.hash(Array("elsewhere".utf8))]))
        expectRefused(try f.next(status, key: f.journalist), by: f.state, archive: f.archive, code: .unknownSource, seq: 5)
    }

    @Test func sourceMissingFromTheArchiveIsRefused() throws {
        let unarchived = Payload.source(f.sourcePayload(Array("never archived".utf8)))
        expectRefused(try f.next(unarchived, key: f.journalist), by: f.state, archive: f.archive, code: .sourceMissing, seq: 5)
    }

    @Test func archivedBytesWithAnotherDigestAreRefused() throws {
        let bytes = Array("the original article".utf8)
        let payload = f.sourcePayload(bytes)
        var archive = f.archive
        archive.files[payload.sha256] = Array("the altered article!".utf8)
        expectRefused(try f.next(.source(payload), key: f.journalist), by: f.state, archive: archive,
                      code: .sourceDigestMismatch, seq: 5)
    }

    @Test func sourceWhoseStatedSizeIsWrongIsRefused() throws {
        var archive = f.archive
        let bytes = Array("an article of 28 bytes long.".utf8)
        archive.store(bytes)
        var payload = f.sourcePayload(bytes)
        payload.size += 1
        expectRefused(try f.next(.source(payload), key: f.journalist), by: f.state,
                      archive: archive, code: .sourceDigestMismatch, seq: 5)
    }

    @Test func latestStatusIsTheCurrentOneAndHistoryIsKept() throws {
        var g = f
        try g.append([.status(f.statusPayload(.refuted)), .status(f.statusPayload(.unverifiable))], key: f.journalist, minutes: 9)
        let record = try #require(g.state.claims[LedgerFixture.claimID])
        #expect(record.status == .unverifiable)
        #expect(record.history.map(\.payload.status) == [.disputed, .refuted, .unverifiable])
        #expect(record.history.map(\.entry.seq) == [4, 5, 6])
    }

    @Test func claimWithoutStatusIsUnverified() throws {
        var g = f
        try g.append([.claim(f.claimPayload(id: "fresh-claim"))], key: f.journalist, minutes: 9)
        #expect(g.state.claims["fresh-claim"]?.status == .unverified)
        #expect(g.state.claimOrder == [LedgerFixture.claimID, "fresh-claim"])
    }

    /// `EntryAppender` promises that nothing is written that verification would refuse; verification
    /// parses every payload strictly, so whatever the appender signs must verify.
    @Test(arguments: [
        ("claim id with spaces", Payload.claim(LedgerReferenceRuleTests.claim(id: "Not A Valid Id", language: "en"))),
        ("statement language that is not a BCP 47 tag", Payload.claim(LedgerReferenceRuleTests.claim(id: "bad-language", language: "english!"))),
        ("rationale with a control character", Payload.status(StatusPayload(
            claim: LedgerFixture.claimID, status: .refuted, rationale: "bell\u{07}", evidence: []))),
    ])
    func whatTheAppenderSignsVerifies(what: String, payload: Payload) throws {
        var payload = payload
        if case .claim(var c) = payload {
            c.quotes = [f.quote]
            payload = .claim(c)
        }
        let signed: [SignedEntry]
        do {
            (signed, _) = try EntryAppender.append([payload], to: f.state, key: f.journalist, time: LedgerFixture.start, archive: f.archive)
        } catch {
            #expect(error.code == .invalidPayload, "\(what): \(error)")
            return
        }
        var verifier = LedgerVerifier(archive: f.archive)
        for e in f.entries + signed { verifier.verify(line: e.line) }
        let report = verifier.finish()
        #expect(report.ok, "\(what): the appender signed an entry that verification refuses: \(report.failure?.description ?? "")")
    }

    @Test func appenderRefusesAnEntryWhoseLineIsTooLong() throws {
        // 64 quotes (the most a claim may have) of 4100 bytes: each within the limits, the line not.
        let chunks = (0..<64).map { i in String(format4: i) + String(repeating: "x", count: 4096) }
        let bytes = Array(chunks.joined().utf8)
        var g = f
        let source = g.archive.store(bytes)
        try g.append([.source(f.sourcePayload(bytes, title: "Long"))], key: f.journalist, minutes: 9)
        let quotes = chunks.enumerated().map { i, text in Quote(source: source, text: text, start: i * 4100, end: (i + 1) * 4100) }
        let error = #expect(throws: LedgerError.self) {
            try EntryAppender.append([.claim(f.claimPayload(id: "very-long-claim", quotes: quotes))], to: g.state,
                                     key: f.journalist, time: LedgerFixture.start, archive: g.archive)
        }
        #expect(error?.code == .limitExceeded, "\(error?.description ?? "accepted")")
    }

    static func claim(id: String, language: String) -> ClaimPayload {
        ClaimPayload(id: id, statement: "A statement.", statementLanguage: language, claimant: "Someone",
                     date: CalendarDate(year: 2026, month: 1, day: 6)!, quotes: [])
    }
}

extension String {
    /// `n` as exactly four decimal digits.
    init(format4 n: Int) {
        let digits = String(n)
        self = String(repeating: "0", count: 4 - digits.count) + digits
    }
}
