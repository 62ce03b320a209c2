import CanonicalJSON
import ClaimLedgerCore
import LedgerCrypto
import Testing

/// `LedgerVerifier.submit(lines:)` and `verify(lines:)` (batches on all cores, pipelined) report exactly what
/// verifying line by line reports, whatever the batch sizes and wherever failures fall: the first failure
/// wins, a bad signature before a rule failure included.
@Suite struct PipelinedVerificationTests {
    /// The fixture's five entries, then `claims` claims each followed by a status.
    static func ledger(claims: Int) throws -> (LedgerFixture, [[UInt8]]) {
        var f = try LedgerFixture()
        for i in 0..<claims {
            let id = "claim-\(i)"
            try f.append([.claim(f.claimPayload(id: id)), .status(f.statusPayload(.corroborated, claim: id))],
                         key: f.journalist, minutes: 4 + Int64(i))
        }
        return (f, f.entries.map(\.line))
    }

    /// `line` with its signature replaced by `other`'s: it parses, but its signature does not verify.
    static func withSignature(of other: SignedEntry, in entry: SignedEntry) -> [UInt8] {
        Array(#"{"entry":"#.utf8) + entry.canonicalBytes + Array(#","hash":""#.utf8) + Array(entry.hash.hex.utf8)
            + Array(#"","signature":""#.utf8) + Array(Base64.encode(other.signature).utf8) + Array(#""}"#.utf8)
    }

    struct Outcome: Equatable, CustomStringConvertible {
        var entries: Int, head: SHA256Digest, code: LedgerError.Code?, seq: Int?
        init(_ r: VerificationReport) { (entries, head, code, seq) = (r.entries, r.head, r.failure?.code, r.failure?.seq) }
        var description: String { "\(entries) entries, \(code.map { "\($0.rawValue) at \(seq ?? -1)" } ?? "ok")" }
    }

    /// Line by line, with the root after each size.
    static func reference(_ lines: [[UInt8]], archive: some SourceArchive) -> (Outcome, [SHA256Digest]) {
        var verifier = LedgerVerifier(archive: archive, keepingRecords: false)
        var roots = [verifier.state.rootHash]
        for line in lines {
            verifier.verify(line: line)
            if verifier.failure == nil { roots.append(verifier.state.rootHash) }
        }
        return (Outcome(verifier.finish()), roots)
    }

    static func pipelined(_ lines: [[UInt8]], batch: Int, archive: some SourceArchive, rootAt: Int, settleEach: Bool)
        -> (Outcome, SHA256Digest?)
    {
        var verifier = LedgerVerifier(archive: archive, keepingRecords: false)
        verifier.requestRoot(atSize: rootAt)
        var settled = 0
        for lo in stride(from: 0, to: lines.count, by: batch) {
            let chunk = Array(lines[lo..<min(lo + batch, lines.count)])
            if settleEach { verifier.verify(lines: chunk) } else { verifier.submit(lines: chunk) }
            #expect(verifier.settledEntries >= settled)
            settled = verifier.settledEntries
        }
        return (Outcome(verifier.finish()), verifier.requestedRoot)
    }

    /// Checks every batch size and both entry points against the line-by-line outcome.
    static func expectSameOutcome(_ lines: [[UInt8]], archive: some SourceArchive, _ comment: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        let (want, roots) = reference(lines, archive: archive)
        for batch in [1, 2, 3, 5, 8, 13, 64, 10_000] {
            for settleEach in [false, true] {
                let rootAt = (batch * 7) % (lines.count + 2)
                let (got, root) = pipelined(lines, batch: batch, archive: archive, rootAt: rootAt, settleEach: settleEach)
                #expect(got == want, "\(comment), batch \(batch): got \(got), want \(want)", sourceLocation: sourceLocation)
                let wantRoot = rootAt <= want.entries ? roots[rootAt] : nil
                #expect(root == wantRoot, "\(comment), batch \(batch): root at \(rootAt)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("an intact ledger verifies in full, with the root at any size")
    func intact() throws {
        let (f, lines) = try Self.ledger(claims: 30)
        Self.expectSameOutcome(lines, archive: f.archive, "intact")
        let (outcome, _) = Self.reference(lines, archive: f.archive)
        #expect(outcome.code == nil && outcome.entries == lines.count)
        #expect(lines.allSatisfy { $0.withUnsafeBytes(JCS.isCertainlyCanonical) }, "written lines take the fast canonical check")
    }

    @Test("a bad signature anywhere is reported at its seq, with the verified prefix before it")
    func badSignature() throws {
        let (f, lines) = try Self.ledger(claims: 30)
        for p in [1, 2, 4, 5, 6, 9, 16, 17, 33, 64] {
            var bad = lines
            bad[p] = Self.withSignature(of: f.entries[p - 1], in: f.entries[p])
            Self.expectSameOutcome(bad, archive: f.archive, "bad signature at \(p)")
            #expect(Self.reference(bad, archive: f.archive).0.code == .badSignature)
        }
    }

    @Test("a bad signature before a rule failure wins; a rule failure before a bad signature wins")
    func firstFailureWins() throws {
        let (f, lines) = try Self.ledger(claims: 30)
        for (p, q) in [(3, 4), (5, 40), (12, 13), (20, 60), (40, 5), (13, 12), (60, 20), (9, 9)] {
            var bad = lines
            bad[p] = Self.withSignature(of: f.entries[p - 1], in: f.entries[p])
            bad[q] = q % 2 == 0 ? lines[q - 1] : Array("not json".utf8)
            Self.expectSameOutcome(bad, archive: f.archive, "bad signature at \(p), rule failure at \(q)")
        }
    }

    @Test("an entry failing a payload rule with a bad signature is reported as a bad signature")
    func payloadFailureWithBadSignature() throws {
        let (f, lines) = try Self.ledger(claims: 10)
        let duplicate = try f.next(.claim(f.claimPayload(id: "claim-3")), key: f.journalist)
        let intactTail = lines + [duplicate.line] + lines.suffix(3)
        Self.expectSameOutcome(intactTail, archive: f.archive, "duplicate claim")
        #expect(Self.reference(intactTail, archive: f.archive).0.code == .duplicateID)
        var bad = intactTail
        bad[lines.count] = Self.withSignature(of: f.entries[3], in: duplicate)
        Self.expectSameOutcome(bad, archive: f.archive, "duplicate claim, bad signature")
        #expect(Self.reference(bad, archive: f.archive).0.code == .badSignature)
    }

    @Test("lines after a failure are ignored, and finish settles what is pending")
    func stopsAndSettles() throws {
        let (f, lines) = try Self.ledger(claims: 10)
        var verifier = LedgerVerifier(archive: f.archive, keepingRecords: false)
        verifier.submit(lines: Array(lines[0..<8]))
        verifier.submit(lines: [Array("garbage".utf8)])
        #expect(verifier.stopped && verifier.failure == nil, "the parse failure is pending until settled")
        verifier.submit(lines: Array(lines[9...]))
        let report = verifier.finish()
        #expect(report.failure?.code == .json && report.failure?.seq == 8 && report.entries == 8)
        #expect(report.head == f.entries[7].hash)
    }
}
