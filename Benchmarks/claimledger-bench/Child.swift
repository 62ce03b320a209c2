import Glibc

/// A benchmark failure that stops a step (not a slow result: speed never fails the benchmark).
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What one child process cost, measured from outside: wall time on the monotonic clock from just before
/// `posix_spawn` to the moment `wait4` reaped it, and its CPU time and peak RSS from `wait4`'s rusage.
struct ChildResult {
    var exitCode: Int32
    var signal: Int32
    var seconds: Double
    var cpuSeconds: Double
    var maxRSSKiB: Int
    var timedOut: Bool

    var ok: Bool { !timedOut && signal == 0 && exitCode == 0 }

    var failureText: String {
        if timedOut { return "killed at the --timeout" }
        if signal == SIGKILL { return "killed by SIGKILL (out of memory?)" }
        if signal != 0 { return "died of signal \(signal) (a crash; a failed allocation under --memory-limit ends so)" }
        return "exit status \(exitCode)"
    }
}

enum Clock {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// Runs programs as child processes with stdin from /dev/null and stdout, stderr to files.
enum Child {
    /// The environment children get: only these variables of ours (no CLAIMLEDGER_KEY or the like leaks in).
    private static let passedVariables = ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "OPENSSL_CONF", "OPENSSL_ia32cap"]

    /// Runs `program` (a path, or with `searchPath` a name looked up in PATH) and waits for it, killing it
    /// after `timeout` seconds. The wait polls with a sleep of at most 0.5% of the elapsed time (and at most
    /// 20 ms), so the measured wall time is late by at most that much; a blocked `wait4` would need a signal.
    static func run(_ program: String, _ arguments: [String], stdout: String, stderr: String,
                    timeout: Double, searchPath: Bool = false) throws -> ChildResult
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        let env: [UnsafeMutablePointer<CChar>?] = passedVariables.compactMap { name in
            getenv(name).map { strdup(name + "=" + String(cString: $0)) }
        } + [nil]
        defer {
            for p in argv { free(p) }
            for p in env { free(p) }
        }
        var pid: pid_t = 0
        let start = Clock.now()
        let rc = searchPath ? posix_spawnp(&pid, program, &actions, nil, argv, env)
                            : posix_spawn(&pid, program, &actions, nil, argv, env)
        guard rc == 0 else { throw BenchError("cannot start \(program): \(String(cString: strerror(rc)))") }

        var status: Int32 = 0
        var usage = rusage()
        var killed = false
        while true {
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid { break }
            if r < 0 && errno != EINTR { throw BenchError("wait4 failed: \(String(cString: strerror(errno)))") }
            let elapsed = Clock.now() - start
            if !killed && elapsed > timeout {
                kill(pid, SIGKILL)
                killed = true
            }
            let interval = min(0.02, max(0.000_1, elapsed / 200))
            var ts = timespec(tv_sec: 0, tv_nsec: Int(interval * 1e9))
            nanosleep(&ts, nil)
        }
        let seconds = Clock.now() - start
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        let signal = status & 0x7f
        return ChildResult(exitCode: signal == 0 ? (status >> 8) & 0xff : 0, signal: signal, seconds: seconds,
                           cpuSeconds: cpu, maxRSSKiB: usage.ru_maxrss, timedOut: killed)
    }

    /// Runs a short helper command and returns its stdout, or nil when it fails.
    static func output(_ program: String, _ arguments: [String], scratch: String) -> String? {
        let out = scratch + "/helper.out", err = scratch + "/helper.err"
        guard let r = try? run(program, arguments, stdout: out, stderr: err, timeout: 60, searchPath: true), r.ok,
              let bytes = try? Files.read(out) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Small file-system helpers on Glibc.
enum Files {
    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw BenchError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var out = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw BenchError("cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }

    static func text(_ path: String) -> String {
        (try? read(path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw BenchError("cannot create \(prefix): \(String(cString: strerror(errno)))")
            }
        }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func remove(_ path: String) throws {
        guard exists(path) else { return }
        let r = try Child.run("rm", ["-rf", path], stdout: "/dev/null", stderr: "/dev/null", timeout: 600, searchPath: true)
        guard r.ok else { throw BenchError("cannot remove \(path)") }
    }

    /// Directory of this executable (to find `claimledger` next to it).
    static func executableDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return "." }
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    }
}

/// Appends bytes to a file through a 1 MiB buffer.
final class BufferedWriter {
    private let fd: Int32
    private var buffer = [UInt8]()
    private(set) var bytesWritten = 0

    init(path: String) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw BenchError("cannot create \(path): \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(1 << 20 + 4096)
    }

    func append(_ s: String) throws {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw BenchError("write failed: \(String(cString: strerror(errno)))") }
            done += n
        }
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        _ = Glibc.close(fd)
    }
}
