import ClaimLedgerCore
import ClaimLedgerServer
import ClaimLedgerStorage
import Foundation
import LedgerCrypto
import Synchronization
import Testing

/// While the server's writer appends, a request's snapshot serves the state it has instead of verifying
/// the writer's batch (which would wait for the writer's lock under the view's lock, and check signatures
/// the writer made); the writer's own refresh, before it answers, is never put off.
@Suite("Ledger view while the server's writer appends") struct LedgerViewWriterBusyTests {
    /// A status entry after `state` whose signature is wrong: only a verification notices it.
    func forgedStatus(_ ledger: TestLedger, after state: LedgerState, rationale: String, at minute: Int) throws -> SignedEntry {
        let (signed, _) = try EntryAppender.append(
            [.status(StatusPayload(claim: "summit-claim", status: .refuted, rationale: rationale, evidence: [try #require(SHA256Digest(hex: ledger.sourceID))]))],
            to: state, key: ledger.desk, time: TestLedger.time(minute), archive: try LedgerStore.open(ledger.ledger).archive)
        var line = signed[0].line
        let at = (try #require(TestLedger.range(of: Array(#""signature":""#.utf8), in: line))) + 16
        line[at] = line[at] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        return try SignedEntry.parse(line: line)
    }

    func appendToFile(_ ledger: TestLedger, _ entry: SignedEntry) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: ledger.ledger + "/entries.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(entry.line + [0x0A]))
        try handle.close()
    }

    /// The batch's line carries a wrong signature, so the test sees whether the bytes were verified: a
    /// snapshot that verified them would report the failure and never take the offer.
    @Test func aRequestDuringTheWritersAppendServesTheStateBeforeItUnverified() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            let before = try view.snapshot()
            let batch = try forgedStatus(ledger, after: before.state, rationale: "Written, not yet offered.", at: 40)
            view.writerAppending(true)
            try appendToFile(ledger, batch)
            let during = try view.snapshot()
            #expect(during.state.size == before.state.size && during.generation == before.generation)
            #expect(during.failure == nil, "the writer's bytes were verified while it appended: \(during.failure ?? "")")
            view.offer([batch])
            view.writerAppending(false)
            let after = try view.refresh()
            #expect(after.state.size == before.state.size + 1 && after.failure == nil)
            #expect(after.state.head == batch.hash)
        }
    }

    /// Bytes the CLI appended before the writer's batch are picked up once it is over; the writer's own
    /// refresh (before it answers) verifies them at once even while it appends its next batch.
    @Test func otherWritersBytesWaitForTheBatchAtMostAndTheWritersRefreshNeverWaits() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            let before = try view.snapshot()
            view.writerAppending(true)
            let (cli, _) = try LedgerStore.open(ledger.ledger).append(
                [.status(StatusDraft(claim: "summit-claim", status: .corroborated, rationale: "From a terminal.", evidence: [ledger.sourceID]))],
                key: ledger.desk, time: TestLedger.time(30))
            #expect(try view.snapshot().state.size == before.state.size)
            let refreshed = try view.refresh()
            #expect(refreshed.state.size == before.state.size + 1 && refreshed.state.head == cli[0].hash && refreshed.failure == nil)
            view.writerAppending(false)

            // Once the writer is idle, a snapshot verifies what others appended, as before.
            let forged = try forgedStatus(ledger, after: refreshed.state, rationale: "Tampered.", at: 50)
            try appendToFile(ledger, forged)
            let verified = try view.snapshot()
            #expect(verified.state.size == refreshed.state.size)
            #expect(verified.failure != nil, "an idle writer's view did not verify new bytes")
        }
    }

    /// The writer says when each batch's append begins and ends, the end after its entries are offered.
    @Test func theWriterAnnouncesEachAppendAroundItsOffer() async throws {
        let newsroom = try Newsroom()
        let events = Mutex<[String]>([])
        let writer = LedgerWriter(ledgerDirectory: newsroom.ledger,
                                  appending: { active in events.withLock { $0.append(active ? "begin" : "end") } },
                                  durable: { entries in events.withLock { $0.append("offer \(entries.count)") } })
        let runner = Task { try await writer.run() }
        let draft = Draft.status(StatusDraft(claim: "drone-claim", status: .disputed, rationale: "one", evidence: []))
        _ = try await writer.submit([draft], key: newsroom.desk)
        await #expect(throws: (any Error).self) {
            try await writer.submit([.status(StatusDraft(claim: "no-such-claim", status: .disputed, rationale: "two", evidence: []))], key: newsroom.desk)
        }
        writer.stop()
        try await runner.value
        let seen = events.withLock { $0 }
        #expect(seen.count >= 5 && Array(seen.prefix(3)) == ["begin", "offer 1", "end"], "\(seen)")
        #expect(seen.last == "end" && seen.filter { $0 == "begin" }.count == seen.filter { $0 == "end" }.count, "\(seen)")
    }
}
