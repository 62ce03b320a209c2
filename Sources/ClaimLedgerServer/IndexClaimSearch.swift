import ClaimLedgerCore
import ClaimLedgerSearch
import ClaimLedgerStorage
import Logging

/// The claims list's search through ClaimLedgerSearch's full-text index (SQLite FTS5 on GRDB,
/// app-contract.md section 2), derived from the ledger at `<ledger>/index/search.sqlite`. The view
/// brings it up to every new verified snapshot (`LedgerView.onChange`), so a search sees what the
/// pages see.
public final class IndexClaimSearch: ClaimSearching {
    let index: SearchIndex

    public init(index: SearchIndex) { self.index = index }

    /// Opens the ledger's index and keeps it up to date with `view`; nil when it cannot be opened (a
    /// read-only ledger directory, for one), in which case the caller scans in memory.
    public static func attach(to view: LedgerView, logger: Logger) -> IndexClaimSearch? {
        let index: SearchIndex
        do { index = try SearchIndex.open(ledgerDirectory: view.directory) } catch {
            logger.warning("search index unavailable, searching in memory instead: \(error)")
            return nil
        }
        view.onChange { snapshot, store in
            do { _ = try index.refresh(from: store, state: snapshot.state) } catch {
                logger.error("search index refresh failed: \(error)")
            }
        }
        return IndexClaimSearch(index: index)
    }

    public func search(_ f: ClaimFilter, in snapshot: ViewSnapshot) throws -> ClaimListResult {
        let query = ClaimQuery(text: f.text, status: f.status, verdict: f.verdict, claimant: f.claimant, party: f.party, source: f.source,
                               reviewed: f.reviewed, from: f.from, to: f.to, includeRetracted: f.includeRetracted, page: f.page, perPage: f.perPage)
        let results = try index.search(query)
        let hits = results.hits.map { h in
            ClaimSummary(id: h.id, statement: h.statement, lang: snapshot.state.claims[h.id]?.current.statementLanguage ?? "und",
                         claimant: h.claimant, date: h.date, status: h.status, verdict: h.verdict, reviewed: h.reviewed,
                         corrected: h.corrected, retracted: h.retracted, seq: h.seq, snippet: h.snippet?.map { (text: $0.text, match: $0.match) })
        }
        return ClaimListResult(hits: hits, total: results.total, filter: f)
    }

    public func facets(in snapshot: ViewSnapshot) throws -> (claimants: [String], parties: [String], verdicts: [String]) {
        let f = try index.facets()
        return (f.claimants, f.parties, f.verdicts)
    }
}
