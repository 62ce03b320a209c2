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
      --claims  claims in the generated ledger (made under DIR/search-nCLAIMS, reused by later runs)
      --work    scratch folder (default /tmp/claimledger-bench)
      --rounds  runs of each query (latencies are over these; the first run is not counted; default 50)
    Times are wall-clock and CPU time of this process (on a shared machine, CPU time is the steadier figure).

    """

struct SearchBenchOptions {
    var claims = 100_000
    var work = "/tmp/claimledger-bench"
    var rounds = 50

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
    let (store, desk) = try makeSearchLedger(claims: o.claims, dir: dir, ledger: ledger)
    var state = try store.queries().state
    var md = "# claimledger-bench search\n\n"
    md += "- Run: \(Machine.utcNow); \(Machine.cores) cores, \(Machine.cpuModel); load average \(loadBefore) at the start\n"
    md += "- Ledger: \(grouped(Double(o.claims))) claims, \(grouped(Double(state.size))) entries (the bench workload); \(o.rounds) runs per query\n\n"
    md += "| step | wall | CPU |\n|---|---|---|\n"
    func step(_ name: String, _ body: () throws -> Void) rethrows {
        let t = Clock.now(), c = cpuNow()
        try body()
        let s = Clock.now() - t, cpu = cpuNow() - c
        md += "| \(name) | \(fixed(s * 1000, 1)) ms | \(fixed(cpu * 1000, 1)) ms |\n"
        writeStderr("search bench: \(name): \(fixed(s * 1000, 1)) ms wall, \(fixed(cpu * 1000, 1)) ms CPU\n")
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
    md += "\n| query | total | first run CPU | wall p50 | wall p99 | CPU p50 | CPU p99 |\n|---|---|---|---|---|---|---|\n"
    func latencies(_ name: String, _ body: () throws -> Int) rethrows {
        let c0 = cpuNow()
        let total = try body()   // the first run counts the matches; later ones find the count kept (same index)
        let first = cpuNow() - c0
        var times = [Double](), cpus = [Double]()
        for _ in 0..<o.rounds {
            let t = Clock.now(), c = cpuNow()
            _ = try body()
            times.append(Clock.now() - t)
            cpus.append(cpuNow() - c)
        }
        times.sort()
        cpus.sort()
        let p = { (v: [Double], q: Double) in fixed(v[min(v.count - 1, Int(Double(v.count) * q))] * 1000, 2) + " ms" }
        md += "| \(name) | \(grouped(Double(total))) | \(fixed(first * 1000, 2)) ms | \(p(times, 0.5)) | \(p(times, 0.99)) | \(p(cpus, 0.5)) | \(p(cpus, 0.99)) |\n"
        writeStderr("search bench: \(name): wall p50 \(p(times, 0.5)), p99 \(p(times, 0.99)); CPU p50 \(p(cpus, 0.5)), p99 \(p(cpus, 0.99))\n")
    }
    for (name, q) in queries { try latencies(name) { try index.search(q).total } }
    try latencies("facets") { try index.facets().claimants.count }
    // Last, on a copy of the ledger and its index (the ledger is kept between runs, and these statuses
    // would change its counts and lengthen the same claims' rationales run after run): statuses on 600
    // claims spread over the ledger, in no particular order (a desk's writes between two passes of the
    // server's index), each rewriting its claim's full-text row.
    index = nil
    let copyDirectory = dir + "/statuses-copy"
    try Files.remove(copyDirectory)
    guard try Child.run("cp", ["-a", ledger, copyDirectory], stdout: "/dev/null", stderr: "/dev/null", timeout: 600, searchPath: true).ok else {
        throw BenchError("cannot copy \(ledger) to \(copyDirectory)")
    }
    defer { try? Files.remove(copyDirectory) }
    let copy = try LedgerStore.open(copyDirectory)
    let copyIndex = try SearchIndex.open(ledgerDirectory: copyDirectory)
    var statuses = [Draft](), picked = Set<Int>(), x: UInt64 = 0x9E37_79B9_7F4A_7C15
    while statuses.count < min(600, o.claims) {
        x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407   // the same claims, in the same shuffled order, every run
        let claim = Int((x >> 33) % UInt64(o.claims))
        guard picked.insert(claim).inserted else { continue }
        statuses.append(.status(StatusDraft(claim: Workload.claimID(claim), status: .disputed,
                                            rationale: "Search bench status \(statuses.count).", evidence: [])))
    }
    let (_, withStatuses) = try copy.append(statuses, key: desk, time: Timestamp(secondsSinceEpoch: Int64(time(nil))))
    md += "\n| step (on a copy) | wall | CPU |\n|---|---|---|\n"
    try step("refresh: after statuses on 600 claims") {
        guard try copyIndex.refresh(from: copy, state: withStatuses) == .updated(entries: statuses.count) else { throw BenchError("expected an update") }
    }
    md += "\n- Load average at the end: \(Machine.loadAverage)\n"
    print(md)
    return 0
}

/// The process's CPU time in seconds (user and system, every thread).
func cpuNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The bench workload's ledger of `claims` claims, imported in process, and its journalist's key (kept
/// beside it as desk.pem, 0600); reused when already there.
private func makeSearchLedger(claims: Int, dir: String, ledger: String) throws -> (LedgerStore, Ed25519PrivateKey) {
    if Files.exists(ledger + "/entries.jsonl"), let desk = try? KeyFiles.loadPrivateKey(dir + "/desk.pem") {
        return (try LedgerStore.open(ledger), desk)
    }
    let root = try Ed25519PrivateKey.generate(), desk = try Ed25519PrivateKey.generate()
    try Files.remove(dir)
    try Files.makeDirectories(dir)
    try KeyFiles.write(desk, to: dir + "/desk.pem")
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
    return (store, desk)
}

