import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Glibc
import LedgerCrypto
import Testing

/// What one run of a process did (reliability tests' own runner: posix_spawn, output to files).
struct RelRun: Sendable, CustomStringConvertible {
    let status: Int32
    let out: String
    let err: String
    var description: String { "exit \(status)\nstdout: \(out.prefix(1500))\nstderr: \(err.prefix(1500))" }
}

/// Spawns processes directly with posix_spawn, so a test can put a child in its own process group
/// (and SIGKILL the whole group) and run many short commands cheaply.
enum RelProcess {
    static let repoRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The `claimledger` built beside the test bundle, else where `swift build --show-bin-path` says.
    static let toolPath: String = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        for folder in [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(), bundle.deletingLastPathComponent()] {
            let candidate = folder.appendingPathComponent("claimledger").path
            if access(candidate, X_OK) == 0 { return candidate }
        }
        let shown = run("/usr/bin/env", ["swift", "build", "--package-path", repoRoot, "--show-bin-path"])
        return shown.out.trimmingCharacters(in: .whitespacesAndNewlines) + "/claimledger"
    }()

    /// The environment of children: ours, without the variables that change claimledger's behaviour.
    static func environment(_ extra: [String: String]) -> [String] {
        var env = ProcessInfo.processInfo.environment
        env["CLAIMLEDGER_KEY"] = nil
        env["CLAIMLEDGER_TIME"] = nil
        env.merge(extra) { $1 }
        return env.map { "\($0.key)=\($0.value)" }
    }

    /// Starts `path args` with stdout and stderr to files (or /dev/null); `newGroup` makes it a group leader.
    static func spawn(_ path: String, _ args: [String], env: [String: String] = [:], stdin: String = "/dev/null",
                      stdout: String = "/dev/null", stderr: String = "/dev/null", newGroup: Bool = false) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if newGroup {
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        let argv = ([path] + args).map { strdup($0) } + [nil]
        let envp = environment(env).map { strdup($0) } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        return rc == 0 ? pid : -1
    }

    /// Waits for `pid`; returns its exit status, or 128 + signal.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    static func run(_ path: String, _ args: [String], env: [String: String] = [:], stdin: String = "/dev/null") -> RelRun {
        let base = NSTemporaryDirectory() + "rel-run-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        defer { unlink(base + ".out"); unlink(base + ".err") }
        let pid = spawn(path, args, env: env, stdin: stdin, stdout: base + ".out", stderr: base + ".err")
        guard pid > 0 else { return RelRun(status: -1, out: "", err: "spawn failed") }
        let status = wait(pid)
        let out = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
        return RelRun(status: status, out: out, err: err)
    }

    /// Runs `claimledger args`.
    static func tool(_ args: [String], env: [String: String] = [:], stdin: String = "/dev/null") -> RelRun {
        run(toolPath, args, env: env, stdin: stdin)
    }
}

/// A throwaway ledger for reliability tests: root and journalist keys (mode 0600, made in-process), a
/// ledger with the journalist admitted, one archived article and the claim `claim-one` (entries 0-3).
struct RelLedger {
    static let article = "Officials said the bridge reopened on Monday after repairs. Critics disputed the cost figures.\n"
    let dir: String
    var path: String { dir + "/ledger" }
    var entries: String { path + "/entries.jsonl" }
    var rootKey: String { dir + "/root.pem" }
    var deskKey: String { dir + "/desk.pem" }
    var source = ""
    /// The environment of every command this fixture runs (e.g. CLAIMLEDGER_TIME for reproducible bytes).
    var env: [String: String] = [:]

    /// A RAM-backed folder when there is one (fsync is then free), for tests that append thousands of times.
    static let fastBase: String = access("/dev/shm", W_OK) == 0 ? "/dev/shm/" : NSTemporaryDirectory()

    init(populated: Bool = true, base: String = NSTemporaryDirectory(), time: String? = nil) throws {
        var template = Array((base + "claimledger-rel-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw RelFailure("mkdtemp failed") }
        dir = String(cString: made)
        if let time { env["CLAIMLEDGER_TIME"] = time }
        try KeyFiles.write(try Ed25519PrivateKey.generate(), to: rootKey)
        try KeyFiles.write(try Ed25519PrivateKey.generate(), to: deskKey)
        try expect(["init", "--ledger", path, "--origin", "rel.example/claims", "--name", "root", "--key", rootKey])
        try expect(["key", "add", deskKey + ".pub", "--name", "desk", "--ledger", path, "--key", rootKey])
        guard populated else { return }
        try Data(Self.article.utf8).write(to: URL(fileURLWithPath: dir + "/article.txt"))
        source = try expect(["source", "add", dir + "/article.txt", "--title", "Bridge", "--publisher", "Desk",
                             "--url", "https://example.org/bridge", "--published", "2026-01-05", "--language", "en",
                             "--ledger", path, "--key", deskKey]).out.trimmingCharacters(in: .newlines)
        try expect(["claim", "add", "--source", source, "--quote", "the bridge reopened on Monday", "--id", "claim-one",
                    "--statement", "The bridge reopened on Monday.", "--claimant", "Officials", "--ledger", path, "--key", deskKey])
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }

    /// Runs claimledger and requires exit 0.
    @discardableResult
    func expect(_ args: [String]) throws -> RelRun {
        let r = RelProcess.tool(args, env: env)
        guard r.status == 0 else { throw RelFailure("claimledger \(args.joined(separator: " ")): \(r)") }
        return r
    }

    /// `claim status claim-one STATUS --rationale R` with the journalist's key.
    func status(_ rationale: String, _ status: String = "disputed") -> RelRun {
        RelProcess.tool(["claim", "status", "claim-one", status, "--rationale", rationale, "--ledger", path, "--key", deskKey], env: env)
    }

    func verifyJSON() -> (status: Int32, ok: Bool, code: String?, entries: Int) {
        let r = RelProcess.tool(["verify", "--json", "--ledger", path])
        let o = (try? JSONSerialization.jsonObject(with: Data(r.out.utf8))) as? [String: Any] ?? [:]
        return (r.status, o["ok"] as? Bool ?? false, o["code"] as? String, o["entries"] as? Int ?? -1)
    }

    /// Every complete line of entries.jsonl, parsed (fails on any line that does not parse).
    func parsedEntries() throws -> [SignedEntry] {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: entries)))
        return try bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map { try SignedEntry.parse(line: Array($0)) }
    }

    /// The rationales of every status entry, in ledger order.
    func rationales() throws -> [String] {
        try parsedEntries().compactMap { e in
            if case .status(let s) = e.entry.payload { return s.rationale }
            return nil
        }
    }
}

struct RelFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum RelFiles {
    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
    static func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
    static func write(_ text: String, _ path: String) throws { try write(Array(text.utf8), path) }
    static func mode(_ path: String) -> mode_t {
        var st = stat()
        return stat(path, &st) == 0 ? st.st_mode & 0o7777 : 0xFFFF
    }
    static func size(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : -1
    }
    /// Rewrites `path` in place (same inode) with `bytes` and sets its modification time back to `mtime`, so
    /// that fingerprints of (size, mtime, inode) cannot tell it was touched.
    static func restore(_ bytes: [UInt8], _ path: String, mtime: timespec) {
        let fd = open(path, O_WRONLY)
        defer { close(fd) }
        ftruncate(fd, off_t(bytes.count))
        _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        let times = [mtime, mtime]
        futimens(fd, times)
    }
    static func mtime(_ path: String) -> timespec {
        var st = stat()
        _ = stat(path, &st)
        return st.st_mtim
    }
    /// Overwrites one byte in place (no truncation, no rename).
    static func poke(_ path: String, at offset: Int, _ byte: UInt8) {
        let fd = open(path, O_WRONLY)
        var b = byte
        _ = pwrite(fd, &b, 1, off_t(offset))
        close(fd)
    }
}

/// Milliseconds since an arbitrary origin (monotonic).
func relMillis() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
}

extension RelLedger {
    /// An import file of claims `<prefix>-N` for N in `ids`, each quoting the ledger's source (every third
    /// with a first status), then a later status for each of `later` (claim number, status), in order.
    func claimsImportFile(ids: Range<Int>, prefix: String, later: [(Int, String)] = []) throws -> String {
        var lines = [String]()
        for i in ids {
            lines.append(#"{"type":"claim","id":"\#(prefix)-\#(i)","statement":"Claim \#(i).","lang":"en","claimant":"Officials","quotes":[{"source":"\#(source)","text":"the bridge reopened on Monday","offset":15}]\#(i % 3 == 0 ? #","status":"disputed","rationale":"first""# : "")}"#)
        }
        for (i, status) in later { lines.append(#"{"type":"status","claim":"\#(prefix)-\#(i)","status":"\#(status)","rationale":"later"}"#) }
        let path = dir + "/import-\(ids.lowerBound).jsonl"
        try RelFiles.write(lines.joined(separator: "\n") + "\n", path)
        return path
    }
}
