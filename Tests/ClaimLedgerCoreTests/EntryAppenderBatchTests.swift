import ClaimLedgerCore
import LedgerCrypto
import Testing

/// Batches larger than one signing chunk: entries are chained in order on one thread and signed on
/// others, chunk by chunk; the result must be what appending them one by one gives.
@Suite("Entry appender: batches across signing chunks")
struct EntryAppenderBatchTests {
    @Test("A batch of 2,600 claims and statuses comes back in order, chained, each signature valid; a verifier accepts it")
    func largeBatchVerifies() throws {
        let f = try LedgerFixture()
        let payloads: [Payload] = (0..<1300).flatMap { i -> [Payload] in
            [.claim(f.claimPayload(id: "claim-\(i)")), .status(f.statusPayload(i % 2 == 0 ? .refuted : .corroborated, claim: "claim-\(i)"))]
        }
        let time = Timestamp(secondsSinceEpoch: LedgerFixture.start.secondsSinceEpoch + 600)
        let (entries, next) = try EntryAppender.append(payloads, to: f.state, key: f.journalist, time: time, archive: f.archive)
        #expect(entries.count == payloads.count && next.size == f.state.size + payloads.count)
        var verifier = LedgerVerifier(archive: f.archive, resuming: f.state)
        for e in entries { verifier.verify(line: e.line) }
        let report = verifier.finish()
        #expect(report.ok && report.entries == next.size && report.head == next.head, "\(report)")
        #expect(entries.map(\.entry.seq) == Array(f.state.size..<next.size))
    }

    /// A chunk of up to 64 entries is signed on the calling thread, a larger one on other threads in pieces
    /// of 64 (1,025 and 1,088: a chunk of 1,024 on other threads, then the rest on this one): either
    /// way the lines are those of appending the payloads one at a time (Ed25519 is deterministic), each
    /// signature valid.
    @Test("A batch signed on the calling thread or on others gives the lines of one-by-one appends", arguments: [1, 64, 65, 130, 1025, 1088])
    func inlineAndDispatchedSigningAgree(count: Int) throws {
        let f = try LedgerFixture()
        let payloads: [Payload] = (0..<count).map { .claim(f.claimPayload(id: "claim-\($0)")) }
        let time = Timestamp(secondsSinceEpoch: LedgerFixture.start.secondsSinceEpoch + 600)
        let (together, after) = try EntryAppender.append(payloads, to: f.state, key: f.journalist, time: time, archive: f.archive)
        var state = f.state
        var oneByOne = [[UInt8]]()
        for payload in payloads {
            let (entries, next) = try EntryAppender.append([payload], to: state, key: f.journalist, time: time, archive: f.archive)
            oneByOne += entries.map(\.line)
            state = next
        }
        #expect(together.map(\.line) == oneByOne && after.head == state.head)
        #expect(together.allSatisfy { $0.signature.count == 64 && f.journalist.publicKey.isValidSignature($0.signature, for: $0.canonicalBytes) })
    }

    @Test("A rule broken in a later chunk refuses the whole batch with that entry's error", arguments: [5, 1500, 2599])
    func ruleBrokenInALaterChunk(at bad: Int) throws {
        let f = try LedgerFixture()
        var payloads: [Payload] = (0..<2600).map { .claim(f.claimPayload(id: "claim-\($0)")) }
        payloads[bad] = .claim(f.claimPayload(id: "claim-0"))  // the first claim's id again
        let before = f.state
        let time = Timestamp(secondsSinceEpoch: LedgerFixture.start.secondsSinceEpoch + 600)
        let error = #expect(throws: LedgerError.self) {
            _ = try EntryAppender.append(payloads, to: before, key: f.journalist, time: time, archive: f.archive)
        }
        #expect(error?.code == .duplicateID && error?.seq == before.size + bad, "\(error?.description ?? "no error")")
    }
}
