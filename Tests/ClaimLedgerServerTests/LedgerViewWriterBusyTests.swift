import ClaimLedgerCore
@testable import ClaimLedgerServer
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

    func fileSize(_ ledger: TestLedger) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: ledger.ledger + "/entries.jsonl")[.size] as? Int)
    }

    /// The batch's line carries a wrong signature, so the test sees whether the bytes were verified: a
    /// snapshot that verified them would report the failure and never take the offer.
    @Test func aRequestDuringTheWritersAppendServesTheStateBeforeItUnverified() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            let before = try view.snapshot()
            let batch = try forgedStatus(ledger, after: before.state, rationale: "Written, not yet offered.", at: 40)
            view.writerAppending(at: try fileSize(ledger))
            try appendToFile(ledger, batch)
            let during = try view.snapshot()
            #expect(during.state.size == before.state.size && during.generation == before.generation)
            #expect(during.failure == nil, "the writer's bytes were verified while it appended: \(during.failure ?? "")")
            view.offer([batch])
            view.writerAppending(at: nil)
            let after = try view.refresh()
            #expect(after.state.size == before.state.size + 1 && after.failure == nil)
            #expect(after.state.head == batch.hash)
        }
    }

    /// The writer's own refresh, before it answers, takes its batch even while it is still announced.
    @Test func theWritersRefreshIsNeverPutOff() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            let before = try view.snapshot()
            view.writerAppending(at: try fileSize(ledger))
            let (batch, _) = try LedgerStore.open(ledger.ledger).append(
                [.status(StatusDraft(claim: "summit-claim", status: .corroborated, rationale: "The writer's batch.", evidence: [ledger.sourceID]))],
                key: ledger.desk, time: TestLedger.time(30))
            #expect(try view.snapshot().state.size == before.state.size)
            let refreshed = try view.refresh()
            #expect(refreshed.state.size == before.state.size + 1 && refreshed.state.head == batch[0].hash && refreshed.failure == nil)
        }
    }

    /// Bytes someone else appended before the writer's batch (a CLI that had the lock first) are verified
    /// at the next request, as are new bytes when the writer is idle.
    @Test func bytesOthersAppendedAreNeverPutOff() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            let before = try view.snapshot()
            let (cli, _) = try LedgerStore.open(ledger.ledger).append(
                [.status(StatusDraft(claim: "summit-claim", status: .corroborated, rationale: "From a terminal.", evidence: [ledger.sourceID]))],
                key: ledger.desk, time: TestLedger.time(30))
            view.writerAppending(at: try fileSize(ledger))  // the writer's batch starts after the CLI's entry
            let seen = try view.snapshot()
            #expect(seen.state.size == before.state.size + 1 && seen.state.head == cli[0].hash && seen.failure == nil)
            view.writerAppending(at: nil)

            let forged = try forgedStatus(ledger, after: seen.state, rationale: "Tampered.", at: 50)
            try appendToFile(ledger, forged)
            let verified = try view.snapshot()
            #expect(verified.state.size == seen.state.size)
            #expect(verified.failure != nil, "an idle writer's view did not verify new bytes")
        }
    }

    /// A file that shrank while the writer's batch is announced (a rollback, an edit) is looked at, not put off.
    @Test func aShrunkFileIsNeverPutOff() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            #expect(try view.snapshot().failure == nil)
            view.writerAppending(at: try fileSize(ledger))
            let path = ledger.ledger + "/entries.jsonl"
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let lastLineStart = try #require(bytes.dropLast().lastIndex(of: 0x0A)) + 1
            try bytes.prefix(lastLineStart).write(to: URL(fileURLWithPath: path))
            #expect(try view.snapshot().failure != nil, "the view did not notice that its last entry is gone")
        }
    }

    /// The writer announces each batch it writes with the offset where it starts, under the lock, then
    /// ends the announcement after its offer; a batch refused whole writes nothing and only ends it.
    @Test func theWriterAnnouncesEachBatchWhereItStarts() async throws {
        let newsroom = try Newsroom()
        let start = try newsroom.entries().count
        let events = Mutex<[String]>([])
        let writer = LedgerWriter(ledgerDirectory: newsroom.ledger,
                                  appending: { at in events.withLock { $0.append(at.map { "write at \($0)" } ?? "over") } },
                                  durable: { entries in events.withLock { $0.append("offer \(entries.count)") } })
        let runner = Task { try await writer.run() }
        let draft = Draft.status(StatusDraft(claim: "drone-claim", status: .disputed, rationale: "one", evidence: []))
        _ = try await writer.submit([draft], key: newsroom.desk)
        await #expect(throws: (any Error).self) {
            try await writer.submit([.status(StatusDraft(claim: "no-such-claim", status: .disputed, rationale: "two", evidence: []))], key: newsroom.desk)
        }
        writer.stop()
        try await runner.value
        #expect(events.withLock { $0 } == ["write at \(start)", "offer 1", "over", "over"])
    }
}
