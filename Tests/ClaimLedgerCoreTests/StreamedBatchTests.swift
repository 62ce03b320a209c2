import ClaimLedgerCore
import LedgerCrypto
import Testing

/// The streamed batch: entries chained without signatures, then signed and read back a chunk at a time,
/// give the very lines of the one-batch appender.
@Suite struct StreamedBatchTests {
    @Test func chainedThenSignedLinesEqualTheAppendersLines() throws {
        let f = try LedgerFixture()
        let payloads: [Payload] = (0..<130).map { i in
            i % 2 == 0 ? .claim(f.claimPayload(id: "streamed-\(i)")) : .status(StatusPayload(claim: "streamed-\(i - 1)", status: .refuted,
                                                                                          rationale: "r\(i)", evidence: []))
        }
        let time = Timestamp(secondsSinceEpoch: LedgerFixture.start.secondsSinceEpoch + 600)
        let (expected, after) = try EntryAppender.append(payloads, to: f.state, key: f.journalist, time: time, archive: f.archive)
        var state = f.state
        var chained = [SignedEntry]()
        for p in payloads {
            chained.append(try StreamedBatch.chain(p, onto: &state, signer: f.journalist.publicKey.keyID,
                                                   time: StreamedBatch.time(time, after: f.state), archive: f.archive))
        }
        #expect(state.head == after.head && state.size == after.size)
        let lines = try SignedLinesChunk(chained, key: f.journalist).result().get()
        #expect(lines == expected.flatMap { $0.line + [0x0A] })
        for (e, x) in zip(chained, expected) { #expect(e.canonicalBytes.count + StreamedBatch.lineOverhead == x.line.count) }
    }
}
