import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Glibc
import Testing

/// Crash safety: appenders SIGKILLed at random moments, torn tails written by hand, and every possible
/// cut point of a batch (what a power loss could leave). Set RELIABILITY_CRASH_TRIALS for longer runs.
@Suite("Reliability: crash safety", .serialized)
struct ReliabilityCrashTests {
    /// $1 tool, $2 ledger, $3 key, $4 work folder, $5 trial tag. Every 4th round imports a batch of 4 statuses;
    /// an acknowledgement line is written only after the command exited 0.
    static let appendLoop = """
        i=0
        while [ $i -lt 100000 ]; do
          i=$((i+1))
          if [ $((i % 4)) -eq 0 ]; then
            f="$4/imp-$i.jsonl"
            : > "$f.tmp"
            for k in 1 2 3 4; do
              printf '{"type":"status","claim":"claim-one","status":"refuted","rationale":"%sb%s-%s"}\\n' "$5" "$i" "$k" >> "$f.tmp"
            done
            mv "$f.tmp" "$f"
            "$1" import "$f" --ledger "$2" --key "$3" >/dev/null 2>>"$4/err" && echo "b $i" >> "$4/ack"
          else
            "$1" claim status claim-one disputed --rationale "$5n$i" --ledger "$2" --key "$3" >/dev/null 2>>"$4/err" && echo "n $i" >> "$4/ack"
          fi
        done
        """

    @Test("SIGKILL of appenders at random moments: verify ok or torn-line, acknowledged appends kept, batches all-or-nothing")
    func killedAppenders() throws {
        let ledger = try RelLedger()
        defer { ledger.remove() }
        let trials = Int(ProcessInfo.processInfo.environment["RELIABILITY_CRASH_TRIALS"] ?? "") ?? 30
        var acked = 0, torn = 0, partialBatchesSeen = 0
        for trial in 0..<trials {
            let work = ledger.dir + "/trial-\(trial)"
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: false)
            let tag = "t\(trial)"
            let pid = RelProcess.spawn("/bin/sh", ["-c", Self.appendLoop, "sh", RelProcess.toolPath, ledger.path, ledger.deskKey, work, tag],
                                       newGroup: true)
            try #require(pid > 0)
            usleep(UInt32.random(in: 20_000...700_000))
            kill(-pid, SIGKILL)
            _ = RelProcess.wait(pid)
            relWaitForGroupToDie(pid)

            var v = ledger.verifyJSON()
            if v.status == 4 {
                #expect(v.code == "torn-line", "trial \(trial): exit 4 with code \(v.code ?? "nil")")
                let r = RelProcess.tool(["recover", "--ledger", ledger.path])
                #expect(r.status == 0 && r.out.contains("Removed a torn last line"), "trial \(trial): \(r)")
                torn += 1
                v = ledger.verifyJSON()
            }
            try #require(v.status == 0 && v.ok, "trial \(trial): verify after the kill: \(v)")

            let present = Set(try ledger.rationales())
            let ackText = (try? String(contentsOfFile: work + "/ack", encoding: .utf8)) ?? ""
            for line in ackText.split(separator: "\n", omittingEmptySubsequences: true) where ackText.contains(line + "\n") {
                let parts = line.split(separator: " ")
                guard parts.count == 2 else { continue }
                acked += 1
                if parts[0] == "n" {
                    #expect(present.contains("\(tag)n\(parts[1])"), "trial \(trial): acknowledged append \(line) missing")
                } else {
                    for k in 1...4 { #expect(present.contains("\(tag)b\(parts[1])-\(k)"), "trial \(trial): acknowledged batch \(line) lacks item \(k)") }
                }
            }
            // Batches: all four items or none, whether acknowledged or not.
            var batchItems = [String: Int]()
            for r in present where r.hasPrefix(tag + "b") { batchItems[String(r.dropLast(2)), default: 0] += 1 }
            for (batch, n) in batchItems where n != 4 {
                partialBatchesSeen += 1
                Issue.record("trial \(trial): batch \(batch) has \(n) of 4 entries")
            }
        }
        // The ledger is still writable and verifies after all the kills.
        #expect(ledger.status("after the crash trials").status == 0)
        let final = ledger.verifyJSON()
        #expect(final.status == 0 && final.ok)
        #expect(acked > 0, "no append was ever acknowledged: the delays are too short for this machine")
        // Temporary files of interrupted atomic writes are allowed (FORMAT.md 2.3) but worth counting.
        let leftovers = ["index", "sources/sha256", "tree"].flatMap { relListDirectory(ledger.path + "/" + $0) }.filter { $0.hasPrefix(".tmp-") }
        print("RELIABILITY crash: trials=\(trials) acknowledged=\(acked) tornRecovered=\(torn) partialBatches=\(partialBatchesSeen) entries=\(final.entries) tmpLeftovers=\(leftovers.count)")
    }

    @Test("A torn last line written by hand: appends refuse with exit 4, verify says torn-line, recover says what it removes")
    func handWrittenTornTail() throws {
        let ledger = try RelLedger()
        defer { ledger.remove() }
        let before = try RelFiles.bytes(ledger.entries)
        let fragment = Array(#"{"entry":{"payload":{"claim":"claim-one","rationale":"half a li"#.utf8)
        try RelFiles.write(before + fragment, ledger.entries)

        let refused = ledger.status("must not be written")
        #expect(refused.status == 4, "\(refused)")
        #expect(refused.err.split(separator: "\n").count == 1 && refused.err.contains("recover"), "\(refused)")
        #expect(try RelFiles.bytes(ledger.entries) == before + fragment, "a refused append changed the ledger")
        let v = ledger.verifyJSON()
        #expect(v.status == 4 && v.code == "torn-line" && !v.ok)

        let dry = RelProcess.tool(["recover", "--dry-run", "--ledger", ledger.path])
        #expect(dry.status == 0 && dry.out.contains("Would remove a torn last line of \(fragment.count) bytes after entry 3"), "\(dry)")
        #expect(try RelFiles.bytes(ledger.entries) == before + fragment, "--dry-run changed the ledger")
        let done = RelProcess.tool(["recover", "--ledger", ledger.path])
        #expect(done.status == 0 && done.out.contains("Removed a torn last line of \(fragment.count) bytes after entry 3"), "\(done)")
        #expect(done.out.contains(#"{"entry":{"payload""#), "recover does not show what it removed: \(done)")
        #expect(try RelFiles.bytes(ledger.entries) == before)
        #expect(ledger.verifyJSON().ok)
        #expect(ledger.status("written after recover").status == 0)
        let again = RelProcess.tool(["recover", "--ledger", ledger.path])
        #expect(again.status == 0 && again.out.hasPrefix("Nothing to recover"), "\(again)")
    }

    @Test("Every cut point of a batch (a partly persisted write): verify ok or torn-line, recover restores a verifying ledger")
    func everyCutPointOfABatch() throws {
        let ledger = try RelLedger()
        defer { ledger.remove() }
        let start = RelFiles.size(ledger.entries)
        let items = (1...3).map { #"{"type":"status","claim":"claim-one","status":"refuted","rationale":"cut \#($0)"}"# }
        try RelFiles.write(items.joined(separator: "\n") + "\n", ledger.dir + "/batch.jsonl")
        try ledger.expect(["import", ledger.dir + "/batch.jsonl", "--ledger", ledger.path, "--key", ledger.deskKey])
        let full = try RelFiles.bytes(ledger.entries)
        let boundaries = Set(full.indices.filter { full[$0] == 0x0A }.map { $0 + 1 })
        var cuts = 0, tornSeen = 0
        for cut in start..<full.count {
            try RelFiles.write(Array(full[..<cut]), ledger.entries)
            let store = try LedgerStore.open(ledger.path)
            let report = try store.verify().report
            if boundaries.contains(cut) {
                #expect(report.ok, "cut at \(cut) (a line boundary): \(String(describing: report.failure))")
            } else {
                #expect(report.failure?.code == .tornLine, "cut at \(cut): \(String(describing: report.failure))")
                let r = try store.recover()
                #expect(r.removedBytes == cut - (boundaries.filter { $0 <= cut }.max() ?? 0))
                #expect(try store.verify().report.ok, "cut at \(cut): still failing after recover")
                tornSeen += 1
            }
            cuts += 1
        }
        try RelFiles.write(full, ledger.entries)
        #expect(cuts == full.count - start && tornSeen == cuts - 3)
        print("RELIABILITY cut points: \(cuts) cuts of a 3-entry batch, \(tornSeen) torn and recovered")
    }
}

/// Waits (at most 5 s) until no live (non-zombie) process is left in process group `pgid`.
func relWaitForGroupToDie(_ pgid: pid_t) {
    for _ in 0..<500 {
        var alive = false
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(name) != nil {
            guard let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            if fields.count > 2, fields[0] != "Z", fields[2] == "\(pgid)" { alive = true; break }
        }
        if !alive { return }
        usleep(10_000)
    }
}
