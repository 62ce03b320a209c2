import ClaimLedgerCore
import LedgerCrypto
import Testing

/// `LedgerFixture` plus the editorial record: 5 key add editor (root), 6 scale (root), 7 second claim
/// (journalist), 8 status with a verdict and a span (journalist), 9 second journalist key (root).
/// `verifyOnly` is the same chain replayed into a verification-only state, and `verifyTagged` into one
/// that keeps latest status hashes as keyed tags (`ClaimKeySet`), so that every rule is checked each way.
struct EditorialFixture {
    var f: LedgerFixture
    let editor: Ed25519PrivateKey
    let otherJournalist: Ed25519PrivateKey
    static let otherClaim = "second-claim"
    private(set) var verifyOnly = LedgerState(keepingRecords: false)
    private(set) var verifyTagged = LedgerState(keepingRecords: false)

    init() throws {
        f = try LedgerFixture()
        editor = try TestKeys.key(4)
        otherJournalist = try TestKeys.key(5)
        try f.append([.key(.add(NamedKey(name: "editor", publicKey: editor.publicKey), role: .editor))], key: f.root, minutes: 5)
        try f.append([.scale(ScalePayload(labels: [Self.label("false", 1), Self.label("accurate", 5)]))], key: f.root, minutes: 6)
        try f.append([.claim(f.claimPayload(id: Self.otherClaim))], key: f.journalist, minutes: 7)
        try f.append([.status(verdictStatus(claim: Self.otherClaim))], key: f.journalist, minutes: 8)
        try f.append([.key(.add(NamedKey(name: "journalist-2", publicKey: otherJournalist.publicKey), role: .journalist))],
                     key: f.root, minutes: 9)
        verifyTagged.reserveClaimKeys(16, taggingStatuses: true)
        for e in f.entries {
            try verifyOnly.apply(e, archive: f.archive)
            try verifyTagged.apply(e, archive: f.archive)
        }
    }

    static func label(_ name: String, _ value: Int) -> ScaleLabel {
        ScaleLabel(label: name, description: "The claim is \(name).",
                   rating: ReviewRating(alternateName: name.uppercased(), ratingValue: value, bestRating: 5, worstRating: 1))
    }

    func verdictStatus(claim: String = LedgerFixture.claimID, verdict: String = "false", spans: [Quote]? = nil) -> StatusPayload {
        StatusPayload(claim: claim, status: .refuted, rationale: "The wire says otherwise.", evidence: [f.sourceID],
                      verdict: verdict, spans: spans ?? [f.quote])
    }

    /// The hash of the latest status entry of `claim`.
    func latestStatus(_ claim: String) -> SHA256Digest { f.state.claims[claim]!.history.last!.entry.hash }

    /// Appends valid payloads to both states.
    mutating func append(_ payloads: [Payload], key: Ed25519PrivateKey, minutes: Int64) throws {
        let before = f.entries.count
        try f.append(payloads, key: key, minutes: minutes)
        for e in f.entries[before...] {
            try verifyOnly.apply(e, archive: f.archive)
            try verifyTagged.apply(e, archive: f.archive)
        }
    }

    /// `payload` signed by `key` is refused with `code` at the next seq, by the full and the verification-only state.
    func expectRefusedBoth(_ payload: Payload, key: Ed25519PrivateKey, code: LedgerError.Code,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
        let signed = try f.next(payload, key: key)
        expectRefused(signed, by: f.state, archive: f.archive, code: code, seq: f.state.size, sourceLocation: sourceLocation)
        expectRefused(signed, by: verifyOnly, archive: f.archive, code: code, seq: f.state.size, sourceLocation: sourceLocation)
        expectRefused(signed, by: verifyTagged, archive: f.archive, code: code, seq: f.state.size, sourceLocation: sourceLocation)
    }

    func expectAcceptedBoth(_ payload: Payload, key: Ed25519PrivateKey, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let signed = try f.next(payload, key: key)
        _ = expectAccepted(signed, by: f.state, archive: f.archive, sourceLocation: sourceLocation)
        _ = expectAccepted(signed, by: verifyOnly, archive: f.archive, sourceLocation: sourceLocation)
        _ = expectAccepted(signed, by: verifyTagged, archive: f.archive, sourceLocation: sourceLocation)
    }

    /// The line of `payload` signed by `key`, parsed: for rules a payload's JSON must meet.
    func parseError(_ payload: Payload, key: Ed25519PrivateKey) throws -> LedgerError? {
        let signed = try f.next(payload, key: key)
        do { _ = try SignedEntry.parse(line: signed.line); return nil } catch { return error }
    }
}
