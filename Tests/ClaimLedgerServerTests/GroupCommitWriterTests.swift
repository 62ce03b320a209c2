import ClaimLedgerCore
import ClaimLedgerServer
import ClaimLedgerStorage
import Foundation
import Synchronization
import Testing

/// The server's one writer commits queued requests together (group commit: one fsync for many), and a
/// writable server at start cuts back a group it died writing (never acknowledged).
@Suite struct GroupCommitWriterTests {
    func status(_ i: Int) -> Draft {
        .status(StatusDraft(claim: "drone-claim", status: .disputed, rationale: "group \(i)", evidence: []))
    }

    @Test func concurrentSubmittersShareCommits() async throws {
        let newsroom = try Newsroom()
        let commits = Atomic<Int>(0)
        let writer = LedgerWriter(ledgerDirectory: newsroom.ledger, committed: { _, _ in commits.add(1, ordering: .relaxed) })
        let runner = Task { try await writer.run() }
        let before = try newsroom.lineCount()
        let count = 64
        let seqs = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<count {
                group.addTask { try await writer.submit([self.status(i)], key: i % 2 == 0 ? newsroom.desk : newsroom.ed)[0].entry.seq }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        writer.stop()
        try await runner.value
        #expect(Set(seqs) == Set(before..<(before + count)))
        #expect(try newsroom.lineCount() == before + count)
        // 64 requests queued at once: the writer takes whatever is queued, so far fewer commits than requests.
        let made = commits.load(ordering: .relaxed)
        #expect(made >= 1 && made < count / 2, "\(made) commits for \(count) concurrent requests")
        #expect(try newsroom.verify().failure == nil)
    }

    /// The pipeline: while the first batch's views are being brought up to date (its `committed` held
    /// here until the file has the second batch), the second batch is appended, and its entries are
    /// offered (`durable`) before it is answered. Submitters are still answered in order.
    @Test func theNextBatchIsAppendedWhileTheLastOneIsPublished() async throws {
        let newsroom = try Newsroom()
        let before = try newsroom.lineCount()
        let firstPublishing = Atomic<Bool>(false), sawSecondDurable = Atomic<Bool>(false), offered = Mutex<[Int]>([])
        let writer = LedgerWriter(ledgerDirectory: newsroom.ledger, durable: { entries in offered.withLock { $0 += entries.map(\.entry.seq) } },
                                  committed: { state, _ in
            guard state.size == before + 1 else { return }
            firstPublishing.store(true, ordering: .sequentiallyConsistent)
            for _ in 0..<500 where !sawSecondDurable.load(ordering: .sequentiallyConsistent) {
                if (try? newsroom.lineCount()) == before + 2 { sawSecondDurable.store(true, ordering: .sequentiallyConsistent) }
                try? await Task.sleep(nanoseconds: 10_000_000)
            }
        })
        let runner = Task { try await writer.run() }
        let first = Task { try await writer.submit([self.status(1)], key: newsroom.desk) }
        while !firstPublishing.load(ordering: .sequentiallyConsistent) { try await Task.sleep(nanoseconds: 1_000_000) }
        let second = try await writer.submit([self.status(2)], key: newsroom.ed)
        #expect(try await first.value[0].entry.seq == before && second[0].entry.seq == before + 1)
        let overlapped = sawSecondDurable.load(ordering: .sequentiallyConsistent)
        #expect(overlapped, "the second batch waited for the first one's views")
        let offeredSeqs = offered.withLock { $0 }
        #expect(offeredSeqs == [before, before + 1])
        writer.stop()
        try await runner.value
        #expect(try newsroom.verify().failure == nil)
    }

    @Test func aGroupCutShortByACrashIsRemovedAtStart() throws {
        let newsroom = try Newsroom()
        let path = newsroom.ledger + "/entries.jsonl"
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        // What a SIGKILL between the marker and the fsync can leave: the marker and part of the group.
        let half = Data(#"{"entry":{"payload":{"claim":"drone-claim","rationale":"never acknowledged"#.utf8)
        try (before + half).write(to: URL(fileURLWithPath: path))
        try Data("\(before.count) \(before.count + 2 * half.count)\n".utf8).write(to: URL(fileURLWithPath: newsroom.ledger + "/append-in-progress"))
        #expect(throws: StoreError.self) { try LedgerStore.open(newsroom.ledger).append([status(0)], key: newsroom.desk, time: Timestamp(secondsSinceEpoch: 1_800_000_000)) }

        #expect(try LedgerWriter.settleCrashedGroup(ledgerDirectory: newsroom.ledger) == half.count)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: newsroom.ledger + "/append-in-progress"))
        #expect(try LedgerWriter.settleCrashedGroup(ledgerDirectory: newsroom.ledger) == 0)
        #expect(try newsroom.verify().failure == nil)
        _ = try LedgerStore.open(newsroom.ledger).append([status(1)], key: newsroom.desk, time: Timestamp(secondsSinceEpoch: 1_800_000_000))
        #expect(try newsroom.lineCount() == before.split(separator: 0x0A).count + 1)
    }
}
