import ClaimLedgerCore
@testable import ClaimLedgerServer
import ClaimLedgerStorage
import Dispatch
import Foundation
import LedgerCrypto
import Logging
import Synchronization
import Testing

/// A large append by another writer (a CLI import into a served ledger) is verified by the view's catch-up,
/// outside the view's lock: the request that finds it serves the snapshot it has instead of verifying
/// every new line while every other request waits; the server's writer waits for it; a small append is
/// still seen by the next request. The view here catches up beyond 2 KiB instead of 256 KiB, so that a
/// few entries are a "large" append.
@Suite("Ledger view catching up with a large append") struct LedgerViewCatchUpTests {
    static let threshold = 2048

    /// The small test ledger, its view (catching up beyond `threshold`) and the view's first snapshot.
    static func servedLedger(in dir: String) throws -> (TestLedger, LedgerView, ViewSnapshot) {
        let ledger = try TestLedger.small(in: dir)
        let view = try LedgerView(directory: ledger.ledger, inlineCatchUpBytes: threshold)
        return (ledger, view, try view.snapshot())
    }

    /// Twelve statuses on one claim from another `LedgerStore` (another process's writer): about 8 KiB.
    func appendStatuses(_ ledger: TestLedger, count: Int = 12, from minute: Int = 20) throws -> Int {
        let store = try LedgerStore.open(ledger.ledger)
        let drafts = (0..<count).map { i in
            Draft.status(StatusDraft(claim: "summit-claim", status: i % 2 == 0 ? .corroborated : .disputed,
                                     rationale: "Imported from a terminal, status \(i) of \(count).", evidence: [ledger.sourceID]))
        }
        _ = try store.append(drafts, key: ledger.desk, time: TestLedger.time(minute))
        return count
    }

    /// Asks for snapshots until one holds `size` entries (a catch-up publishes within seconds here).
    func awaitSnapshot(_ view: LedgerView, size: Int) throws -> ViewSnapshot {
        let deadline = DispatchTime.now() + .seconds(30)
        while true {
            let snapshot = try view.snapshot()
            if snapshot.state.size >= size || DispatchTime.now() > deadline { return snapshot }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    @Test func aRequestServesWhatItHasWhileTheCatchUpVerifies() async throws {
        try await withTemporaryDirectory { dir in
            let (ledger, view, before) = try Self.servedLedger(in: dir)
            let added = try appendStatuses(ledger)

            let first = try view.snapshot()
            #expect(first.generation == before.generation && first.state.size == before.state.size,
                    "the request verified a large append itself, under the view's lock")
            let caughtUp = try awaitSnapshot(view, size: before.state.size + added)
            #expect(caughtUp.state.size == before.state.size + added && caughtUp.failure == nil)
            #expect(caughtUp.state.claims["summit-claim"]?.status == .disputed)
            // The tree took the new leaves and their lines' starts (the pages read lines from them).
            let last = try caughtUp.tree.lineBounds(caughtUp.state.size - 1, size: caughtUp.state.size, verifiedBytes: caughtUp.verifiedBytes)
            #expect(last.start > before.verifiedBytes && last.end == caughtUp.verifiedBytes)
        }
    }

    @Test func theWritersRefreshAnswersWithTheLargeAppend() async throws {
        try await withTemporaryDirectory { dir in
            let (ledger, view, before) = try Self.servedLedger(in: dir)
            let added = try appendStatuses(ledger)
            let refreshed = try view.refresh()  // starts the catch-up, and waits for it
            #expect(refreshed.state.size == before.state.size + added, "the writer's refresh answered before the catch-up")
        }
    }

    /// A large append whose first entry's signature is wrong: the catch-up publishes the failure once and
    /// stops; the requests after it do not verify the same bytes again and again.
    @Test func aLargeAppendThatDoesNotVerifyIsReportedOnce() async throws {
        try await withTemporaryDirectory { dir in
            let (ledger, view, before) = try Self.servedLedger(in: dir)
            let evidence = [try #require(SHA256Digest(hex: ledger.sourceID))]
            let (signed, _) = try EntryAppender.append(
                (0..<13).map { i in .status(StatusPayload(claim: "summit-claim", status: .corroborated, rationale: "Status \(i) of a bad batch.", evidence: evidence)) },
                to: before.state, key: ledger.desk, time: TestLedger.time(40), archive: try LedgerStore.open(ledger.ledger).archive)
            var lines = signed.map(\.line)
            let at = (try #require(TestLedger.range(of: Array(#""signature":""#.utf8), in: lines[0]))) + 16
            lines[0][at] = lines[0][at] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: ledger.ledger + "/entries.jsonl"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(lines.flatMap { $0 + [0x0A] }))
            try handle.close()

            let deadline = DispatchTime.now() + .seconds(30)
            var reported = try view.snapshot()
            while reported.failure == nil, DispatchTime.now() < deadline {
                try await Task.sleep(for: .milliseconds(10))
                reported = try view.snapshot()
            }
            #expect(reported.failure != nil && reported.state.size == before.state.size)
            try await Task.sleep(for: .milliseconds(200))
            for _ in 0..<3 { #expect(try view.snapshot().generation == reported.generation, "the bad append was verified again") }
        }
    }

    /// The writer's own batch, then a CLI's large append after it, then a new checkpoint: the writer's refresh
    /// adopts its batch and leaves the rest (checkpoint included) to a catch-up instead of verifying the
    /// large append under the view's lock.
    @Test func aCheckpointBehindALargeAppendIsLeftToTheCatchUp() async throws {
        try await withTemporaryDirectory { dir in
            let (ledger, view, before) = try Self.servedLedger(in: dir)
            let busy = LedgerViewWriterBusyTests()
            let (mine, _) = try EntryAppender.append(
                [.status(StatusPayload(claim: "summit-claim", status: .corroborated, rationale: "Recorded on the web.",
                                       evidence: [try #require(SHA256Digest(hex: ledger.sourceID))]))],
                to: before.state, key: ledger.desk, time: TestLedger.time(30), archive: try LedgerStore.open(ledger.ledger).archive)
            view.writerAppending(at: try busy.fileSize(ledger))
            try busy.appendToFile(ledger, mine[0])
            view.offer(mine)
            view.writerAppending(at: nil)
            let added = try appendStatuses(ledger, from: 31)
            let checkpoints = ledger.ledger + "/checkpoints"
            try FileManager.default.createDirectory(atPath: checkpoints, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: checkpoints + "/.tmp-1-1", contents: Data()))
            try FileManager.default.removeItem(atPath: checkpoints + "/.tmp-1-1")

            let refreshed = try view.refresh()
            #expect(refreshed.state.size == before.state.size + 1, "the large append was verified with the checkpoint, under the view's lock")
            let caughtUp = try awaitSnapshot(view, size: before.state.size + 1 + added)
            #expect(caughtUp.state.size == before.state.size + 1 + added && caughtUp.failure == nil)
        }
    }

    @Test func aSmallAppendIsSeenByTheNextRequest() async throws {
        try await withTemporaryDirectory { dir in
            let (ledger, view, before) = try Self.servedLedger(in: dir)
            let added = try appendStatuses(ledger, count: 1)
            #expect(try view.snapshot().state.size == before.state.size + added)
        }
    }

    @Test func theSearchIndexHasTheStateWhenTheCatchUpPublishesIt() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger, inlineCatchUpBytes: Self.threshold)
            // The index would follow a published snapshot only a minute later: what it has at once, the
            // catch-up gave it.
            let search = try #require(IndexClaimSearch.attach(to: view, logger: Logger(label: "test"), followDelay: .seconds(60)))
            let before = try view.snapshot()
            #expect(search.indexedSize.load(ordering: .acquiring) == before.state.size)
            let added = try appendStatuses(ledger)
            _ = try view.snapshot()
            let caughtUp = try awaitSnapshot(view, size: before.state.size + added)
            #expect(caughtUp.state.size == before.state.size + added)
            #expect(search.indexedSize.load(ordering: .acquiring) == caughtUp.state.size,
                    "the snapshot was published before the search index had its state")
        }
    }
}

/// The server's writer must answer with the bytes another writer appended before its own: when that
/// writer still holds the writers' lock, the writer's refresh waits for it outside the view's lock, so that
/// requests meanwhile serve the state they have.
@Suite("Ledger view: the writer's refresh while another writer holds the lock") struct LedgerViewWriterWaitTests {
    @Test func requestsAreAnsweredWhileTheWritersRefreshWaits() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            let before = try view.snapshot()
            let (signed, _) = try EntryAppender.append(
                [.status(StatusPayload(claim: "summit-claim", status: .corroborated, rationale: "Confirmed from a terminal.",
                                       evidence: [try #require(SHA256Digest(hex: ledger.sourceID))]))],
                to: before.state, key: ledger.desk, time: TestLedger.time(30), archive: try LedgerStore.open(ledger.ledger).archive)
            let fd = open(ledger.ledger + "/entries.jsonl", O_RDONLY)
            #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
            try LedgerViewWriterBusyTests().appendToFile(ledger, signed[0])

            let refreshed = DispatchSemaphore(value: 0), answered = DispatchSemaphore(value: 0)
            let writerSaw = Mutex<Result<ViewSnapshot, any Error>?>(nil), requestSaw = Mutex<Result<ViewSnapshot, any Error>?>(nil)
            Thread.detachNewThread {
                let outcome = Result { try view.refresh() }
                writerSaw.withLock { $0 = outcome }
                refreshed.signal()
            }
            // The writer's refresh has started a catch-up, which waits for the lock.
            let waiting = DispatchTime.now() + .seconds(10)
            while !view.catchUp.isRunning, DispatchTime.now() < waiting { try await Task.sleep(for: .milliseconds(5)) }
            #expect(view.catchUp.isRunning, "the writer's refresh did not start a catch-up")
            Thread.detachNewThread {
                let outcome = Result { try view.snapshot() }
                requestSaw.withLock { $0 = outcome }
                answered.signal()
            }
            // Not a timing: a request that waits behind the writer's refresh never answers while the lock is
            // held, so after 10 s the lock is released (the request then ends) and the test fails.
            let inTime = answered.wait(timeout: .now() + 10) == .success
            let writerDoneEarly = refreshed.wait(timeout: .now()) == .success
            flock(fd, LOCK_UN)
            close(fd)
            if !inTime { answered.wait() }
            #expect(inTime, "a request waited behind the writer's refresh, under the view's lock")
            #expect(!writerDoneEarly, "the writer's refresh answered while another writer held the lock")
            #expect(try requestSaw.withLock { $0 }?.get().state.size == before.state.size)
            if !writerDoneEarly { refreshed.wait() }
            #expect(try writerSaw.withLock { $0 }?.get().state.size == before.state.size + 1)
        }
    }
}

/// A bad line reported by the view and then cut off (`claimledger recover`): the next request verifies
/// again and no longer reports it.
@Suite("Ledger view after a bad tail is cut off") struct LedgerViewRecoveredTests {
    @Test func theFailureGoesOnceTheBadBytesAreGone() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            let before = try view.snapshot()
            let busy = LedgerViewWriterBusyTests()
            try busy.appendToFile(ledger, try busy.forgedStatus(ledger, after: before.state, rationale: "Forged.", at: 50))
            let reported = try view.snapshot()
            #expect(reported.failure != nil && reported.verifiedBytes == before.verifiedBytes)
            #expect(truncate(ledger.ledger + "/entries.jsonl", off_t(reported.verifiedBytes)) == 0)
            let after = try view.snapshot()
            #expect(after.failure == nil, "the view still reports bytes that are gone")
            #expect(after.state.size == before.state.size)
        }
    }
}
