import Glibc

/// `openssl speed -mr -elapsed -seconds S [-multi C] ed25519`: the machine's Ed25519 ceiling, measured in
/// the same run as the ledger so that a loaded machine lowers both.
struct OpenSSLSpeed {
    var label: String
    var processes: Int
    var signPerSecond: Double
    var verifyPerSecond: Double

    /// Runs one measurement; `processes` > 1 adds `-multi`. The rates are the totals over all processes.
    static func measure(label: String, seconds: Int, processes: Int, scratch: String) throws -> OpenSSLSpeed {
        var args = ["speed", "-mr", "-elapsed", "-seconds", String(seconds)]
        if processes > 1 { args += ["-multi", String(processes)] }
        args.append("ed25519")
        let out = scratch + "/openssl-speed.out", err = scratch + "/openssl-speed.err"
        let r = try Child.run("openssl", args, stdout: out, stderr: err, timeout: Double(seconds * 4 + 60), searchPath: true)
        guard r.ok else { throw BenchError("openssl speed failed (\(r.failureText)): \(Files.text(err).suffix(300))") }
        // -mr prints "+F6:<n>:253:Ed25519:<sign/s>:<verify/s>"; with -multi the children's lines come as
        // "Got: +F6:... from <i>" and the last, bare line is the sum.
        let lines = Files.text(out).split(separator: "\n").filter { $0.hasPrefix("+F6:") }
        guard let last = lines.last else { throw BenchError("no +F6 line in openssl speed output: \(Files.text(out).suffix(300))") }
        let fields = last.split(separator: ":")
        guard fields.count >= 6, let sign = Double(fields[fields.count - 2]), let verify = Double(fields[fields.count - 1]) else {
            throw BenchError("cannot parse openssl speed line \(last)")
        }
        return OpenSSLSpeed(label: label, processes: processes, signPerSecond: sign, verifyPerSecond: verify)
    }
}

/// The limits the targets are ratios of, from one or more measurement rounds (averaged).
struct OpenSSLLimits {
    var rounds: [OpenSSLSpeed]
    let cores: Int

    private func mean(_ processes: Int, _ value: (OpenSSLSpeed) -> Double) -> Double {
        let xs = rounds.filter { $0.processes == processes }.map(value)
        return xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count)
    }

    /// Single-core `openssl speed ed25519` signs per second (the import target's base).
    var singleSign: Double { mean(1, \.signPerSecond) }
    var singleVerify: Double { mean(1, \.verifyPerSecond) }
    /// cores × single-core verifies per second (the verify target's base, as the issue defines it).
    var coresTimesVerify: Double { Double(cores) * singleVerify }
    /// What `-multi cores` measured: the parallel ceiling actually available on this (shared) machine.
    var multiVerify: Double { mean(cores, \.verifyPerSecond) }
    var multiSign: Double { mean(cores, \.signPerSecond) }
}

/// Facts about the machine for the report.
enum Machine {
    static var cores: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    static var cpuModel: String {
        for line in Files.text("/proc/cpuinfo").split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last.map { String($0).trimmed } ?? "?"
        }
        return "?"
    }

    /// The 1, 5 and 15 minute load averages.
    static var loadAverage: String {
        Files.text("/proc/loadavg").split(separator: " ").prefix(3).joined(separator: " ")
    }

    static func openSSLVersion(scratch: String) -> String {
        Child.output("openssl", ["version"], scratch: scratch)?.trimmed ?? "?"
    }

    static func gitRevision(scratch: String) -> String {
        guard let rev = Child.output("git", ["rev-parse", "--short", "HEAD"], scratch: scratch)?.trimmed else { return "?" }
        let dirty = Child.output("git", ["status", "--porcelain", "--", "Sources", "Package.swift"], scratch: scratch)?.trimmed ?? ""
        return dirty.isEmpty ? rev : rev + " + uncommitted changes in Sources/Package.swift"
    }

    /// The current UTC time as YYYY-MM-DD HH:MM:SS.
    static var utcNow: String {
        var t = time(nil)
        var tm = tm()
        gmtime_r(&t, &tm)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(tm.tm_year + 1900)-\(two(tm.tm_mon + 1))-\(two(tm.tm_mday)) \(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) UTC"
    }
}

extension StringProtocol {
    var trimmed: String {
        String(drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" }).reversed())
    }
}
