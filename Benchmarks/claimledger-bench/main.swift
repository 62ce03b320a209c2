import Glibc

// claimledger-bench: drives the release `claimledger` binary as child processes on generated ledgers and
// compares each operation with the targets of docs/PERFORMANCE.md, quoting throughput as a ratio to
// `openssl speed ed25519` measured in the same run. Exits non-zero when a step fails (never on speed).

let usage = """
    usage: claimledger-bench [--sizes 1000,100000,1000000] [--work DIR] [--binary PATH] [--smoke]
                             [--openssl-seconds N] [--timeout SECONDS] [--memory-limit MIB]
                             [--import-only] [--quotes-without-offset]
      --sizes            claim counts to import (each gives a ledger of about 1.6 entries per claim)
      --work             scratch folder (default /tmp/claimledger-bench); results.md is written there
      --binary           the claimledger executable (default: the one next to this executable)
      --smoke            one tiny ledger (200 claims) and 1 s openssl runs: checks that every step works
      --openssl-seconds  duration of each openssl speed measurement (default 3)
      --timeout          per-process limit in seconds, after which it is killed and reported (default 3600)
      --memory-limit     address-space limit (RLIMIT_AS) of every child, in MiB (default 12288): a process that
                         needs more fails and is reported, instead of pushing a shared machine into swap or OOM
      --import-only      measure the import alone (no queries, verify or export afterwards)
      --quotes-without-offset  the import file's quotes carry no `offset` (import searches each in its source)
    claimledger-bench search --help: the search index's benchmark (SearchBench.swift)

    """

struct Options {
    var sizes = [1_000, 100_000, 1_000_000]
    var work = "/tmp/claimledger-bench"
    var binary = Files.executableDirectory() + "/claimledger"
    var smoke = false
    var opensslSeconds = 3
    var timeout = 3600.0
    var memoryLimitMiB = 12_288
    var importOnly = false
    var quotesWithoutOffset = false

    static func parse(_ args: [String]) throws -> Options {
        var o = Options()
        var sizesGiven = false, secondsGiven = false
        var i = 0
        func value() throws -> String {
            i += 1
            guard i < args.count else { throw BenchError("\(args[i - 1]) needs a value") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--sizes":
                o.sizes = try value().split(separator: ",").map { part in
                    guard let n = Int(part.filter { $0 != "_" }), n > 0 else { throw BenchError("bad size \(part)") }
                    return n
                }
                sizesGiven = true
            case "--work": o.work = try value()
            case "--binary": o.binary = try value()
            case "--smoke": o.smoke = true
            case "--import-only": o.importOnly = true
            case "--quotes-without-offset": o.quotesWithoutOffset = true
            case "--openssl-seconds":
                guard let n = Int(try value()), n > 0 else { throw BenchError("--openssl-seconds needs a positive integer") }
                o.opensslSeconds = n
                secondsGiven = true
            case "--timeout":
                guard let t = Double(try value()), t > 0 else { throw BenchError("--timeout needs a positive number") }
                o.timeout = t
            case "--memory-limit":
                guard let m = Int(try value()), m > 0 else { throw BenchError("--memory-limit needs a positive integer") }
                o.memoryLimitMiB = m
            case "-h", "--help":
                writeStderr(usage)
                exit(0)
            default: throw BenchError("unknown argument \(args[i])")
            }
            i += 1
        }
        if o.smoke {
            if !sizesGiven { o.sizes = [200] }
            if !secondsGiven { o.opensslSeconds = 1 }
        }
        return o
    }
}

func runBenchmark(_ options: Options) throws -> Int32 {
    guard access(options.binary, X_OK) == 0 else { throw BenchError("no executable claimledger at \(options.binary) (use --binary)") }
    try Files.makeDirectories(options.work)
    // Children inherit the limit (this process itself needs little memory).
    var limit = rlimit(rlim_cur: rlim_t(options.memoryLimitMiB) << 20, rlim_max: rlim_t(options.memoryLimitMiB) << 20)
    guard setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0 else { throw BenchError("cannot set RLIMIT_AS: \(String(cString: strerror(errno)))") }
    let scratch = options.work
    let cores = Machine.cores
    let loadBefore = Machine.loadAverage
    let revision = Machine.gitRevision(scratch: scratch)   // now: the binary was built from this
    let started = Clock.now()
    writeStderr("claimledger-bench: \(options.binary), sizes \(options.sizes), \(cores) cores, load \(loadBefore)\n")

    var limits = OpenSSLLimits(rounds: [], cores: cores)
    func measureOpenSSL(_ when: String) throws {
        for processes in cores > 1 ? [1, cores] : [1] {
            let s = try OpenSSLSpeed.measure(label: "\(when), \(processes) process\(processes > 1 ? "es" : "")",
                                             seconds: options.opensslSeconds, processes: processes, scratch: scratch)
            writeStderr("openssl speed (\(s.label)): \(grouped(s.signPerSecond)) sign/s, \(grouped(s.verifyPerSecond)) verify/s\n")
            limits.rounds.append(s)
        }
    }
    try measureOpenSSL("before")

    let workload = Workload()
    var rows = [Row]()
    var failures = [String]()
    for n in options.sizes {
        var scenario = Scenario(binary: options.binary, directory: options.work + "/n\(n)", claims: n,
                                timeout: options.timeout, workload: workload,
                                adjacentSeconds: options.smoke ? 0 : options.opensslSeconds)
        scenario.importOnly = options.importOnly
        scenario.quotesWithoutOffset = options.quotesWithoutOffset
        scenario.run()
        rows += scenario.rows
        failures += scenario.failures
    }
    if !options.smoke { try measureOpenSSL("after") }

    let report = Report(limits: limits, rows: rows)
    let command = (["claimledger-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    var md = "# claimledger-bench results\n\n"
    md += "- Run: \(Machine.utcNow), \(fixed(Clock.now() - started, 0)) s in all; command: `\(command)`\n"
    md += "- Machine: \(cores) cores (`nproc`), \(Machine.cpuModel); \(Machine.openSSLVersion(scratch: scratch))\n"
    md += "- Load average (1, 5, 15 min): \(loadBefore) at the start, \(Machine.loadAverage) at the end\n"
    md += "- Binary: `\(options.binary)`; source revision \(revision) (when the run started); "
        + "limits per process: \(grouped(options.timeout)) s, \(grouped(Double(options.memoryLimitMiB))) MiB address space\n"
    md += "- Workload: N claims, one source of \(workload.article.count) bytes (\(Workload.sentenceCount) distinct sentences); "
        + (options.quotesWithoutOffset ? "quotes without `offset`; " : "quotes with their `offset`; ")
        + "half the claims with a first status, a later status for 1 in 10, `disputed` for 1 in 1,000; "
        + "ledger entries = 3 + claims + statuses.\n\n"
    md += "## OpenSSL (same run)\n\n" + report.openSSLTable + "\n"
    md += "## claimledger (whole processes; time on the monotonic clock, CPU and peak RSS from wait4)\n\n" + report.resultsTable
    if !failures.isEmpty {
        md += "\n## Failed steps\n\n" + failures.map { "- " + $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n") + "\n"
    }
    print(md)
    let path = options.work + "/results.md"
    let out = try BufferedWriter(path: path)
    try out.append(md)
    try out.close()
    writeStderr("claimledger-bench: wrote \(path)\(failures.isEmpty ? "" : "; \(failures.count) step(s) failed")\n")
    return failures.isEmpty ? 0 : 1
}

do {
    if CommandLine.arguments.dropFirst().first == "search" {   // SearchBench.swift
        exit(try runSearchBenchmark(try SearchBenchOptions.parse(Array(CommandLine.arguments.dropFirst(2)))))
    }
    let options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
    exit(try runBenchmark(options))
} catch {
    writeStderr("claimledger-bench: error: \(error)\n")
    exit(2)
}
