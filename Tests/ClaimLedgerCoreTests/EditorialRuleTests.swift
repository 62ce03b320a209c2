import CanonicalJSON
import ClaimLedgerCore
import LedgerCrypto
import Testing

/// Hostile writers: properly signed entries that break a rule of the editorial record (FORMAT.md
/// 5.5-5.11, 7.2) are refused with the entry's seq and a stable code, by a full state and by a
/// verification-only state alike.
@Suite struct EditorialRuleTests {
    var e: EditorialFixture
    var f: LedgerFixture { e.f }

    init() throws { e = try EditorialFixture() }

    @Test func scaleSignedByAJournalistIsRefused() throws {
        try e.expectRefusedBoth(.scale(ScalePayload(labels: [EditorialFixture.label("misleading", 2)])), key: f.journalist, code: .unauthorizedSigner)
        try e.expectRefusedBoth(.scale(ScalePayload(labels: [EditorialFixture.label("misleading", 2)])), key: e.editor, code: .unauthorizedSigner)
        try e.expectAcceptedBoth(.scale(ScalePayload(labels: [EditorialFixture.label("misleading", 2)])), key: f.root)
    }

    @Test func scaleRevisionNeedsAReasonAndANewLabelRefusesOne() throws {
        try e.expectRefusedBoth(.scale(ScalePayload(labels: [EditorialFixture.label("false", 2)])), key: f.root, code: .invalidPayload)
        try e.expectRefusedBoth(.scale(ScalePayload(labels: [EditorialFixture.label("unproven", 3)], reason: "new")), key: f.root, code: .invalidPayload)
        try e.expectAcceptedBoth(.scale(ScalePayload(labels: [EditorialFixture.label("false", 2)], reason: "Rescaled.")), key: f.root)
    }

    @Test func scaleRulesOfThePayloadAreRefusedWhenParsed() throws {
        let twice = ScalePayload(labels: [EditorialFixture.label("misleading", 2), EditorialFixture.label("misleading", 3)])
        #expect(try e.parseError(.scale(twice), key: f.root)?.code == .duplicateID)
        var inverted = EditorialFixture.label("inverted", 2)
        inverted.rating.worstRating = 4
        #expect(try e.parseError(.scale(ScalePayload(labels: [inverted])), key: f.root)?.code == .invalidPayload)
        var badName = EditorialFixture.label("x", 2)
        badName.label = "Upper"
        #expect(try e.parseError(.scale(ScalePayload(labels: [badName])), key: f.root)?.code == .invalidPayload)
    }

    @Test func verdictMustBeALabelOfTheScale() throws {
        try e.expectRefusedBoth(.status(e.verdictStatus(verdict: "mostly-true")), key: f.journalist, code: .unknownLabel)
        try e.expectAcceptedBoth(.status(e.verdictStatus(verdict: "accurate")), key: f.journalist)
    }

    @Test func spansAreVerifiedByteForByte() throws {
        var shifted = f.quote
        shifted.start += 1
        shifted.end += 1
        try e.expectRefusedBoth(.status(e.verdictStatus(spans: [shifted])), key: f.journalist, code: .quoteMismatch)
    }

    @Test func spanOutsideTheEvidenceAndVerdictWithoutSpanAreRefusedWhenParsed() throws {
        var status = e.verdictStatus()
        status.evidence = []
        #expect(try e.parseError(.status(status), key: f.journalist)?.code == .invalidPayload)
        #expect(try e.parseError(.status(e.verdictStatus(spans: [])), key: f.journalist)?.code == .invalidPayload)
    }

    @Test func retractedClaimTakesNoMoreEntriesButCanBeLinkedTo() throws {
        var e = self.e
        try e.append([.amend(AmendPayload(claim: LedgerFixture.claimID, action: .retract, reason: "Misattributed."))], key: f.journalist, minutes: 10)
        try e.expectRefusedBoth(.status(f.statusPayload(.refuted)), key: f.journalist, code: .claimRetracted)
        try e.expectRefusedBoth(.amend(AmendPayload(claim: LedgerFixture.claimID, action: .retract, reason: "Again.")), key: e.editor, code: .claimRetracted)
        try e.expectRefusedBoth(.position(position()), key: f.journalist, code: .claimRetracted)
        try e.expectRefusedBoth(.link(LinkPayload(from: LedgerFixture.claimID, relation: .counters, to: EditorialFixture.otherClaim)),
                                key: f.journalist, code: .claimRetracted)
        try e.expectAcceptedBoth(.link(LinkPayload(from: EditorialFixture.otherClaim, relation: .supersedes, to: LedgerFixture.claimID)),
                                 key: f.journalist)
        #expect(e.f.state.claims[LedgerFixture.claimID]?.isRetracted == true)
    }

    @Test func amendBySomeoneElseThanTheRecordingDeskOrAnEditorIsRefused() throws {
        let correct = AmendPayload(claim: LedgerFixture.claimID, action: .correct(ClaimChanges(claimant: "The minister")), reason: "Wrong name.")
        try e.expectRefusedBoth(.amend(correct), key: e.otherJournalist, code: .unauthorizedSigner)
        try e.expectRefusedBoth(.amend(correct), key: f.root, code: .unauthorizedSigner)
        try e.expectAcceptedBoth(.amend(correct), key: f.journalist)
        try e.expectAcceptedBoth(.amend(correct), key: e.editor)
    }

    @Test func correctionQuotesAreVerifiedAndTheCurrentTextIsCorrected() throws {
        var e = self.e
        var shifted = f.quote
        shifted.start += 1
        shifted.end += 1
        try e.expectRefusedBoth(.amend(AmendPayload(claim: LedgerFixture.claimID, action: .correct(ClaimChanges(quotes: [shifted])), reason: "x")),
                                key: f.journalist, code: .quoteMismatch)
        try e.append([.amend(AmendPayload(claim: LedgerFixture.claimID, action: .correct(ClaimChanges(claimant: "The minister")), reason: "Name."))],
                     key: f.journalist, minutes: 10)
        let record = try #require(e.f.state.claims[LedgerFixture.claimID])
        #expect(record.current.claimant == "The minister" && record.payload.claimant == "Spokesperson" && record.isCorrected)
    }

    @Test func amendOfAnUnknownClaimIsRefused() throws {
        try e.expectRefusedBoth(.amend(AmendPayload(claim: "no-such-claim", action: .retract, reason: "x")), key: e.editor, code: .unknownClaim)
    }

    func position(claim: String = LedgerFixture.claimID, quotes: [Quote]? = nil, evidence: [SHA256Digest] = []) -> PositionPayload {
        PositionPayload(claim: claim, party: Party(name: "Ministry of Finance", kind: .government), stance: .denies,
                        date: CalendarDate(year: 2026, month: 1, day: 7)!, quotes: quotes ?? [f.quote], evidence: evidence)
    }

    @Test func positionRulesHold() throws {
        try e.expectRefusedBoth(.position(position(claim: "no-such-claim")), key: f.journalist, code: .unknownClaim)
        var shifted = f.quote
        shifted.start += 1
        shifted.end += 1
        try e.expectRefusedBoth(.position(position(quotes: [shifted])), key: f.journalist, code: .quoteMismatch)
        try e.expectRefusedBoth(.position(position(evidence: [SHA256.hash(Array("elsewhere".utf8))])), key: f.journalist, code: .unknownSource)
        try e.expectAcceptedBoth(.position(position(evidence: [f.sourceID])), key: f.journalist)
    }

    @Test func linkRulesHold() throws {
        var e = self.e
        try e.expectRefusedBoth(.link(LinkPayload(from: LedgerFixture.claimID, relation: .reports, to: "no-such-claim")),
                                key: f.journalist, code: .unknownClaim)
        #expect(try e.parseError(.link(LinkPayload(from: LedgerFixture.claimID, relation: .sameAs, to: LedgerFixture.claimID)),
                                 key: f.journalist)?.code == .invalidPayload)
        try e.append([.link(LinkPayload(from: LedgerFixture.claimID, relation: .supersedes, to: EditorialFixture.otherClaim))],
                     key: f.journalist, minutes: 10)
        try e.expectRefusedBoth(.link(LinkPayload(from: EditorialFixture.otherClaim, relation: .supersedes, to: LedgerFixture.claimID)),
                                key: f.journalist, code: .linkCycle)
        try e.expectAcceptedBoth(.link(LinkPayload(from: EditorialFixture.otherClaim, relation: .counters, to: LedgerFixture.claimID)),
                                 key: f.journalist)
        let record = try #require(e.f.state.claims[EditorialFixture.otherClaim])
        #expect(record.linkedFrom.count == 1)
    }

    @Test func reviewRulesHold() throws {
        var e = self.e
        let latest = e.latestStatus(EditorialFixture.otherClaim)
        let approve = ReviewPayload(claim: EditorialFixture.otherClaim, status: latest, decision: .approve)
        try e.expectRefusedBoth(.review(approve), key: f.journalist, code: .unauthorizedSigner)
        try e.expectRefusedBoth(.review(approve), key: f.root, code: .unauthorizedSigner)
        try e.expectRefusedBoth(.review(ReviewPayload(claim: EditorialFixture.otherClaim, status: f.state.head, decision: .approve)),
                                key: e.editor, code: .staleReview)
        // A hash that agrees with the latest status hash in its first 16 bytes only (a status tag is keyed,
        // not a truncation).
        let nearMiss = latest.withUnsafeBytes { raw in SHA256Digest(bytes: Array(raw[0..<16]) + raw[16...].map { $0 ^ 0xFF })! }
        try e.expectRefusedBoth(.review(ReviewPayload(claim: EditorialFixture.otherClaim, status: nearMiss, decision: .approve)),
                                key: e.editor, code: .staleReview)
        try e.expectAcceptedBoth(.review(approve), key: e.editor)
        // A status signed by the editor cannot be reviewed by the same editor.
        try e.append([.status(e.verdictStatus(claim: EditorialFixture.otherClaim, verdict: "accurate"))], key: e.editor, minutes: 10)
        let own = ReviewPayload(claim: EditorialFixture.otherClaim, status: e.latestStatus(EditorialFixture.otherClaim), decision: .approve)
        try e.expectRefusedBoth(.review(own), key: e.editor, code: .sameSigner)
        // The earlier status is no longer the latest.
        try e.expectRefusedBoth(.review(approve), key: e.editor, code: .staleReview)
        #expect(try e.parseError(.review(ReviewPayload(claim: EditorialFixture.otherClaim, status: latest, decision: .return)),
                                 key: e.editor)?.code == .invalidPayload)
    }

    @Test func reviewOfAClaimWithoutStatusNamesNoStatusEntry() throws {
        var e = self.e
        try e.append([.claim(f.claimPayload(id: "no-status-yet"))], key: f.journalist, minutes: 10)
        try e.expectRefusedBoth(.review(ReviewPayload(claim: "no-status-yet", status: e.f.state.head, decision: .approve)),
                                key: e.editor, code: .unknownEntry)
    }

    func provenance(_ origin: Provenance.Origin?) -> Provenance {
        Provenance(retrievedAt: .time(LedgerFixture.start), copy: .full, kind: .wireCopy, republishes: origin)
    }

    @Test func provenanceRulesHold() throws {
        var e = self.e
        let unknown = SHA256.hash(Array("elsewhere".utf8))
        try e.expectRefusedBoth(.provenance(ProvenancePayload(source: unknown, provenance: provenance(nil))), key: f.journalist, code: .unknownSource)
        try e.expectRefusedBoth(.provenance(ProvenancePayload(source: f.sourceID, provenance: provenance(.source(unknown)))),
                                key: f.journalist, code: .unknownSource)
        #expect(try e.parseError(.provenance(ProvenancePayload(source: f.sourceID, provenance: provenance(.source(f.sourceID)))),
                                 key: f.journalist)?.code == .invalidPayload)
        // A second source republishing the first; then the first cannot republish the second.
        var archive = e.f.archive
        let copyBytes = Array("Copie: Nous n'avons rien à cacher".utf8)
        archive.store(copyBytes)
        e.f.archive = archive
        var copy = f.sourcePayload(copyBytes, title: "Copie")
        copy.provenance = provenance(.source(f.sourceID))
        try e.append([.source(copy)], key: f.journalist, minutes: 10)
        try e.expectRefusedBoth(.provenance(ProvenancePayload(source: f.sourceID, provenance: provenance(.source(copy.sha256)))),
                                key: f.journalist, code: .linkCycle)
        try e.expectAcceptedBoth(.provenance(ProvenancePayload(source: f.sourceID,
                                                               provenance: provenance(.url("https://gov.example/statement", publisher: "Ministry")))),
                                 key: f.journalist)
    }

    @Test func editorialPayloadsRoundTripThroughTheirLines() throws {
        let payloads: [Payload] = [
            .position(position(evidence: [f.sourceID])),
            .link(LinkPayload(from: LedgerFixture.claimID, relation: .partOf, to: EditorialFixture.otherClaim, note: "Part.")),
            .amend(AmendPayload(claim: LedgerFixture.claimID, action: .correct(ClaimChanges(statement: "Corrected.", statementLanguage: "en",
                                                                                              date: CalendarDate(year: 2026, month: 1, day: 5)!, kind: .attribution)),
                                reason: "Date.")),
            .review(ReviewPayload(claim: EditorialFixture.otherClaim, status: e.latestStatus(EditorialFixture.otherClaim), decision: .return, note: "Why?")),
            .provenance(ProvenancePayload(source: f.sourceID, provenance: provenance(.url("https://gov.example/s", publisher: "Ministry")), reason: "Found.")),
        ]
        for p in payloads {
            let signed = try f.next(p, key: e.editor)
            #expect(try SignedEntry.parse(line: signed.line).entry.payload == p)
        }
    }

    /// FORMAT.md 5.10: `retrievedAt` is optional, a date when only the day is known, or a time.
    @Test(arguments: [nil, "2026-01-06", "2026-01-06T09:30:00Z"])
    func provenanceRetrievalTimeIsOptionalADateOrATime(retrievedAt: String?) throws {
        var p = provenance(nil)
        p.retrievedAt = try retrievedAt.map { try #require(RetrievalTime($0)) }
        let payload = Payload.provenance(ProvenancePayload(source: f.sourceID, provenance: p))
        let signed = try f.next(payload, key: f.journalist)
        #expect(try SignedEntry.parse(line: signed.line).entry.payload == payload)
        #expect(String(decoding: signed.line, as: UTF8.self).contains("retrievedAt") == (retrievedAt != nil))
        if let retrievedAt { #expect(p.retrievedAt?.description == retrievedAt) }
        try e.expectAcceptedBoth(payload, key: f.journalist)
    }

    @Test(arguments: ["2026-01-06T09:30", "2026-02-30", "2026-01-06T09:30:00+01:00", "yesterday", ""])
    func provenanceRetrievalTimeOfAnotherFormIsRefused(text: String) throws {
        let json: JSONValue = ["source": .string(f.sourceID.hex),
                               "provenance": ["retrievedAt": .string(text), "copy": "full", "kind": "wire-copy"]]
        #expect(throws: LedgerError.self) { _ = try Payload(type: .provenance, json: json) }
        #expect(RetrievalTime(text) == nil)
    }

    @Test func misleadingTextInEditorialMembersIsRefusedByWriters() throws {
        var p = position()
        p.party.name = "Ministry\u{202E}"
        #expect(throws: LedgerError.self) { try WriterRules.check(.position(p), after: f.state) }
    }
}
