import ClaimLedgerCore
import ClaimLedgerSearch
import ClaimLedgerStorage
import Glibc
import LedgerCrypto

// `claimledger-bench search`: the search index (ClaimLedgerSearch) in process, on a ledger of the usual
// workload generated in process too (no claimledger binary needed): rebuild, open, refresh, and the
// latency of filtered pages, text searches and facets. Prints a Markdown report.

let searchUsage = """
    usage: claimledger-bench search [--claims 100000] [--work DIR] [--rounds 200]
      --claims  claims in the generated ledger (made afresh under DIR/search-nCLAIMS)
      --work    scratch folder (default /tmp/claimledger-bench)
      --rounds  runs of each query (latencies are over these; the first run is not counted)

    """

struct SearchBenchOptions {
    var claims = 100_000
    var work = "/tmp/claimledger-bench"
    var rounds = 200

    static func parse(_ args: [String]) throws -> SearchBenchOptions {
        var o = SearchBenchOptions()
        var i = 0
        func value() throws -> String {
            i += 1
            guard i < args.count else { throw BenchError("\(args[i - 1]) needs a value") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--claims":
                guard let n = Int(try value()), n > 0 else { throw BenchError("--claims needs a positive integer") }
                o.claims = n
            case "--work": o.work = try value()
            case "--rounds":
                guard let n = Int(try value()), n > 1 else { throw BenchError("--rounds needs an integer above 1") }
                o.rounds = n
            case "-h", "--help":
                writeStderr(searchUsage)
                exit(0)
            default: throw BenchError("unknown argument \(args[i])")
            }
            i += 1
        }
        return o
    }
}

func runSearchBenchmark(_ o: SearchBenchOptions) throws -> Int32 {
    let dir = o.work + "/search-n\(o.claims)"
    let ledger = dir + "/ledger"
    let loadBefore = Machine.loadAverage
    let desk = try Ed25519PrivateKey.generate()
    let store = try makeSearchLedger(claims: o.claims, dir: dir, ledger: ledger, desk: desk)
    var state = try store.queries().state
    var md = "# claimledger-bench search\n\n"
    md += "- Run: \(Machine.utcNow); \(Machine.cores) cores, \(Machine.cpuModel); load average \(loadBefore) at the start\n"
    md += "- Ledger: \(grouped(Double(o.claims))) claims, \(grouped(Double(state.size))) entries (the bench workload); \(o.rounds) runs per query\n\n"
    md += "| step | time |\n|---|---|\n"
    func step(_ name: String, _ body: () throws -> Void) rethrows {
        let t = Clock.now()
        try body()
        let s = Clock.now() - t
        md += "| \(name) | \(fixed(s * 1000, 1)) ms |\n"
        writeStderr("search bench: \(name): \(fixed(s * 1000, 1)) ms\n")
    }
    let path = SearchIndex.path(forLedger: ledger)
    for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    var index: SearchIndex! = nil
    try step("open (new file)") { index = try SearchIndex.open(ledgerDirectory: ledger) }
    try step("refresh: rebuild of every claim") {
        guard try index.refresh(from: store, state: state) == .rebuilt else { throw BenchError("expected a rebuild") }
    }
    index = nil
    try step("open (existing file, with quick_check)") { index = try SearchIndex.open(ledgerDirectory: ledger) }
    try step("refresh: up to date") { try index.refresh(from: store, state: state) }
    let workload = Workload()
    let source = try state.sources.keys.first.map(\.hex) ?? { throw BenchError("the ledger has no source") }()
    for count in [1, 100] {
        let first = o.claims + Int(state.size)   // fresh ids
        var drafts = [Draft]()
        for i in first..<(first + count) {
            let s = workload.sentences[i % workload.sentences.count]
            drafts.append(.claim(ClaimDraft(id: "search-bench-\(i)", statement: "Appended claim \(i) about Genève.", language: "en",
                                            claimant: "Agence de test \(i % 13)", date: nil,
                                            quotes: [QuoteDraft(source: source, text: s.text, offset: s.offset)], status: nil)))
        }
        (_, state) = try store.append(drafts, key: desk, time: Timestamp(secondsSinceEpoch: Int64(time(nil))))
        try step("refresh: after an append of \(count) claim(s)") {
            guard try index.refresh(from: store, state: state) == .updated(entries: count) else { throw BenchError("expected an update") }
        }
    }
    let queries: [(String, ClaimQuery)] = [
        ("list, page 1 (newest first)", ClaimQuery()),
        ("list, page 500", ClaimQuery(page: 500)),
        ("status=refuted", ClaimQuery(status: .refuted)),
        ("status=disputed (rare)", ClaimQuery(status: .disputed)),
        ("claimant=Agence de test 7", ClaimQuery(claimant: "Agence de test 7")),
        ("source=<8-digit prefix>", ClaimQuery(source: String(source.prefix(8)))),
        ("reviewed=no, status=corroborated", ClaimQuery(status: .corroborated, reviewed: false)),
        ("date range", ClaimQuery(from: CalendarDate("2026-01-01"), to: CalendarDate("2026-12-31"))),
        ("text: rare word (\"1234\")", ClaimQuery(text: "1234 ")),
        ("text: 1/6 of claims (\"Genève\")", ClaimQuery(text: "Genève ")),
        ("text: every claim (\"dispatch\")", ClaimQuery(text: "dispatch ")),
        ("text: prefix (\"négo\")", ClaimQuery(text: "négo")),
        ("text: two words (\"drones surveillé\")", ClaimQuery(text: "drones surveillé")),
        ("text + status (\"Genève\", refuted)", ClaimQuery(text: "geneve ", status: .refuted)),
    ]
    md += "\n| query | total | p50 | p99 | max |\n|---|---|---|---|---|\n"
    func latencies(_ name: String, total: Int, _ body: () throws -> Void) rethrows {
        try body()
        var times = [Double]()
        for _ in 0..<o.rounds {
            let t = Clock.now()
            try body()
            times.append(Clock.now() - t)
        }
        times.sort()
        let p = { (q: Double) in fixed(times[min(times.count - 1, Int(Double(times.count) * q))] * 1000, 2) + " ms" }
        md += "| \(name) | \(grouped(Double(total))) | \(p(0.5)) | \(p(0.99)) | \(fixed(times.last! * 1000, 2)) ms |\n"
        writeStderr("search bench: \(name): p50 \(p(0.5)), p99 \(p(0.99))\n")
    }
    for (name, q) in queries {
        let total = try index.search(q).total
        try latencies(name, total: total) { _ = try index.search(q) }
    }
    try latencies("facets", total: 0) { _ = try index.facets() }
    md += "\n- Load average at the end: \(Machine.loadAverage)\n"
    print(md)
    return 0
}

/// The bench workload's ledger of `claims` claims, imported in process; reused when already there.
private func makeSearchLedger(claims: Int, dir: String, ledger: String, desk: Ed25519PrivateKey) throws -> LedgerStore {
    let root = try Ed25519PrivateKey.generate()
    try Files.remove(dir)   // made afresh each run: the keys live only in this process
    try Files.makeDirectories(dir)
    let t0 = Clock.now()
    let now = Timestamp(secondsSinceEpoch: Int64(time(nil)))
    let store = try LedgerStore.create(ledger, genesis: GenesisPayload(origin: "bench.claimledger.example/search", keys: [NamedKey(name: "root", publicKey: root.publicKey)]),
                                       rootKey: root, time: now)
    _ = try store.append([.payload(.key(.add(NamedKey(name: "desk", publicKey: desk.publicKey), role: .journalist)))], key: root, time: now)
    let workload = Workload()
    let (signed, _) = try store.append([.source(SourceDraft(bytes: workload.article, title: "Dépêche synthétique (banc d'essai)", publisher: "Agence de test",
                                                            url: "https://bench.claimledger.example/article", published: CalendarDate("2026-01-06")!,
                                                            language: "fr", mediaType: "text/plain; charset=utf-8"), ref: nil)], key: desk, time: now)
    guard case .source(let s) = signed.last?.entry.payload else { throw BenchError("no source entry") }
    let summary = try workload.writeImport(to: dir + "/import.jsonl", claims: 0..<claims, sourceID: s.sha256.hex)
    _ = try store.importFile(dir + "/import.jsonl", key: desk, time: now)
    writeStderr("search bench: ledger of \(claims) claims, \(summary.entries + 3) entries, made in \(fixed(Clock.now() - t0, 1)) s\n")
    return store
}
