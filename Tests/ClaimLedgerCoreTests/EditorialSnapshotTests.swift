import CanonicalJSON
import ClaimLedgerCore
import LedgerCrypto
import Testing

/// A full state (one that keeps claim records) written as a snapshot and read back keeps the whole
/// editorial record (FORMAT.md 15, `state.claims[].editorial`, `sources[].provenance`, `scale`,
/// `supersedes`), and goes on enforcing its rules.
@Suite struct EditorialSnapshotTests {
    @Test func fullStateSnapshotRoundTripsTheEditorialRecord() throws {
        var e = try EditorialFixture()
        let f = e.f
        let claim = LedgerFixture.claimID, other = EditorialFixture.otherClaim
        let position = PositionPayload(claim: claim, party: Party(name: "Ministry", kind: .government), stance: .denies,
                                       date: CalendarDate(year: 2026, month: 1, day: 6)!, quotes: [f.quote], evidence: [f.sourceID], note: "Denied.")
        let provenance = Provenance(retrievedAt: .date(CalendarDate(year: 2026, month: 1, day: 6)!), copy: .excerpt, kind: .wireCopy,
                                    republishes: .url("https://gov.example/statement", publisher: "Ministry"))
        try e.append([
            .position(position),
            .link(LinkPayload(from: other, relation: .supersedes, to: claim, note: "Later figure.")),
            .link(LinkPayload(from: claim, relation: .counters, to: other)),
            .amend(AmendPayload(claim: claim, action: .correct(ClaimChanges(claimant: "The spokesperson", kind: .attribution)), reason: "Name.")),
            .provenance(ProvenancePayload(source: f.sourceID, provenance: provenance, reason: "Found the origin.")),
        ], key: f.journalist, minutes: 10)
        try e.append([.scale(ScalePayload(labels: [EditorialFixture.label("false", 2)], reason: "Rescaled."))], key: f.root, minutes: 10)
        try e.append([.review(ReviewPayload(claim: other, status: e.latestStatus(other), decision: .approve, note: "Checked."))],
                     key: e.editor, minutes: 11)
        try e.append([.amend(AmendPayload(claim: other, action: .retract, reason: "Duplicate."))], key: e.editor, minutes: 12)
        let state = e.f.state

        let restored = try LedgerState(snapshot: state.snapshot())
        #expect(JCS.canonicalizeOrNil(restored.snapshot()) == JCS.canonicalizeOrNil(state.snapshot()))
        for id in [claim, other] { #expect(restored.claims[id] == state.claims[id], "\(id)") }
        #expect(restored.claims[claim]?.current.claimant == "The spokesperson")
        #expect(restored.claims[other]?.isRetracted == true)
        #expect(restored.claims[other]?.reviews.count == 1)
        #expect(restored.claims[claim]?.linkedFrom.count == 1)
        #expect(restored.sources[f.sourceID]?.provenance == provenance)
        #expect(restored.scale["false"]?.earlier.count == 1)
        #expect(try restored.claimFacts(other) == state.claimFacts(other))

        // The restored state enforces the rules the record implies: retraction, supersedes cycles.
        let status = try e.f.next(.status(f.statusPayload(.refuted)), key: f.journalist)
        _ = expectAccepted(status, by: restored, archive: f.archive)
        let retracted = try e.f.next(.position(PositionPayload(claim: other, party: position.party, stance: .asserts,
                                                               date: position.date, quotes: [f.quote])), key: f.journalist)
        expectRefused(retracted, by: restored, archive: f.archive, code: .claimRetracted, seq: state.size)
    }
}
