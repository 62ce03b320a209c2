import ClaimLedgerCore
import ClaimLedgerSearch
import ClaimLedgerStorage
import Dispatch
import Logging
import Synchronization

/// The claims list's search through ClaimLedgerSearch's full-text index (SQLite FTS5 on GRDB,
/// app-contract.md section 2), derived from the ledger at `<ledger>/index/search.sqlite`.
///
/// The index follows the view: at start it is brought up to the view's state before the server answers;
/// after that new snapshots (`LedgerView.onChange`) are indexed on a queue of its own, so that a write is
/// answered without waiting for the index, at most `followDelay` after the first of them: the snapshots
/// of that interval are indexed in one transaction, which costs much less than one per batch under
/// steady writes. A search never sees less than the page it is for: when the index is behind the
/// request's snapshot it is brought up to date first, on the request. A large append by another writer
/// (a CLI import) is indexed by the view's catch-up before the view publishes it, so that no request waits
/// for that (`LedgerView.beforePublishingCatchUp`). The index may so describe more than the snapshot a search
/// has (until the view publishes, or for good if that publication fails): hits on claims the snapshot does
/// not hold are left out of the page (not of its total), so that no link leads to a page the view cannot
/// show.
public final class IndexClaimSearch: ClaimSearching {
    let index: SearchIndex
    private let logger: Logger
    /// The newest state the view has published (or, from a catch-up, is about to): what the index catches up to.
    private let latest = Mutex<LedgerState?>(nil)
    /// The ledger's entries, read by the index's refresh (a store of its own: `LedgerStore` is not shared
    /// across threads).
    private let store: LedgerStoreBox
    /// Serializes catching up, so that the index is only ever brought forward (an older target than what it
    /// describes would make `SearchIndex.refresh` rebuild it).
    private let catchingUp = Mutex<Void>(())
    /// How many entries the index describes (-1 before the first refresh).
    let indexedSize = Atomic<Int>(-1)
    private let scheduled = Atomic<Bool>(false)
    private let queue = DispatchQueue(label: "claimledger.search-index")
    /// How long after a change the index follows it (when no search has brought it up to date first).
    let followDelay: Duration

    init(index: SearchIndex, store: LedgerStore, logger: Logger, followDelay: Duration) {
        self.index = index
        self.followDelay = followDelay
        self.store = LedgerStoreBox(store)
        self.logger = logger
    }

    /// Opens the ledger's index, brings it up to `view`'s state and keeps it following the view; nil when it
    /// cannot be opened (a read-only ledger directory, for one), in which case the caller scans in memory.
    public static func attach(to view: LedgerView, logger: Logger, followDelay: Duration = .milliseconds(200)) -> IndexClaimSearch? {
        let index: SearchIndex, store: LedgerStore
        do { (index, store) = (try SearchIndex.open(ledgerDirectory: view.directory), try LedgerStore.open(view.directory)) } catch {
            logger.warning("search index unavailable, searching in memory instead: \(error)")
            return nil
        }
        let search = IndexClaimSearch(index: index, store: store, logger: logger, followDelay: followDelay)
        view.onChange { snapshot, _ in
            search.latest.withLock { $0 = snapshot.state }
            search.schedule()
        }
        // A large append by another writer: indexed before the view publishes it, so that the first search
        // on the new snapshot does not wait for the index (LedgerView+CatchUp).
        view.beforePublishingCatchUp { state in
            search.latest.withLock { $0 = state }
            search.catchUp()
        }
        search.catchUp()
        return search
    }

    /// Indexes the newest state on the index's queue, `followDelay` from now (one pass for however many
    /// snapshots come meanwhile).
    private func schedule() {
        guard !scheduled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let (seconds, attoseconds) = followDelay.components
        let nanoseconds = Int(clamping: seconds) &* 1_000_000_000 &+ Int(attoseconds / 1_000_000_000)
        queue.asyncAfter(deadline: .now() + .nanoseconds(max(0, nanoseconds))) {
            self.scheduled.store(false, ordering: .releasing)
            self.catchUp()
        }
    }

    /// Brings the index up to `latest`.
    private func catchUp() {
        catchingUp.withLock { _ in
            // Only forward: a catch-up indexes its state just before the view publishes it.
            guard let state = latest.withLock({ $0 }), indexedSize.load(ordering: .acquiring) < state.size else { return }
            do { _ = try index.refresh(from: store.value, state: state) } catch {
                // Searches go on with the index as it is (not retried on every search); the next change retries.
                logger.error("search index refresh failed: \(error)")
            }
            indexedSize.store(state.size, ordering: .releasing)
        }
    }

    /// Catches up first when the index describes fewer entries than `snapshot`.
    private func covering(_ snapshot: ViewSnapshot) {
        if indexedSize.load(ordering: .acquiring) < snapshot.state.size { catchUp() }
    }

    public func search(_ f: ClaimFilter, in snapshot: ViewSnapshot) throws -> ClaimListResult {
        covering(snapshot)
        let query = ClaimQuery(text: f.text, status: f.status, verdict: f.verdict, claimant: f.claimant, party: f.party, source: f.source,
                               reviewed: f.reviewed, from: f.from, to: f.to, includeRetracted: f.includeRetracted, page: f.page, perPage: f.perPage)
        let results = try index.search(query)
        let hits = results.hits.compactMap { h -> ClaimSummary? in
            guard let claim = snapshot.state.claims[h.id] else { return nil }
            return ClaimSummary(id: h.id, statement: h.statement, lang: claim.current.statementLanguage,
                                claimant: h.claimant, date: h.date, status: h.status, verdict: h.verdict, reviewed: h.reviewed,
                                corrected: h.corrected, retracted: h.retracted, seq: h.seq,
                                snippet: h.snippet?.map { (text: $0.text, match: $0.match) })
        }
        return ClaimListResult(hits: hits, total: results.total, filter: f)
    }

    public func facets(in snapshot: ViewSnapshot) throws -> (claimants: [String], parties: [String], verdicts: [String]) {
        covering(snapshot)
        let f = try index.facets()
        return (f.claimants, f.parties, f.verdicts)
    }
}

/// The search's own `LedgerStore`, used only under `IndexClaimSearch.catchingUp` (one thread at a time).
private final class LedgerStoreBox: @unchecked Sendable {
    let value: LedgerStore
    init(_ value: LedgerStore) { self.value = value }
}
