import ClaimLedgerCore
import ClaimLedgerStorage
import Dispatch
import Glibc
import LedgerCrypto
import Logging
import ServiceLifecycle
import Synchronization

/// The server's one writer. Every HTTP write is a `Request` submitted here; a task takes whatever
/// requests are queued (up to `maxBatch`) and appends them together (`LedgerWriter.appendBatch`), on
/// a thread of its own since the appends block on the writers' lock and fsync. Each submitter is
/// answered only once its entries are durable, and after `committed` has brought the server's views
/// (the in-memory ledger view, the search index) up to the new state.
///
/// The two halves run as a pipeline: while one batch's views are brought up to date and its submitters
/// answered (in order, by a second task), the next batch is already being appended. `durable` is called
/// on the writer's thread as soon as a batch is durable, before the next one is appended (to offer its
/// entries to the view).
///
/// As a `Service` it runs beside the HTTP server; the application starts it before the server and
/// stops it after, so a graceful shutdown lets the server finish its requests, then the writer commits
/// what is queued. A request it never commits (the process killed) was never acknowledged.
public final class LedgerWriter: Service, Sendable {
    public struct Request: Sendable {
        public var drafts: [Draft]
        public var key: Ed25519PrivateKey
        /// Nil: the time of the batch's commit.
        public var time: Timestamp?

        public init(drafts: [Draft], key: Ed25519PrivateKey, time: Timestamp? = nil) {
            self.drafts = drafts
            self.key = key
            self.time = time
        }
    }

    /// Called after each batch is durable, with the ledger's state after it and the entries appended (in
    /// the order written), before any of its submitters is answered (to refresh the views the next page
    /// is read from).
    public typealias Committed = @Sendable (LedgerState, [SignedEntry]) async -> Void
    /// Called on the writer's thread with each batch's entries once they are durable.
    public typealias Durable = @Sendable ([SignedEntry]) -> Void
    /// Called on the writer's thread for each batch that writes: with the offset in `entries.jsonl` where its
    /// bytes start, under the writers' lock just before they are written; then with nil once the append is
    /// over (its entries offered to `durable`, or its write failed), before any of its submitters is
    /// answered. A batch refused whole writes nothing and gets only the nil.
    public typealias Appending = @Sendable (Int?) -> Void

    private struct Pending: Sendable {
        let request: Request
        let answer: CheckedContinuation<[SignedEntry], any Error>
    }

    /// A batch appended (or refused as a whole), waiting for its views and answers.
    private struct Appended: Sendable {
        let batch: [Pending]
        let outcome: Result<([Result<[SignedEntry], any Error>], LedgerState?), any Error>
        /// The entries appended, in the order written (empty when nothing was).
        let entries: [SignedEntry]
    }

    public let ledgerDirectory: String
    public let maxBatch: Int
    private let committed: Committed
    private let durable: Durable
    private let appending: Appending
    private let stream: AsyncStream<Pending>
    private let input: AsyncStream<Pending>.Continuation
    /// Requests yielded to the stream and not yet taken from it.
    private let queued = Atomic<Int>(0)
    private let io = DispatchQueue(label: "claimledger.ledger-writer")
    private let clock: @Sendable () -> Timestamp

    public init(ledgerDirectory: String, maxBatch: Int = 256, clock: @escaping @Sendable () -> Timestamp = LedgerWriter.systemTime,
                appending: @escaping Appending = { _ in }, durable: @escaping Durable = { _ in }, committed: @escaping Committed = { _, _ in }) {
        self.ledgerDirectory = ledgerDirectory
        self.maxBatch = max(1, maxBatch)
        self.appending = appending
        self.durable = durable
        self.committed = committed
        self.clock = clock
        (stream, input) = AsyncStream.makeStream(of: Pending.self)
    }

    /// Appends `drafts` signed with `key`; returns the entries once they are durable. Throws the
    /// request's own error (a `LedgerError`, `StoreError`), or `WriterStopped` after shutdown began.
    public func submit(_ drafts: [Draft], key: Ed25519PrivateKey, time: Timestamp? = nil) async throws -> [SignedEntry] {
        try await withCheckedThrowingContinuation { answer in
            queued.add(1, ordering: .sequentiallyConsistent)
            if case .terminated = input.yield(Pending(request: Request(drafts: drafts, key: key, time: time), answer: answer)) {
                queued.subtract(1, ordering: .sequentiallyConsistent)
                answer.resume(throwing: WriterStopped())
            }
        }
    }

    /// Takes batches until the stream ends (graceful shutdown), committing each before the next.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await consume()
        } onGracefulShutdown: {
            self.input.finish()
        }
    }

    /// Stops taking new requests; those already queued are still committed by `run`.
    public func stop() { input.finish() }

    private func consume() async {
        let (appended, publish) = AsyncStream.makeStream(of: Appended.self)
        async let answered: Void = answer(appended)
        var requests = stream.makeAsyncIterator()
        while let first = await requests.next(isolation: nil) {
            queued.subtract(1, ordering: .sequentiallyConsistent)
            var batch = [first]
            // A submitter counts itself before it yields, so a positive count means `next` returns at once.
            while batch.count < maxBatch, queued.load(ordering: .sequentiallyConsistent) > 0,
                  let more = await requests.next(isolation: nil) {
                queued.subtract(1, ordering: .sequentiallyConsistent)
                batch.append(more)
            }
            let (outcome, entries) = await append(batch)
            publish.yield(Appended(batch: batch, outcome: outcome, entries: entries))
        }
        publish.finish()
        await answered
    }

    /// Appends one batch on the writer's thread; offers its entries (`durable`) once they are durable.
    private func append(_ batch: [Pending]) async -> (Result<([Result<[SignedEntry], any Error>], LedgerState?), any Error>, [SignedEntry]) {
        let (directory, durable, appending) = (ledgerDirectory, durable, appending)
        let now = clock()
        let requests = batch.map { Request(drafts: $0.request.drafts, key: $0.request.key, time: $0.request.time ?? now) }
        return await withCheckedContinuation { done in
            io.async {
                let outcome = Result { try LedgerWriter.appendBatch(requests, ledgerDirectory: directory, willWrite: { appending($0) }) }
                var entries = [SignedEntry]()
                if case .success(let (results, state)) = outcome, state != nil {
                    entries = results.flatMap { (try? $0.get()) ?? [] }
                    durable(entries)
                }
                appending(nil)  // before any submitter can be answered
                done.resume(returning: (outcome, entries))
            }
        }
    }

    /// Brings the views up to each appended batch, in order, then answers its submitters.
    private func answer(_ appended: AsyncStream<Appended>) async {
        for await done in appended {
            switch done.outcome {
            case .success(let (results, state)):
                if let state { await committed(state, done.entries) }
                for (pending, result) in zip(done.batch, results) { pending.answer.resume(with: result) }
            case .failure(let error):
                for pending in done.batch { pending.answer.resume(throwing: error) }
            }
        }
    }

    /// Appends the requests as one group (`LedgerStore.appendGroup`): in order, under the writers' lock
    /// (the CLI's too), with one write and one fsync for all of them. A request the ledger refuses gets
    /// its error and does not stop the others. Returns each request's outcome and the state after the
    /// batch (nil when nothing was appended).
    static func appendBatch(_ requests: [Request], ledgerDirectory: String,
                            willWrite: (Int) -> Void = { _ in }) throws -> ([Result<[SignedEntry], any Error>], LedgerState?) {
        let store = try LedgerStore.open(ledgerDirectory)
        let now = systemTime()
        let (results, state) = try store.appendGroup(requests.map {
            LedgerStore.AppendRequest(drafts: $0.drafts, key: $0.key, time: $0.time ?? now)
        }, willWrite: willWrite)
        return (results, results.contains { (try? $0.get()) != nil } ? state : nil)
    }

    /// Cuts back a group that the server was writing when it died (SIGKILL, power loss): its
    /// `append-in-progress` marker says it never reached its fsync, so none of it was acknowledged.
    /// Without this, every write would be refused until someone ran `claimledger recover`. Called by
    /// a writable server at start, before the ledger is read. Returns the bytes removed.
    @discardableResult
    public static func settleCrashedGroup(ledgerDirectory: String) throws -> Int {
        let removed = try LedgerStore.open(ledgerDirectory).rollBackUnfinishedAppend()
        if removed > 0 {
            Logger(label: "claimledger.writer").warning(
                "removed \(removed) bytes of a batch the server did not finish writing before it stopped (never acknowledged)")
        }
        return removed
    }

    public static let systemTime: @Sendable () -> Timestamp = { Timestamp(secondsSinceEpoch: Int64(Glibc.time(nil))) }
}

extension LedgerWriter {
    /// The server's writer for `view`: it tells the view when it appends, offers it each durable batch,
    /// and brings it up to date before answering (the write seam, `LedgerView`).
    public convenience init(ledgerDirectory: String, view: LedgerView) {
        self.init(ledgerDirectory: ledgerDirectory, appending: { view.writerAppending(at: $0) }, durable: { view.offer($0) },
                  committed: { _, _ in _ = try? view.refresh() })
    }
}

/// The writer no longer takes requests: the server is shutting down.
public struct WriterStopped: Error, Sendable, CustomStringConvertible {
    public var description: String { "the server is shutting down: the write was not recorded, try again" }
}
