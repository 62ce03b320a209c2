import ClaimLedgerCore
@testable import ClaimLedgerSearch
import ClaimLedgerStorage
import Foundation
import Testing

/// The index follows the ledger: incrementally when it grew, rebuilt when the index is missing, damaged,
/// of another schema or describes other entries; and it always ends equal to a fresh rebuild.
@Suite struct SearchRefreshTests {
    /// A quote of the seed (its text and source id) that a new claim can quote again.
    static func seedQuote(_ state: LedgerState) throws -> (text: String, source: String) {
        let q = try #require(state.claims[state.claimOrder[0]]?.current.quotes.first)
        return (q.text, q.source.hex)
    }

    /// A new claim quoting the seed quote `q` (take it from a full state: the state a writer gets back from
    /// `append` has no claim records).
    static func newClaim(_ id: String, statement: String, quoting q: (text: String, source: String)) -> Draft {
        return .claim(ClaimDraft(id: id, statement: statement, language: "en", claimant: "Test Desk",
                                 date: CalendarDate("2026-01-07"), quotes: [QuoteDraft(source: q.source, text: q.text)], status: nil))
    }

    static func now() -> Timestamp { Timestamp(rfc3339: "2026-12-07T10:00:00Z")! }

    func everything(_ index: SearchIndex) throws -> [ClaimHit] {
        try index.search(ClaimQuery(includeRetracted: true, perPage: 200)).hits
    }

    @Test func appendsAreIndexedIncrementallyAndEqualARebuild() throws {
        let (store, keys) = try SearchFixture.copy()
        var state = try store.fullState()
        let index = try SearchIndex.open(ledgerDirectory: store.directory)
        #expect(try index.refresh(from: store, state: state) == .rebuilt)
        #expect(try index.refresh(from: store, state: state) == .upToDate)
        let before = try index.search(ClaimQuery()).total
        let seed = try Self.seedQuote(state)   // from the full state: a writer's state has no claim records

        // A new claim (the state a writer gets back from `append`, without records, is enough).
        (_, state) = try store.append([Self.newClaim("zanzibar-claim", statement: "Zanzibar <b>hosts</b> the ferry summit.", quoting: seed)],
                                      key: keys.desk, time: Self.now())
        #expect(try index.refresh(from: store, state: state) == .updated(entries: 1))
        #expect(try index.search(ClaimQuery()).total == before + 1)
        let hit = try #require(try index.search(ClaimQuery(text: "zanzib")).hits.first)
        #expect(hit.id == "zanzibar-claim" && hit.status == .unverified && !hit.reviewed)
        // Snippets are the ledger's text as is (markup included), for the renderer to escape.
        #expect(hit.snippet == [SnippetPart(text: "Zanzibar", match: true), SnippetPart(text: " <b>hosts</b> the ferry summit.", match: false)])

        // A status with a verdict, then an editor's approval.
        var status = StatusDraft(claim: "zanzibar-claim", status: .refuted, rationale: "The harbour authority's timetable shows no ferry.", evidence: [])
        status.verdict = "false"
        status.spans = [QuoteDraft(source: seed.source, text: seed.text)]
        (_, state) = try store.append([.status(status)], key: keys.desk, time: Self.now())
        #expect(try index.refresh(from: store, state: state) == .updated(entries: 1))
        #expect(try index.search(ClaimQuery(status: .refuted, verdict: "false", reviewed: false)).hits.contains { $0.id == "zanzibar-claim" })
        #expect(try index.search(ClaimQuery(text: "timetable harbour")).hits.map(\.id) == ["zanzibar-claim"])
        (_, state) = try store.append([.editorial(.review(claim: "zanzibar-claim", decision: .approve, note: nil))], key: keys.editor, time: Self.now())
        #expect(try index.refresh(from: store, state: state) == .updated(entries: 1))
        #expect(try index.search(ClaimQuery(reviewed: true)).hits.contains { $0.id == "zanzibar-claim" })

        // A position and a correction in one append: the party filter, the new text, the old text gone.
        (_, state) = try store.append([
            .editorial(.position(claim: "zanzibar-claim", party: Party(name: "Harbour Authority", kind: .government), stance: .denies,
                                 date: CalendarDate("2026-01-08")!, quotes: [QuoteDraft(source: seed.source, text: seed.text)], evidence: [], note: "No sailing.")),
            .editorial(.correct(claim: "zanzibar-claim", reason: "Wrong island.", changes: ClaimChanges(statement: "Pemba hosts the ferry summit."), quotes: [])),
        ], key: keys.desk, time: Self.now())
        #expect(try index.refresh(from: store, state: state) == .updated(entries: 2))
        let corrected = try #require(try index.search(ClaimQuery(text: "pemba", party: "harbour authority")).hits.first)
        #expect(corrected.id == "zanzibar-claim" && corrected.corrected && corrected.statement == "Pemba hosts the ferry summit.")
        #expect(try index.search(ClaimQuery(text: "zanzibar")).total == 0)
        // A new status unsets `reviewed` (the approval was of the previous status).
        (_, state) = try store.append([.status(StatusDraft(claim: "zanzibar-claim", status: .disputed, rationale: "Sources disagree.", evidence: []))],
                                      key: keys.desk, time: Self.now())
        try index.refresh(from: store, state: state)
        #expect(try index.search(ClaimQuery(text: "pemba")).hits.first?.reviewed == false)
        // A retraction hides it unless retracted claims are asked for.
        (_, state) = try store.append([.payload(.amend(AmendPayload(claim: "zanzibar-claim", action: .retract, reason: "Hoax.")))],
                                      key: keys.desk, time: Self.now())
        try index.refresh(from: store, state: state)
        #expect(try index.search(ClaimQuery(text: "pemba")).total == 0)
        #expect(try index.search(ClaimQuery(text: "pemba", includeRetracted: true)).hits.first?.retracted == true)

        // A claim recorded and given a status with a verdict in one append; then a correction of its claimant,
        // date and kind; then a status without a verdict (the verdict column back to NULL).
        var first = StatusDraft(claim: "pemba-summit", status: .refuted, rationale: "No summit was announced.", evidence: [])
        first.verdict = "false"
        first.spans = [QuoteDraft(source: seed.source, text: seed.text)]
        (_, state) = try store.append([Self.newClaim("pemba-summit", statement: "Pemba hosts a second summit.", quoting: seed), .status(first)],
                                      key: keys.desk, time: Self.now())
        #expect(try index.refresh(from: store, state: state) == .updated(entries: 2))
        (_, state) = try store.append([
            .editorial(.correct(claim: "pemba-summit", reason: "Wrong desk and day.",
                                changes: ClaimChanges(claimant: "Island Desk", date: CalendarDate("2026-01-05"), kind: .attribution), quotes: [])),
            .status(StatusDraft(claim: "pemba-summit", status: .disputed, rationale: "Accounts differ.", evidence: [])),
        ], key: keys.desk, time: Self.now())
        #expect(try index.refresh(from: store, state: state) == .updated(entries: 2))
        let summit = try #require(try index.search(ClaimQuery(text: "second summit", claimant: "island desk")).hits.first)
        #expect(summit.id == "pemba-summit" && summit.status == .disputed && summit.verdict == nil && summit.corrected)

        // The incremental index equals one rebuilt from scratch.
        let incremental = try everything(index), facets = try index.facets(), rows = try index.tableRows()
        try removeIndex(store)
        let fresh = try SearchIndex.open(ledgerDirectory: store.directory)
        #expect(try fresh.refresh(from: store, state: state) == .rebuilt)
        #expect(try everything(fresh) == incremental && fresh.facets() == facets)
        // Row for row: an update writes only what changed (ClaimRows.save(_:replacing:)), and leaves what a rebuild writes.
        #expect(try fresh.tableRows() == rows)
        #expect(try fresh.indexedSize()?.size == state.size && fresh.indexedSize()?.head == state.head.hex)
    }

    func removeIndex(_ store: LedgerStore) throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: SearchIndex.path(forLedger: store.directory) + suffix) }
    }

    @Test(arguments: ["garbage", "truncated", "empty"])
    func aDamagedIndexFileIsRebuilt(damage: String) throws {
        let (store, _) = try SearchFixture.copy()
        let state = try store.fullState()
        let expected: [ClaimHit]
        do {
            let index = try SearchIndex.open(ledgerDirectory: store.directory)
            try index.refresh(from: store, state: state)
            expected = try everything(index)
        }
        let path = SearchIndex.path(forLedger: store.directory)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.count > 8192)
        switch damage {
        case "garbage": try Data(repeating: 0x5A, count: bytes.count).write(to: URL(fileURLWithPath: path))
        case "truncated": try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        default: try Data().write(to: URL(fileURLWithPath: path))
        }
        let index = try SearchIndex.open(ledgerDirectory: store.directory)
        #expect(try index.refresh(from: store, state: state) == .rebuilt)
        #expect(try everything(index) == expected)
    }

    @Test func anIndexOfAnotherSchemaVersionIsRebuilt() throws {
        let (store, _) = try SearchFixture.copy()
        let state = try store.fullState()
        let index = try SearchIndex.open(ledgerDirectory: store.directory)
        try index.refresh(from: store, state: state)
        let expected = try everything(index)
        try index.recordSchemaVersion(0)
        #expect(try index.refresh(from: store, state: state) == .rebuilt)
        #expect(try index.refresh(from: store, state: state) == .upToDate)
        #expect(try everything(index) == expected)
    }

    @Test func anIndexOfOtherEntriesIsRebuilt() throws {
        // Two copies of the seed that differ after it: A gets claim "left", B gets "right" then "more".
        let (a, keys) = try SearchFixture.copy()
        let (b, _) = try SearchFixture.copy()
        let seed = try a.fullState()
        let (_, stateA) = try a.append([Self.newClaim("left", statement: "Leftward drift.", quoting: try Self.seedQuote(seed))], key: keys.desk, time: Self.now())
        var (_, stateB) = try b.append([Self.newClaim("right", statement: "Rightward drift.", quoting: try Self.seedQuote(seed))], key: keys.desk, time: Self.now())
        #expect(stateA.size == stateB.size && stateA.head != stateB.head)
        let indexA = try SearchIndex.open(ledgerDirectory: a.directory)
        try indexA.refresh(from: a, state: stateA)
        let pathA = SearchIndex.path(forLedger: a.directory), pathB = SearchIndex.path(forLedger: b.directory)

        // Same size, other head.
        try FileManager.default.copyItem(atPath: pathA, toPath: pathB)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: pathA + suffix) {
            try FileManager.default.copyItem(atPath: pathA + suffix, toPath: pathB + suffix)
        }
        do {
            let indexB = try SearchIndex.open(ledgerDirectory: b.directory)
            #expect(try indexB.search(ClaimQuery(text: "leftward")).total == 1)   // A's index, before refreshing
            #expect(try indexB.refresh(from: b, state: stateB) == .rebuilt)
            #expect(try indexB.search(ClaimQuery(text: "leftward")).total == 0)
            #expect(try indexB.search(ClaimQuery(text: "rightward")).total == 1)
        }
        // An index ahead of the state (of A's longer ledger) is rebuilt for the state given.
        #expect(try indexA.refresh(from: a, state: seed) == .rebuilt)
        #expect(try indexA.search(ClaimQuery(text: "leftward")).total == 0)
        // An index of a prefix that B's later entries do not continue: A's index at A's size, B two further.
        try indexA.refresh(from: a, state: stateA)
        (_, stateB) = try b.append([Self.newClaim("more", statement: "More drift.", quoting: try Self.seedQuote(seed))], key: keys.desk, time: Self.now())
        try removeIndex(b)
        try FileManager.default.copyItem(atPath: pathA, toPath: pathB)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: pathA + suffix) {
            try FileManager.default.copyItem(atPath: pathA + suffix, toPath: pathB + suffix)
        }
        let indexB = try SearchIndex.open(ledgerDirectory: b.directory)
        #expect(try indexB.refresh(from: b, state: stateB) == .rebuilt)
        #expect(try indexB.search(ClaimQuery(text: "drift")).hits.map(\.id).sorted() == ["more", "right"])
    }

    @Test func aStateTheEntriesDoNotReachIsAnError() throws {
        let (a, keys) = try SearchFixture.copy()
        let (b, _) = try SearchFixture.copy()
        let seed = try a.fullState()
        let (_, longer) = try a.append([Self.newClaim("left", statement: "Leftward drift.", quoting: try Self.seedQuote(seed))], key: keys.desk, time: Self.now())
        let index = try SearchIndex.open(ledgerDirectory: b.directory)
        #expect { try index.refresh(from: b, state: longer) } throws: { ($0 as? SearchError)?.code == .ledgerChanged }
        #expect(try index.refresh(from: b, state: seed) == .rebuilt)
    }

    @Test func searchesRunWhileTheIndexIsRefreshed() async throws {
        let (store, keys) = try SearchFixture.copy()
        var state = try store.fullState()
        let seed = try Self.seedQuote(state)
        let index = try SearchIndex.open(ledgerDirectory: store.directory)
        try index.refresh(from: store, state: state)
        let total = try index.search(ClaimQuery()).total
        try await withThrowingTaskGroup(of: Void.self) { group in
            for reader in 0..<4 {
                group.addTask {
                    for i in 0..<40 {
                        let r = try index.search(ClaimQuery(text: i % 2 == 0 ? "paris" : nil, reviewed: reader % 2 == 0 ? nil : true))
                        #expect(r.total > 0)
                        _ = try index.facets()
                    }
                }
            }
            for i in 0..<10 {
                (_, state) = try store.append([Self.newClaim("concurrent-\(i)", statement: "Concurrent claim \(i).", quoting: seed)],
                                              key: keys.desk, time: Self.now())
                try index.refresh(from: store, state: state)
            }
            try await group.waitForAll()
        }
        #expect(try index.search(ClaimQuery()).total == total + 10)
    }
}
