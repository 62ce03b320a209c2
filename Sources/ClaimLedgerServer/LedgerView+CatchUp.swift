import ClaimLedgerCore
import ClaimLedgerStorage
import Dispatch
import LedgerCrypto
import Logging
import Synchronization

/// Catching up with a large append by another writer (a `claimledger import` into a served ledger) outside
/// the view's lock.
///
/// Verifying every new line and bringing the search index up to date takes seconds for a large import (a
/// 100,000-claim import kept the first request after it waiting 29-30 s); done by a request, under the view's
/// lock, every other request would wait with it. So when more than `inlineCatchUpBytes` were appended by
/// others, a request starts a catch-up and serves the snapshot it has; the catch-up verifies the new bytes
/// on a thread of its own, with a `LedgerStore` of its own, lets the observers that asked for it prepare
/// (the search index catches up to the new state), and only then publishes the new snapshot, under the
/// lock for a moment. The server's writer, which must answer with the state after its append, waits for it
/// (outside the view's lock), as it does for a small append it cannot verify at once because another
/// writer holds the writers' lock. Small appends (a `claim add` from a terminal) are still verified by the
/// request that finds them: the next page shows them.
extension LedgerView {
    /// About 350 entries of the usual size: a few milliseconds of verification under the view's lock.
    public static let defaultInlineCatchUpBytes = 256 << 10

    /// Whether a catch-up runs, and a way to wait until none does.
    final class CatchUp: @unchecked Sendable {  // `DispatchGroup` is thread-safe; the rest is under one mutex
        private struct State {
            var running = false
            /// Why the last catch-up stopped without publishing, for the writer waiting for it; the file size
            /// that started it, and when it failed.
            var failure: (error: any Error, size: Int, at: ContinuousClock.Instant)?
        }
        private let state = Mutex(State())
        private let group = DispatchGroup()
        /// How long requests leave alone a file size whose catch-up failed (the writer retries at once).
        static let retryAfter = Duration.seconds(5)
        /// Called with the state a catch-up verified, before it is published (`beforePublishingCatchUp`).
        let preparers = Mutex<[@Sendable (LedgerState) -> Void]>([])

        var isRunning: Bool { state.withLock { $0.running } }

        /// Marks a catch-up as running: false when one already runs.
        func begin() -> Bool {
            state.withLock { state in
                guard !state.running else { return false }
                state = State(running: true, failure: nil)
                group.enter()
                return true
            }
        }

        /// The catch-up started by a file of `size` bytes has ended, with `error` if it failed.
        func end(_ error: (any Error)?, size: Int) {
            state.withLock { $0 = State(running: false, failure: error.map { ($0, size, .now) }) }
            group.leave()
        }

        /// Whether the last catch-up, started by a file of `size` bytes, failed less than `retryAfter` ago.
        func failedRecently(atSize size: Int) -> Bool {
            state.withLock { $0.failure.map { $0.size == size && ContinuousClock.now - $0.at < Self.retryAfter } ?? false }
        }

        /// Returns once no catch-up runs (at once when none does); throws what stopped the last one.
        func waitUntilIdle() throws {
            group.wait()
            if let failed = state.withLock({ $0.failure }) { throw failed.error }
        }
    }

    /// Calls `prepare` with each state a catch-up has verified, before the view publishes it, on the
    /// catch-up's thread and outside the view's lock: derived data that a request would otherwise bring up to
    /// date itself (the search index) is ready when the snapshot is.
    public func beforePublishingCatchUp(_ prepare: @escaping @Sendable (LedgerState) -> Void) {
        catchUp.preparers.withLock { $0.append(prepare) }
    }

    /// Starts a catch-up unless one runs (the file has `size` bytes).
    func startCatchUp(size: Int) {
        guard catchUp.begin() else { return }
        DispatchQueue(label: "claimledger.view.catch-up").async { [self] in
            do {
                try catchUpWithAppends()
                catchUp.end(nil, size: size)
            } catch {
                Logger(label: "claimledger.view").error("catching up with the entries appended to \(directory) failed: \(error)")
                reportCatchUpFailure(error)
                catchUp.end(error, size: size)
            }
        }
    }

    /// Verifies what follows the view's snapshot (waiting for the writers' lock, if another writer holds it,
    /// to read the file's size) and publishes the result; again while more than `inlineCatchUpBytes` follow
    /// it. Stops at a failure of the entries (published, as a request's verification would); throws an error
    /// of the file (published as the snapshot's failure; the waiting writer gets it, and requests start
    /// another catch-up `retryAfter` later).
    private func catchUpWithAppends() throws {
        let store = try LedgerStore.open(directory)
        var first = true
        while true {
            let (base, seenCheckpoints) = inner.withLock { ($0.snapshot, $0.seenCheckpoints) }
            let size = Self.fileSize(store.entriesPath), (stamp, settled) = Self.checkpointStamp(directory)
            // The first pass takes whatever changed (the writer's refresh starts one for a few bytes, a
            // checkpoint, or a failure whose bytes may be gone, when another writer holds the lock); later
            // ones only a large append.
            let behind = size - base.verifiedBytes
            guard first ? behind != 0 || stamp != seenCheckpoints || base.failure != nil : behind > inlineCatchUpBytes else {
                // Nothing to verify: the size is seen, so that the writer waiting for this does not start another.
                if first { inner.withLock { if $0.snapshot.generation == base.generation { $0.seenBytes = size } } }
                return
            }
            first = false
            var leaves: (hashes: [SHA256Digest], lineStarts: [Int])?
            let outcome = try store.verify(resume: AuditState(state: base.state, offset: base.verifiedBytes))
            if outcome.state.size == outcome.report.entries, outcome.state.size > base.state.size {
                leaves = try Self.leafHashes(store.entriesPath, from: base.verifiedBytes, to: outcome.verifiedBytes)
                for prepare in catchUp.preparers.withLock({ $0 }) { prepare(outcome.state) }
            }
            let published = try inner.withLock { inner -> Bool in
                // A snapshot published meanwhile (none should be: requests do not verify while this runs and the
                // writer waits for it) would make this one stale: verify again from it.
                guard inner.snapshot.generation == base.generation else { return false }
                let next = try Self.snapshot(after: outcome, from: base, inner.store, leaves: leaves)
                // It may have verified more than `size` (not when the file shrank: the failure says so).
                inner.seenBytes = next.state.size > base.state.size ? max(size, next.verifiedBytes) : size
                inner.seenCheckpoints = stamp
                inner.seenCheckpointsSettled = settled
                _ = publish(next, in: &inner)
                return true
            }
            if published, outcome.report.failure != nil { return }
        }
    }

    /// Puts a catch-up's error in the snapshot's failure (the audit page and /api/v1/verification show it),
    /// the state unchanged: the appended bytes are neither shown nor said to be fine.
    private func reportCatchUpFailure(_ error: any Error) {
        inner.withLock { inner in
            let s = inner.snapshot
            let failed = ViewSnapshot(state: s.state, tree: s.tree, verifiedBytes: s.verifiedBytes, checkpoint: s.checkpoint,
                                      failure: "the entries appended after byte \(s.verifiedBytes) could not be read: \(error)",
                                      failureCode: (error as? StoreError)?.code.rawValue ?? "io", warningCount: s.warningCount,
                                      warnings: s.warnings, generation: s.generation + 1)
            _ = publish(failed, in: &inner)
            inner.seenBytes = Int.min  // looked at again (after `retryAfter`), even if the file is back as it was
        }
    }
}
