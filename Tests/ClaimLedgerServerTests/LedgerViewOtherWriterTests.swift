import ClaimLedgerCore
@testable import ClaimLedgerServer
import ClaimLedgerStorage
import Dispatch
import Foundation
import Synchronization
import Testing

/// Another process's writer (a CLI import copying its batch into `entries.jsonl` and fsyncing it) holds
/// the writers' lock while the file grows: a request's snapshot must not wait for it under the view's
/// lock, which every request takes, but serve the state it has; the next request after the lock is
/// released looks at the new bytes.
@Suite("Ledger view while another writer holds the lock") struct LedgerViewOtherWriterTests {
    @Test func aRequestServesWhatItHasWhileAnotherWriterHoldsTheLock() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            let before = try view.snapshot()
            // A line whose signature is wrong: only a verification of the new bytes reports it.
            let busy = LedgerViewWriterBusyTests()
            let forged = try busy.forgedStatus(ledger, after: before.state, rationale: "Being written by a terminal.", at: 40)
            let fd = open(ledger.ledger + "/entries.jsonl", O_RDONLY)
            #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
            try busy.appendToFile(ledger, forged)

            let answered = DispatchSemaphore(value: 0)
            let during = Mutex<Result<ViewSnapshot, any Error>?>(nil)
            Thread.detachNewThread {
                let outcome = Result { try view.snapshot() }
                during.withLock { $0 = outcome }
                answered.signal()
            }
            // Not a timing: a request that waits for the lock never answers while it is held, so after 10 s
            // the lock is released (the request then ends) and the test fails.
            let inTime = answered.wait(timeout: .now() + 10) == .success
            flock(fd, LOCK_UN)
            close(fd)
            if !inTime { answered.wait() }
            #expect(inTime, "the request waited for another writer's lock")
            let served = try #require(try during.withLock { $0 }?.get())
            #expect(served.generation == before.generation && served.state.head == before.state.head && served.failure == nil)

            let after = try view.snapshot()
            #expect(after.failure != nil, "once the lock is released, the next request did not verify the new bytes")
            #expect(after.state.head == before.state.head)
        }
    }
}
