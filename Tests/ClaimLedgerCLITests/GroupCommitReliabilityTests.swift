import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Glibc
import LedgerCrypto
import Testing

/// Group commit under crashes and beside CLI writers: a group is one batch under `append-in-progress`
/// (FORMAT.md 2.4), so every state a crash can leave is all of the group or none of it; CLI appends from
/// other processes interleave with groups through the same lock and nothing is lost.
@Suite("Group commit: crash safety and CLI writers", .serialized)
struct GroupCommitReliabilityTests {
    typealias Newsroom = GroupCommitTests.Newsroom

    static func statusRequests(_ key: Ed25519PrivateKey, tag: String, count: Int) -> [LedgerStore.AppendRequest] {
        (0..<count).map { k in
            LedgerStore.AppendRequest(drafts: [GroupCommitTests.status("claim-one", "\(tag)-\(k)")], key: key, time: GroupCommitTests.time)
        }
    }

    @Test("Every state a crash can leave of a group (marker written, any part of its bytes on disk): the writer refuses, recover removes the whole group")
    func everyCutPointOfAGroup() throws {
        let n = try Newsroom()
        defer { n.ledger.remove() }
        let before = try RelFiles.bytes(n.ledger.entries)
        var requests = Self.statusRequests(n.desk, tag: "cut", count: 4)
        requests.insert(LedgerStore.AppendRequest(drafts: [GroupCommitTests.status("nope", "refused")], key: n.desk, time: GroupCommitTests.time), at: 2)
        requests.append(LedgerStore.AppendRequest(drafts: [.editorial(.review(claim: "claim-one", decision: .approve, note: "cut"))],
                                                  key: n.editor, time: GroupCommitTests.time))
        let (results, _) = try LedgerStore.open(n.ledger.path).appendGroup(requests)
        #expect(results.filter { (try? $0.get()) != nil }.count == 5)
        let after = try RelFiles.bytes(n.ledger.entries)
        let marker = n.ledger.path + "/append-in-progress"
        let boundaries = (before.count..<after.count).filter { after[$0] == 0x0A }.map { $0 + 1 }
        #expect(boundaries.count == 5 && boundaries.last == after.count)
        var cuts = Set(boundaries.dropLast() + [before.count + 1, after.count - 1])
        while cuts.count < 40 { cuts.insert(Int.random(in: (before.count + 1)..<after.count)) }

        for (i, cut) in cuts.sorted().enumerated() {
            try RelFiles.write(Array(after[..<cut]), n.ledger.entries)
            try RelFiles.write("\(before.count) \(after.count)\n", marker)
            let store = try LedgerStore.open(n.ledger.path)
            do {
                _ = try store.appendGroup(Self.statusRequests(n.desk, tag: "refused", count: 2))
                Issue.record("cut at \(cut): a group was appended onto a partly written group")
            } catch let error as StoreError {
                #expect(error.code == .tornLedger && error.reason.contains("recover"), "cut at \(cut): \(error)")
            }
            #expect(try RelFiles.bytes(n.ledger.entries) == Array(after[..<cut]), "cut at \(cut): the refused writer changed the file")
            // `recover` (a person) or, as a server does at start, `rollBackUnfinishedAppend`.
            if i % 2 == 0 {
                let recovery = try store.recover()
                #expect(recovery.unfinishedAppendBytes == cut - before.count, "cut at \(cut): \(recovery)")
            } else {
                #expect(try store.rollBackUnfinishedAppend() == cut - before.count, "cut at \(cut)")
            }
            #expect(try RelFiles.bytes(n.ledger.entries) == before, "cut at \(cut): not cut back to before the group")
            #expect(!FileManager.default.fileExists(atPath: marker))
            #expect(try store.verify().report.ok, "cut at \(cut)")
        }

        // Killed before any byte, or after the fsync but before the marker's removal: nothing to cut.
        for (bytes, expected) in [(before, before), (after, after)] {
            try RelFiles.write(bytes, n.ledger.entries)
            try RelFiles.write("\(before.count) \(after.count)\n", marker)
            let (results, state) = try LedgerStore.open(n.ledger.path).appendGroup(Self.statusRequests(n.desk, tag: "next-\(bytes.count)", count: 2))
            #expect(results.allSatisfy { (try? $0.get()) != nil })
            #expect(Array(try RelFiles.bytes(n.ledger.entries).prefix(expected.count)) == expected)
            #expect(state.size == (try n.ledger.parsedEntries().count))
            #expect(!FileManager.default.fileExists(atPath: marker))
            #expect(n.ledger.verifyJSON().ok)
        }
    }

    @Test("rollBackUnfinishedAppend removes only what a marker covers: a torn line without a marker is left for `recover`")
    func rollBackLeavesTornLinesAlone() throws {
        let n = try Newsroom()
        defer { n.ledger.remove() }
        let store = try LedgerStore.open(n.ledger.path)
        #expect(try store.rollBackUnfinishedAppend() == 0)
        let torn = try RelFiles.bytes(n.ledger.entries) + Array(#"{"entry":{"payload":"#.utf8)
        try RelFiles.write(torn, n.ledger.entries)
        #expect(try store.rollBackUnfinishedAppend() == 0)
        #expect(try RelFiles.bytes(n.ledger.entries) == torn)
        #expect(throws: (any Error).self) { try store.appendGroup(Self.statusRequests(n.desk, tag: "torn", count: 1)) }
        #expect(try RelFiles.bytes(n.ledger.entries) == torn, "a group was written after a torn line")
    }

    @Test("CLI appends from 3 processes interleave with groups from this one: nothing lost or doubled, groups contiguous, refused requests absent, the ledger verifies")
    func interleavesWithTheCLI() throws {
        let n = try Newsroom(base: RelLedger.fastBase)
        defer { n.ledger.remove() }
        let cliWriters = 3, cliAppends = 40, groups = 40, perGroup = 6
        var pids = [pid_t]()
        for w in 0..<cliWriters {
            let pid = RelProcess.spawn("/bin/sh", ["-c", ReliabilityConcurrencyTests.writerLoop, "sh", RelProcess.toolPath, n.ledger.path,
                                                   n.ledger.deskKey, "cli\(w)", "\(cliAppends)", n.ledger.dir + "/fail-\(w)"])
            try #require(pid > 0)
            pids.append(pid)
        }
        var groupSeqs = [[Int]](), groupHashes = [SHA256Digest: Int](), lastSize = 0
        for g in 0..<groups {
            var requests = Self.statusRequests(g % 2 == 0 ? n.desk : n.editor, tag: "grp\(g)", count: perGroup)
            requests[g % perGroup].drafts = [GroupCommitTests.status("missing-\(g)", "grp\(g)-refused")]
            let (results, state) = try LedgerStore.open(n.ledger.path).appendGroup(requests)
            let entries = results.compactMap { try? $0.get() }.flatMap { $0 }
            #expect(entries.count == perGroup - 1, "group \(g): \(results)")
            #expect(results.enumerated().allSatisfy { i, r in (try? r.get()) == nil ? i == g % perGroup : true }, "group \(g)")
            #expect(state.size >= lastSize + entries.count && state.head == entries.last?.hash, "group \(g)")
            lastSize = state.size
            groupSeqs.append(entries.map(\.entry.seq))
            for e in entries { groupHashes[e.hash] = e.entry.seq }
            usleep(UInt32.random(in: 0...20_000))
        }
        for pid in pids { #expect(RelProcess.wait(pid) == 0) }
        for w in 0..<cliWriters {
            let failures = (try? String(contentsOfFile: n.ledger.dir + "/fail-\(w)", encoding: .utf8)) ?? ""
            #expect(failures.isEmpty, "CLI writer \(w): \(failures.prefix(300)) \(((try? String(contentsOfFile: n.ledger.dir + "/fail-\(w).err", encoding: .utf8)) ?? "").prefix(300))")
        }
        // The next group sees every CLI append at once.
        let (_, state) = try LedgerStore.open(n.ledger.path).appendGroup(Self.statusRequests(n.desk, tag: "last", count: 1))
        let all = try n.ledger.parsedEntries()
        #expect(state.size == all.count && state.head == all.last?.hash)
        #expect(all.enumerated().allSatisfy { $0.offset == $0.element.entry.seq })
        for seqs in groupSeqs { #expect(seqs == Array((seqs.first ?? 0)..<((seqs.first ?? 0) + seqs.count)), "a group is not contiguous: \(seqs)") }
        #expect(groupHashes.allSatisfy { hash, seq in all[seq].hash == hash }, "a group entry is not where its result said")
        var seen = [String: Int]()
        for e in all { if case .status(let s) = e.entry.payload { seen[s.rationale, default: 0] += 1 } }
        for w in 0..<cliWriters { #expect((1...cliAppends).allSatisfy { seen["cli\(w)-\($0)"] == 1 }, "CLI writer \(w)'s appends") }
        for g in 0..<groups {
            #expect((0..<perGroup).filter { $0 != g % perGroup }.allSatisfy { seen["grp\(g)-\($0)"] == 1 }, "group \(g)'s entries")
            #expect(seen["grp\(g)-refused"] == nil)
        }
        let v = n.ledger.verifyJSON()
        #expect(v.status == 0 && v.ok && v.entries == all.count, "\(v)")
        print("GROUP COMMIT with CLI: \(groups) groups of \(perGroup - 1) + \(cliWriters * cliAppends) CLI appends, \(all.count) entries")
    }
}
