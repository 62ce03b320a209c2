import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Glibc
import Testing

/// Many writer processes and a reader against one ledger: the exclusive flock serialises appends,
/// readers see a consistent prefix. Set RELIABILITY_WRITERS / RELIABILITY_APPENDS for longer runs.
@Suite("Reliability: concurrency", .serialized)
struct ReliabilityConcurrencyTests {
    /// $1 tool, $2 ledger, $3 key, $4 writer tag, $5 appends, $6 failure log. Failures are logged, not retried.
    static let writerLoop = """
        i=0
        while [ $i -lt "$5" ]; do
          i=$((i+1))
          "$1" claim status claim-one corroborated --rationale "$4-$i" --ledger "$2" --key "$3" >/dev/null 2>>"$6.err" \\
            || echo "$4 $i exit $?" >> "$6"
        done
        """

    @Test("4 writers x 200 appends with a reader verifying meanwhile: every read ok, all appends present exactly once, seq contiguous")
    func writersAndReader() throws {
        let env = ProcessInfo.processInfo.environment
        let writers = max(4, Int(env["RELIABILITY_WRITERS"] ?? "") ?? 4)
        let appends = max(200, Int(env["RELIABILITY_APPENDS"] ?? "") ?? 200)
        let ledger = try RelLedger()
        defer { ledger.remove() }
        let before = try ledger.parsedEntries().count
        let started = relMillis()
        var pids = [pid_t]()
        for w in 0..<writers {
            let pid = RelProcess.spawn("/bin/sh", ["-c", Self.writerLoop, "sh", RelProcess.toolPath, ledger.path, ledger.deskKey,
                                                   "w\(w)", "\(appends)", ledger.dir + "/fail-\(w)"])
            try #require(pid > 0)
            pids.append(pid)
        }
        var reads = 0, lastSeen = before, badReads = [String]()
        var running = Set(pids)
        while !running.isEmpty {
            let r = RelProcess.tool(["verify", "--json", "--ledger", ledger.path])
            let o = (try? JSONSerialization.jsonObject(with: Data(r.out.utf8))) as? [String: Any] ?? [:]
            let entries = o["entries"] as? Int ?? -1
            if r.status != 0 || o["ok"] as? Bool != true { badReads.append(r.description) }
            if entries < lastSeen { badReads.append("read \(reads) saw \(entries) entries after \(lastSeen)") }
            lastSeen = max(lastSeen, entries)
            reads += 1
            usleep(100_000)  // leave the writers most of the CPU
            for pid in running {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid { running.remove(pid) }
            }
        }
        let seconds = (relMillis() - started) / 1000
        #expect(badReads.isEmpty, "\(badReads.count) bad reads, first: \(badReads.first ?? "")")
        for w in 0..<writers {
            let failures = (try? String(contentsOfFile: ledger.dir + "/fail-\(w)", encoding: .utf8)) ?? ""
            let errors = (try? String(contentsOfFile: ledger.dir + "/fail-\(w).err", encoding: .utf8)) ?? ""
            #expect(failures.isEmpty, "writer \(w) failed: \(failures.prefix(500)) \(errors.prefix(500))")
        }

        let v = ledger.verifyJSON()
        #expect(v.status == 0 && v.ok)
        let all = try ledger.parsedEntries()  // every line parses: no interleaved or torn bytes
        #expect(all.count == before + writers * appends)
        #expect(all.enumerated().allSatisfy { $0.offset == $0.element.entry.seq }, "seq is not contiguous")
        var seen = [String: Int]()
        for e in all {
            if case .status(let s) = e.entry.payload { seen[s.rationale, default: 0] += 1 }
        }
        for w in 0..<writers {
            let mine = (1...appends).filter { seen["w\(w)-\($0)"] == 1 }.count
            #expect(mine == appends, "writer \(w): \(mine) of \(appends) appends present exactly once")
            // Each writer's appends are in its own order.
            let order = all.compactMap { e -> Int? in
                guard case .status(let s) = e.entry.payload, s.rationale.hasPrefix("w\(w)-") else { return nil }
                return Int(s.rationale.dropFirst("w\(w)-".count))
            }
            #expect(order == Array(1...appends), "writer \(w)'s appends are out of order")
        }
        #expect(reads >= 2, "the reader ran only \(reads) times")
        print("RELIABILITY concurrency: writers=\(writers) appends=\(writers * appends) seconds=\(Int(seconds)) reads=\(reads) entries=\(all.count)")
    }

    /// $1 tool, $2 ledger, $3 key, $4 writer tag, $5 batches, $6 folder. Each import holds 5 statuses.
    static let batchLoop = """
        i=0
        while [ $i -lt "$5" ]; do
          i=$((i+1))
          f="$6/$4-$i.jsonl"
          for k in 1 2 3 4 5; do
            printf '{"type":"status","claim":"claim-one","status":"refuted","rationale":"%s-%s-%s"}\\n' "$4" "$i" "$k" >> "$f"
          done
          "$1" import "$f" --ledger "$2" --key "$3" >/dev/null 2>>"$6/$4.err" || echo "$4 $i" >> "$6/$4.fail"
        done
        """

    @Test("Concurrent import batches and single appends: each batch occupies consecutive seqs, nothing lost")
    func batchesStayContiguous() throws {
        let ledger = try RelLedger()
        defer { ledger.remove() }
        let batches = 25
        var pids = [pid_t]()
        for w in 0..<2 {
            pids.append(RelProcess.spawn("/bin/sh", ["-c", Self.batchLoop, "sh", RelProcess.toolPath, ledger.path, ledger.deskKey,
                                                     "b\(w)", "\(batches)", ledger.dir]))
            pids.append(RelProcess.spawn("/bin/sh", ["-c", Self.writerLoop, "sh", RelProcess.toolPath, ledger.path, ledger.deskKey,
                                                     "s\(w)", "\(batches)", ledger.dir + "/single-\(w)"]))
        }
        for pid in pids { #expect(RelProcess.wait(pid) == 0) }
        let failures = relListDirectory(ledger.dir).filter { $0.hasSuffix(".fail") || ($0.hasPrefix("single-") && !$0.hasSuffix(".err")) }
        #expect(failures.isEmpty, "failed appends logged in \(failures)")
        #expect(ledger.verifyJSON().ok)
        var seqOf = [String: Int]()
        for e in try ledger.parsedEntries() {
            if case .status(let s) = e.entry.payload { seqOf[s.rationale] = e.entry.seq }
        }
        for w in 0..<2 {
            for i in 1...batches {
                let seqs = (1...5).compactMap { seqOf["b\(w)-\(i)-\($0)"] }
                #expect(seqs.count == 5 && seqs == Array(seqs[0]..<(seqs[0] + 5)), "batch b\(w)-\(i) at \(seqs)")
            }
            #expect((1...batches).allSatisfy { seqOf["s\(w)-\($0)"] != nil }, "single appends of s\(w) missing")
        }
    }
}

func relListDirectory(_ directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
}
