/// What a measured step must reach; evaluated against the OpenSSL figures of the same run.
enum Target {
    /// entries/s at least this fraction of single-core `openssl speed ed25519` signs/s.
    case signRatio(Double)
    /// entries/s at least this fraction of cores × single-core `openssl speed ed25519` verifies/s.
    case verifyRatio(Double)
    /// Whole-process wall time under this many milliseconds.
    case maxMilliseconds(Double)
    /// Peak RSS under this many MiB.
    case maxMiB(Double)
}

/// One measured `claimledger` process.
struct Row {
    var operation: String
    var claims: Int
    /// Entries in the ledger when the step ran (after it, for writes).
    var entries: Int
    /// Entries the step signed or verified: the numerator of its rate.
    var processed: Int?
    var result: ChildResult?
    var error: String?
    var targets: [Target]
    /// A one-process `openssl speed` taken just before this step (throughput steps, outside --smoke).
    var adjacent: OpenSSLSpeed?

    var rate: Double? {
        guard let processed, let r = result, r.ok, r.seconds > 0 else { return nil }
        return Double(processed) / r.seconds
    }
}

/// Builds a ledger of `claims` claims with the real CLI and measures each operation of the issue on it.
struct Scenario {
    let binary: String
    let directory: String
    let claims: Int
    let timeout: Double
    let workload: Workload
    /// Seconds of an adjacent `openssl speed` before each throughput step; 0 for none.
    let adjacentSeconds: Int
    /// Only the import is measured.
    var importOnly = false
    /// The import file's quotes carry no `offset`.
    var quotesWithoutOffset = false
    private(set) var rows: [Row] = []
    private(set) var failures: [String] = []
    private var stepNumber = 0
    private var entries = 0

    init(binary: String, directory: String, claims: Int, timeout: Double, workload: Workload, adjacentSeconds: Int) {
        self.adjacentSeconds = adjacentSeconds
        self.binary = binary
        self.directory = directory
        self.claims = claims
        self.timeout = timeout
        self.workload = workload
    }

    private var ledger: String { directory + "/ledger" }
    private var rootKey: String { directory + "/keys/root.pem" }
    private var deskKey: String { directory + "/keys/desk.pem" }

    private func log(_ message: String) { writeStderr("[\(claims) claims] \(message)\n") }

    /// Runs one CLI command; the output files are kept under `steps/`. Returns its result, stdout and a
    /// description of the failure, if it failed.
    private mutating func runCLI(_ name: String, _ arguments: [String]) throws -> (ChildResult, String, String?) {
        stepNumber += 1
        let base = directory + "/steps/\(stepNumber < 10 ? "0" : "")\(stepNumber)-\(name.replacingSpaces)"
        let r = try Child.run(binary, arguments, stdout: base + ".out", stderr: base + ".err", timeout: timeout)
        let failure = r.ok ? nil : "\(name): \(r.failureText) after \(seconds(r.seconds)): \(errorSummary(Files.text(base + ".err")))"
        return (r, Files.text(base + ".out"), failure)
    }

    /// Runs one CLI command and throws when it fails.
    private mutating func cli(_ name: String, _ arguments: [String]) throws -> (ChildResult, String) {
        let (r, out, failure) = try runCLI(name, arguments)
        if let failure { throw BenchError(failure) }
        return (r, out)
    }

    /// Runs and records a measured step; `check` inspects stdout and returns a problem, if any.
    @discardableResult
    private mutating func measure(_ operation: String, _ arguments: [String], processed: Int?, targets: [Target],
                                  adjacent: Bool = false, check: (String) -> String? = { _ in nil }) -> Bool
    {
        var row = Row(operation: operation, claims: claims, entries: entries, processed: processed, targets: targets)
        if adjacent && adjacentSeconds > 0 {
            row.adjacent = try? OpenSSLSpeed.measure(label: "adjacent", seconds: adjacentSeconds, processes: 1, scratch: directory)
        }
        do {
            let (r, out, failure) = try runCLI(operation, arguments)
            row.result = r
            if let failure { row.error = failure } else if let problem = check(out) { row.error = problem }
            log("\(operation): \(seconds(r.seconds)), CPU \(seconds(r.cpuSeconds)), peak RSS \(mib(r.maxRSSKiB))")
        } catch {
            row.error = "\(error)"
        }
        if let e = row.error {
            failures.append("\(claims) claims, \(operation): \(e)")
            log("FAILED \(operation): \(e)")
        }
        rows.append(row)
        return row.error == nil
    }

    private mutating func skip(_ operation: String, because reason: String) {
        rows.append(Row(operation: operation, claims: claims, entries: entries, error: "not run: \(reason)", targets: []))
    }

    mutating func run() {
        do {
            try setUp()
        } catch {
            failures.append("\(claims) claims, set-up: \(error)")
            log("FAILED set-up: \(error)")
        }
    }

    private mutating func setUp() throws {
        try Files.remove(directory)
        for sub in ["keys", "steps"] { try Files.makeDirectories(directory + "/" + sub) }
        _ = try cli("key generate root", ["key", "generate", "--out", rootKey])
        _ = try cli("key generate desk", ["key", "generate", "--out", deskKey])
        _ = try cli("init", ["init", "--ledger", ledger, "--origin", "bench.claimledger.example/\(claims)",
                             "--name", "bench-root", "--key", rootKey])
        _ = try cli("key add", ["key", "add", deskKey + ".pub", "--name", "bench-desk", "--role", "journalist",
                                "--ledger", ledger, "--key", rootKey])
        let articlePath = directory + "/article.txt"
        let article = try BufferedWriter(path: articlePath)
        try article.append(String(decoding: workload.article, as: UTF8.self))
        try article.close()
        let (_, sourceOut) = try cli("source add", [
            "source", "add", articlePath, "--title", "Dépêche synthétique (banc d'essai)", "--publisher", "Agence de test",
            "--url", "https://bench.claimledger.example/article", "--published", "2026-01-06", "--language", "fr",
            "--ledger", ledger, "--key", deskKey])
        let sourceID = sourceOut.trimmed
        guard sourceID.utf8.count == 64 else { throw BenchError("source add printed \"\(sourceID.prefix(80))\", not a source id") }
        entries = 3
        let started = Clock.now()
        let summary = try workload.writeImport(to: directory + "/import.jsonl", claims: 0..<claims, sourceID: sourceID,
                                               offsets: !quotesWithoutOffset)
        log("import file: \(summary.entries) entries, \(mib(summary.bytes / 1024)), written in \(seconds(Clock.now() - started))")
        entries += summary.entries
        let imported = measure(quotesWithoutOffset ? "import (quotes without offset)" : "import", ["import", directory + "/import.jsonl", "--ledger", ledger, "--key", deskKey, "--json"],
                               processed: summary.entries, targets: [.signRatio(1.2), .maxMiB(128)], adjacent: true) { out in
            jsonInteger("entries", in: out) == summary.entries ? nil : "import did not report \(summary.entries) entries: \(out.prefix(200))"
        }
        if importOnly { return }
        guard imported || (try? importInBatches(sourceID: sourceID, total: summary.entries)) == true else {
            for op in ["process start (--version)", "verify", "verify --save-state", "claim status", "verify --since", "claim add", "claim show",
                       "claim list --status", "prove inclusion", "export"] { skip(op, because: "the import failed") }
            return
        }
        measureQueries(sourceID: sourceID, disputed: summary.disputed)
    }

    /// When the one-batch import fails (memory, time), builds the same ledger from batches of 100,000
    /// claims so that the other operations can still be measured; recorded as its own row.
    private mutating func importInBatches(sourceID: String, total: Int) throws -> Bool {
        let batch = 100_000
        guard claims > batch else { return false }
        _ = try cli("recover", ["recover", "--ledger", ledger])   // a writer killed while writing leaves a torn line
        var row = Row(operation: "import in batches of \(grouped(Double(batch))) (fallback)", claims: claims, entries: entries,
                      processed: total, targets: [])
        var sum = ChildResult(exitCode: 0, signal: 0, seconds: 0, cpuSeconds: 0, maxRSSKiB: 0, timedOut: false)
        for start in stride(from: 0, to: claims, by: batch) {
            let path = directory + "/import-batch.jsonl"
            _ = try workload.writeImport(to: path, claims: start..<min(claims, start + batch), sourceID: sourceID)
            let (r, _) = try cli("import batch", ["import", path, "--ledger", ledger, "--key", deskKey, "--json"])
            sum.seconds += r.seconds
            sum.cpuSeconds += r.cpuSeconds
            sum.maxRSSKiB = max(sum.maxRSSKiB, r.maxRSSKiB)
            log("import batch at claim \(start): \(seconds(r.seconds)), peak RSS \(mib(r.maxRSSKiB))")
        }
        row.result = sum
        rows.append(row)
        return true
    }

    private mutating func measureQueries(sourceID: String, disputed: [String]) {
        let total = entries
        // The floor under every whole-process time: start, parse arguments, print, exit.
        measure("process start (--version)", ["--version"], processed: nil, targets: [])
        let okTrue: (String) -> String? = { $0.contains("\"ok\":true") ? nil : "output lacks \"ok\":true: \($0.prefix(200))" }
        measure("verify", ["verify", "--ledger", ledger, "--json"], processed: total,
                targets: [.verifyRatio(0.85), .maxMiB(64)], adjacent: true, check: okTrue)
        let state = directory + "/audit-state.json"
        let saved = measure("verify --save-state", ["verify", "--ledger", ledger, "--save-state", state, "--json"],
                            processed: total, targets: [.maxMiB(64)], check: okTrue)
        entries += 1
        measure("claim status", ["claim", "status", Workload.claimID(1), "disputed", "--rationale", "Contradicted by a later dispatch.",
                                 "--ledger", ledger, "--key", deskKey, "--json"], processed: nil, targets: [])
        if saved {
            measure("verify --since", ["verify", "--ledger", ledger, "--since", state, "--json"], processed: nil,
                    targets: [.maxMilliseconds(100)]) { out in
                jsonInteger("checked", in: out) == 1 ? okTrue(out) : "verify --since did not check exactly 1 entry: \(out.prefix(200))"
            }
        } else {
            skip("verify --since", because: "verify --save-state failed")
        }
        entries += 1
        let s = workload.sentences[0]
        measure("claim add", ["claim", "add", "--source", sourceID, "--quote", s.text, "--offset", String(s.offset),
                              "--statement", "One more claim, added alone.", "--claimant", "Agence de test", "--id", "bench-extra",
                              "--ledger", ledger, "--key", deskKey, "--json"], processed: nil, targets: [.maxMilliseconds(50)])
        let shown = Workload.claimID(claims / 2)
        measure("claim show", ["claim", "show", shown, "--ledger", ledger, "--json"], processed: nil,
                targets: [.maxMilliseconds(50)]) { out in
            out.contains(shown) ? nil : "claim show output lacks \(shown)"
        }
        measure("claim list --status", ["claim", "list", "--status", "disputed", "--ledger", ledger, "--json"], processed: nil,
                targets: [.maxMilliseconds(50)]) { out in
            disputed.allSatisfy { out.contains("\"\($0)\"") } && out.contains(Workload.claimID(1))
                ? nil : "claim list --status disputed misses some disputed claims"
        }
        let seq = entries / 2
        measure("prove inclusion", ["prove", "inclusion", String(seq), "--ledger", ledger, "--json"], processed: nil,
                targets: [.maxMilliseconds(50)]) { out in
            jsonInteger("index", in: out) == seq ? nil : "proof output lacks \"index\":\(seq): \(out.prefix(200))"
        }
        let export = directory + "/export.json"
        measure("export", ["export", "--out", export, "--ledger", ledger], processed: nil, targets: [.maxMiB(64)]) { _ in
            Files.exists(export) ? nil : "export wrote no \(export)"
        }
    }
}

/// The line of a child's stderr that says what went wrong (not a crash dump's registers), shortened.
func errorSummary(_ stderr: String) -> String {
    let lines = stderr.split(separator: "\n").map { $0.trimmed }.filter { !$0.isEmpty }
    let line = lines.first { $0.lowercased().contains("error") } ?? lines.last ?? ""
    return String(line.prefix(300))
}

extension String {
    var replacingSpaces: String { String(map { $0 == " " || $0 == "/" ? "-" : $0 }) }
}
