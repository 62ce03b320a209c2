import ClaimLedgerCore
import ClaimLedgerServer
import Synchronization
import Testing

@Suite struct LedgerWriterTests {
    func position(_ newsroom: Newsroom, _ i: Int) -> Draft {
        .editorial(.position(claim: "drone-claim", party: Party(name: "Party \(i)", kind: .other), stance: .qualifies,
                             date: CalendarDate("2026-01-07")!, quotes: [QuoteDraft(source: newsroom.sourceID, text: "ce que Kiev dément")],
                             evidence: [], note: nil))
    }

    @Test func everySubmitterIsAnsweredAfterItsEntriesAreDurable() async throws {
        let newsroom = try Newsroom()
        let commits = Atomic<Int>(0)
        let writer = LedgerWriter(ledgerDirectory: newsroom.ledger, committed: { _, _ in commits.add(1, ordering: .relaxed) })
        let runner = Task { try await writer.run() }
        let before = try newsroom.lineCount()
        let seqs = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<40 {
                group.addTask { try await writer.submit([self.position(newsroom, i)], key: newsroom.desk)[0].entry.seq }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        // Each acknowledged entry is in the file when its submitter hears back.
        #expect(Set(seqs).count == 40)
        #expect(try newsroom.lineCount() == before + 40)
        #expect(commits.load(ordering: .relaxed) >= 1)
        #expect(try newsroom.verify().failure == nil)
        writer.stop()
        try await runner.value
        await #expect(throws: WriterStopped.self) { try await writer.submit([self.position(newsroom, 99)], key: newsroom.desk) }
        #expect(try newsroom.lineCount() == before + 40)
    }

    @Test func aRefusedRequestDoesNotStopTheOthers() async throws {
        let newsroom = try Newsroom()
        let writer = LedgerWriter(ledgerDirectory: newsroom.ledger)
        let runner = Task { try await writer.run() }
        async let good = writer.submit([position(newsroom, 1)], key: newsroom.desk)
        async let bad = writer.submit([.payload(.amend(AmendPayload(claim: "no-such-claim", action: .retract, reason: "x")))], key: newsroom.desk)
        async let good2 = writer.submit([position(newsroom, 2)], key: newsroom.desk)
        #expect(try await good.count == 1)
        #expect(try await good2.count == 1)
        do {
            _ = try await bad
            Issue.record("a retraction of an unknown claim was appended")
        } catch let e as LedgerError {
            #expect(e.code == .unknownClaim)
        }
        writer.stop()
        try await runner.value
        #expect(try newsroom.verify().failure == nil)
    }
}
