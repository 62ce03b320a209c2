import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Glibc
import Testing

/// Hostile input: each refused with one line on stderr, a non-zero exit, and the ledger and archive unchanged.
@Suite("Reliability: hostile input")
struct ReliabilityHostileInputTests {
    static let status = #"{"type":"status","claim":"claim-one","status":"refuted","rationale":"#
    static func quoted(_ n: Int) -> String { "{\"source\":\"0000\",\"text\":\"t\"}" + String(repeating: ",{\"source\":\"0000\",\"text\":\"t\"}", count: n - 1) }

    /// Import lines (bytes) and what the error must mention.
    static let importLines: [(String, [UInt8], String)] = [
        ("overlong line", Array((status + "\"" + String(repeating: "a", count: 300_000) + "\"}").utf8), "262144"),
        ("nesting too deep", Array(#"{"type":"claim","statement":"s","claimant":"c","quotes":[[[[[[[[[1]]]]]]]]]}"#.utf8), "depth"),
        ("65 quotes", Array(#"{"type":"claim","statement":"s","claimant":"c","quotes":[\#(quoted(65))]}"#.utf8), "64"),
        ("129 quotes", Array(#"{"type":"claim","statement":"s","claimant":"c","quotes":[\#(quoted(129))]}"#.utf8), "128"),
        ("string over 16384 bytes", Array((status + "\"" + String(repeating: "b", count: 16_385) + "\"}").utf8), "16384"),
        ("invalid UTF-8", Array((status + "\"caf").utf8) + [0xC3, 0x28] + Array("\"}".utf8), "UTF-8"),
        ("lone surrogate escape", Array((status + #""\ud800 alone"}"#).utf8), "surrogate"),
        ("duplicate keys", Array((status + #""a","rationale":"b"}"#).utf8), "duplicate"),
        ("trailing bytes", Array((status + #""a"} x"#).utf8), "after"),
        ("unknown member", Array((status + #""a","verdict":"true"}"#).utf8), "verdict"),
        ("unknown type", Array(#"{"type":"verdict","claim":"claim-one"}"#.utf8), "verdict"),
        ("source path with ..", Array(#"{"type":"source","file":"../x.txt","title":"t","publisher":"p","url":"https://e.org/x","published":"2026-01-01","language":"en"}"#.utf8), ".."),
        ("absolute source path", Array(#"{"type":"source","file":"/etc/passwd","title":"t","publisher":"p","url":"https://e.org/x","published":"2026-01-01","language":"en"}"#.utf8), "relative"),
        ("source over 64 MiB", Array(#"{"type":"source","file":"big.bin","title":"t","publisher":"p","url":"https://e.org/x","published":"2026-01-01","language":"en"}"#.utf8), "67108864"),
    ]

    @Test("Hostile import lines are refused whole: exit 2, one line, nothing written", arguments: 0..<importLines.count)
    func hostileImport(index: Int) throws {
        let (name, line, word) = Self.importLines[index]
        let l = try RelLedger()
        defer { l.remove() }
        let big = l.dir + "/big.bin"
        let fd = open(big, O_WRONLY | O_CREAT, 0o644)
        ftruncate(fd, off_t(LedgerLimits.maxSourceBytes + 1))  // sparse: no 64 MiB written
        close(fd)
        let good = Array((Self.status + #""a good line before the bad one"}"#).utf8)
        try RelFiles.write(good + [0x0A] + line + [0x0A], l.dir + "/import.jsonl")
        try expectRefused(l, name, exit: 2, mentioning: word, ["import", l.dir + "/import.jsonl", "--ledger", l.path, "--key", l.deskKey])
    }

    @Test("Over-limit arguments and files on the command line are refused before anything is written")
    func hostileArguments() throws {
        let l = try RelLedger()
        defer { l.remove() }
        let big = l.dir + "/big.bin"
        let fd = open(big, O_WRONLY | O_CREAT, 0o644)
        ftruncate(fd, off_t(LedgerLimits.maxSourceBytes + 1))
        close(fd)
        let k = ["--ledger", l.path, "--key", l.deskKey]
        try expectRefused(l, "source over 64 MiB", exit: 2, mentioning: "67108864",
                          ["source", "add", big, "--title", "t", "--publisher", "p", "--url", "https://e.org/b", "--published", "2026-01-01", "--language", "en"] + k)
        try expectRefused(l, "rationale over 16384 bytes", exit: 2, mentioning: "16384",
                          ["claim", "status", "claim-one", "refuted", "--rationale", String(repeating: "r", count: 20_000)] + k)
        try expectRefused(l, "control character", exit: 2, mentioning: "control",
                          ["claim", "status", "claim-one", "refuted", "--rationale", "bell\u{07}"] + k)
        try expectRefused(l, "directory as a source", exit: 3, mentioning: "regular",
                          ["source", "add", l.dir, "--title", "t", "--publisher", "p", "--url", "https://e.org/b", "--published", "2026-01-01", "--language", "en"] + k)
        #expect(l.verifyJSON().ok)
    }

    @Test("A FIFO given as a key, source, import or checkpoint does not hang the tool")
    func fifoInputsDoNotHang() throws {
        let l = try RelLedger()
        defer { l.remove() }
        let fifo = l.dir + "/fifo"
        try #require(mkfifo(fifo, 0o600) == 0)
        let k = ["--ledger", l.path, "--key", l.deskKey]
        let cases: [[String]] = [
            ["claim", "status", "claim-one", "refuted", "--rationale", "x", "--ledger", l.path, "--key", fifo],
            ["source", "add", fifo, "--title", "t", "--publisher", "p", "--url", "https://e.org/f", "--published", "2026-01-01", "--language", "en"] + k,
            ["import", fifo] + k, ["key", "add", fifo, "--name", "f", "--ledger", l.path, "--key", l.rootKey],
            ["verify", "--checkpoint", fifo, "--ledger", l.path], ["verify", "--since", fifo, "--ledger", l.path],
        ]
        for args in cases {
            let r = relRunWithDeadline(args, seconds: 3)
            #expect(r != nil && r?.status != 0, "claimledger \(args.prefix(2).joined(separator: " ")) on a FIFO: \(r.map(\.description) ?? "hung")")
        }
    }

    @Test("Entry lines that are valid JSON but not the format: verify rejects them, appends refuse", arguments: [
        (#""seq":3,"#, #""seq":3.0,"#, "not-canonical"), (#""seq":3,"#, #""seq":3e0,"#, "not-canonical"),
        (#""seq":3,"#, #""seq":30e-1,"#, "not-canonical"), (#""type":"claim""#, #""type":"verdict""#, "invalid-entry"),
        (#""type":"claim""#, #""type":"claim","zz":1"#, "invalid-entry"), (#""entry":{"#, #""entry": {"#, "not-canonical"),
        (#""},"hash":""#, #""},"hash":"@"#, "malformed-line"), (#""The bridge"#, #""The \ud800bridge"#, "json"),
        (#""signature":""#, #""signature":"","signature":""#, "json"),
    ])
    func malformedEntryLines(from: String, to: String, code: String) throws {
        let l = try RelLedger()
        defer { l.remove() }
        var lines = String(decoding: try RelFiles.bytes(l.entries), as: UTF8.self).split(separator: "\n").map(String.init)
        if to.hasSuffix("\"@") {  // upper-case hex in the hash
            let hash = try #require(lines[3].range(of: #""hash":""#))
            let hex = lines[3][hash.upperBound...].prefix(64)
            lines[3] = lines[3].replacingOccurrences(of: String(hex), with: hex.uppercased())
        } else {
            try #require(lines[3].contains(from))
            lines[3] = lines[3].replacingOccurrences(of: from, with: to)
        }
        try RelFiles.write(lines.map { $0 + "\n" }.joined(), l.entries)
        let v = l.verifyJSON()
        #expect(v.status == 1 && !v.ok && v.code == code && v.entries == 3, "\(to): \(v)")
        try expectRefused(l, "append after \(to)", exit: 1, mentioning: "verify", ["claim", "status", "claim-one", "refuted", "--rationale", "x",
                                                                                 "--ledger", l.path, "--key", l.deskKey])
    }

    func expectRefused(_ l: RelLedger, _ name: String, exit: Int32, mentioning word: String, _ args: [String]) throws {
        let entries = try RelFiles.bytes(l.entries)
        let archive = relListDirectory(l.path + "/sources/sha256")
        let r = RelProcess.tool(args)
        #expect(r.status == exit, "\(name): \(r)")
        #expect(r.err.hasPrefix("claimledger: error: ") && r.err.hasSuffix("\n") && r.err.split(separator: "\n").count == 1, "\(name): \(r)")
        #expect(r.err.contains(word), "\(name): \"\(word)\" not in \(r.err.prefix(300))")
        #expect(try RelFiles.bytes(l.entries) == entries, "\(name): the ledger changed")
        #expect(relListDirectory(l.path + "/sources/sha256") == archive, "\(name): the archive changed")
    }
}

/// Runs claimledger; nil (after SIGKILL) when it has not exited within `seconds`.
func relRunWithDeadline(_ args: [String], seconds: Double) -> RelRun? {
    let base = NSTemporaryDirectory() + "rel-deadline-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    defer { unlink(base + ".out"); unlink(base + ".err") }
    let pid = RelProcess.spawn(RelProcess.toolPath, args, stdout: base + ".out", stderr: base + ".err")
    let deadline = relMillis() + seconds * 1000
    var status: Int32 = 0
    while relMillis() < deadline {
        if waitpid(pid, &status, WNOHANG) == pid {
            let out = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
            let err = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
            return RelRun(status: (status >> 8) & 0xFF, out: out, err: err)
        }
        usleep(20_000)
    }
    kill(pid, SIGKILL)
    _ = RelProcess.wait(pid)
    return nil
}
