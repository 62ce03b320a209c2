import Glibc

/// The results as Markdown: the OpenSSL ceilings of the run, then one row per measured process.
struct Report {
    let limits: OpenSSLLimits
    let rows: [Row]

    /// A target's description, the measured value, and whether it passes (nil when not measured).
    func evaluate(_ target: Target, _ row: Row) -> (target: String, measured: String, pass: Bool?) {
        let r = row.result.flatMap { $0.ok ? $0 : nil }
        switch target {
        case .signRatio(let x):
            let base = limits.singleSign
            guard let rate = row.rate, base > 0 else { return ("≥ \(fixed(x, 2)) × 1-core sign/s", "—", nil) }
            let near = row.adjacent.map { "<br>(adjacent openssl \(grouped($0.signPerSecond))/s: \(fixed(rate / $0.signPerSecond, 3))×)" } ?? ""
            return ("≥ \(fixed(x, 2)) × \(grouped(base)) sign/s", "\(fixed(rate / base, 3))×" + near, rate / base >= x)
        case .verifyRatio(let x):
            let base = limits.coresTimesVerify
            guard let rate = row.rate, base > 0 else { return ("≥ \(fixed(x, 2)) × cores × verify/s", "—", nil) }
            var extra = row.adjacent.map {
                "<br>(adjacent openssl \(limits.cores) × \(grouped($0.verifyPerSecond))/s: \(fixed(rate / (Double(limits.cores) * $0.verifyPerSecond), 3))×)"
            } ?? ""
            if limits.multiVerify > 0 { extra += "<br>(vs `-multi \(limits.cores)` \(grouped(limits.multiVerify))/s: \(fixed(rate / limits.multiVerify, 3))×)" }
            return ("≥ \(fixed(x, 2)) × \(limits.cores) × \(grouped(limits.singleVerify)) verify/s",
                    "\(fixed(rate / base, 3))×" + extra, rate / base >= x)
        case .maxMilliseconds(let ms):
            guard let r else { return ("< \(grouped(ms)) ms", "—", nil) }
            return ("< \(grouped(ms)) ms", "\(fixed(r.seconds * 1000, 1)) ms", r.seconds * 1000 < ms)
        case .maxMiB(let m):
            guard let r else { return ("RSS < \(grouped(m)) MiB", "—", nil) }
            return ("RSS < \(grouped(m)) MiB", mib(r.maxRSSKiB), Double(r.maxRSSKiB) / 1024 < m)
        }
    }

    var openSSLTable: String {
        var out = "| openssl speed ed25519 | processes | sign/s | verify/s |\n|---|---:|---:|---:|\n"
        for s in limits.rounds {
            out += "| \(s.label) | \(s.processes) | \(grouped(s.signPerSecond)) | \(grouped(s.verifyPerSecond)) |\n"
        }
        out += "| **limits used** (mean of rounds) | 1 | \(grouped(limits.singleSign)) | \(grouped(limits.singleVerify)) |\n"
        out += "| cores × 1-process verify/s (verify target base) | \(limits.cores) | | \(grouped(limits.coresTimesVerify)) |\n"
        if limits.multiVerify > 0 {
            out += "| `-multi \(limits.cores)` measured (mean) | \(limits.cores) | \(grouped(limits.multiSign)) | \(grouped(limits.multiVerify)) |\n"
        }
        return out
    }

    var resultsTable: String {
        var out = "| operation | claims | entries | time | rate (entries/s) | CPU/wall | peak RSS | target | measured | pass |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|---|---:|---|\n"
        for row in rows {
            let r = row.result
            let time = r.map { $0.ok ? seconds($0.seconds) : "(\(seconds($0.seconds)))" } ?? "—"
            let rate = row.rate.map { grouped($0) } ?? "—"
            let cpu = r.map { $0.seconds > 0 ? fixed($0.cpuSeconds / $0.seconds, 2) : "—" } ?? "—"
            let rss = r.map { mib($0.maxRSSKiB) } ?? "—"
            var targets = [String](), measured = [String](), verdicts = [String]()
            for t in row.targets {
                let e = evaluate(t, row)
                targets.append(e.target)
                measured.append(e.measured)
                verdicts.append(e.pass.map { $0 ? "pass" : "**FAIL**" } ?? "—")
            }
            if let error = row.error {
                verdicts = [(error.hasPrefix("not run") ? "" : "**ERROR**: ") + String(error.replacingOccurrences(of: "|", with: "/").replacingOccurrences(of: "\n", with: " ").prefix(160))]
            }
            func cell(_ xs: [String]) -> String { xs.isEmpty ? "—" : xs.joined(separator: "<br>") }
            out += "| \(row.operation) | \(grouped(Double(row.claims))) | \(grouped(Double(row.entries))) | \(time) | \(rate) | \(cpu) "
                + "| \(rss) | \(cell(targets)) | \(cell(measured)) | \(cell(verdicts)) |\n"
        }
        return out
    }
}

// MARK: - Formatting without Foundation

func fixed(_ x: Double, _ decimals: Int) -> String {
    guard x.isFinite else { return "\(x)" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let n = Int((abs(x) * scale).rounded())
    let whole = n / Int(scale), frac = n % Int(scale)
    var f = String(frac)
    while f.count < decimals { f = "0" + f }
    return (x < 0 && n != 0 ? "-" : "") + String(whole) + (decimals > 0 ? "." + f : "")
}

/// An integer with thousands separators (rounded).
func grouped(_ x: Double) -> String {
    guard x.isFinite else { return "\(x)" }
    let digits = String(Int(abs(x).rounded()))
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
        out.append(c)
    }
    return (x < 0 ? "-" : "") + out
}

func seconds(_ s: Double) -> String {
    s < 1 ? "\(fixed(s * 1000, 1)) ms" : "\(fixed(s, 2)) s"
}

func mib(_ kib: Int) -> String { "\(fixed(Double(kib) / 1024, 1)) MiB" }

extension String {
    func replacingOccurrences(of target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}

/// Writes to file descriptor 2 (the C `stderr` global is not concurrency-safe in Swift 6).
func writeStderr(_ text: String) {
    let bytes = Array(text.utf8)
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { write(2, $0.baseAddress! + done, $0.count - done) }
        if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
        done += n
    }
}
