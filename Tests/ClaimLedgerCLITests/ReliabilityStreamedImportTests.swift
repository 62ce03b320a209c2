import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Glibc
import Testing

/// The streamed import (FORMAT.md 2.4): a batch written chunk by chunk under `append-in-progress` and
/// killed mid-way is cut back by `recover`; a bad line near the end of a long file refuses the batch with
/// its line number and leaves the ledger byte for byte as it was; an ambiguous quote without an offset is
/// refused with both positions. Keys are made at run time (`RelLedger`).
@Suite("Reliability: streamed import", .serialized)
struct ReliabilityStreamedImportTests {
    /// `count` claims quoting the fixture's article (with offsets), ids `bulk-<tag>-i`.
    static func claimLines(_ l: RelLedger, count: Int, tag: String) -> [String] {
        let quote = "the bridge reopened on Monday"
        let offset = Array(RelLedger.article.utf8).firstRange(of: Array(quote.utf8))!.lowerBound
        return (0..<count).map { i in
            #"{"type":"claim","id":"bulk-\#(tag)-\#(i)","statement":"Bulk claim \#(i) of a long import, padded to make its line longer than most.","claimant":"Desk \#(i % 7)","quotes":[{"source":"\#(l.source)","text":"\#(quote)","offset":\#(offset)}]}"#
        }
    }

    static func ledgerFiles(_ l: RelLedger) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: l.path)) ?? []).sorted()
    }

    @Test("A batch of many chunks killed while it is written: the writer refuses, recover cuts it back, the import then succeeds")
    func killedMidStreamIsCutBack() throws {
        let l = try RelLedger()
        defer { l.remove() }
        let claims = 12_000
        try RelFiles.write(Self.claimLines(l, count: claims, tag: "k").joined(separator: "\n") + "\n", l.dir + "/bulk.jsonl")
        let before = try RelFiles.bytes(l.entries)
        let files = Self.ledgerFiles(l)
        var killedAt = 0, marker = ""
        for attempt in 0..<20 where killedAt == 0 {
            let pid = RelProcess.spawn(RelProcess.toolPath, ["import", l.dir + "/bulk.jsonl", "--ledger", l.path, "--key", l.deskKey])
            try #require(pid > 0)
            var size = before.count
            while size == before.count, kill(pid, 0) == 0 {
                usleep(200)
                size = RelFiles.size(l.entries)
            }
            kill(pid, SIGKILL)
            _ = RelProcess.wait(pid)
            marker = (try? String(contentsOfFile: l.path + "/append-in-progress", encoding: .utf8)) ?? ""
            let now = RelFiles.size(l.entries)
            if marker.isEmpty {
                // The import finished (or had not started writing) before the kill: start again from the same bytes.
                print("RELIABILITY streamed import attempt \(attempt): not caught mid-way (\(now) bytes)")
                _ = RelProcess.tool(["recover", "--ledger", l.path])
                try RelFiles.write(before, l.entries)
                continue
            }
            let planned = marker.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }.last ?? 0
            if now >= planned {
                // Killed after the whole batch was written, before the marker was removed: not mid-way either.
                print("RELIABILITY streamed import attempt \(attempt): killed after the write (\(now) of \(planned) bytes)")
                _ = RelProcess.tool(["recover", "--ledger", l.path])
                try RelFiles.write(before, l.entries)
                continue
            }
            killedAt = now
        }
        try #require(killedAt > 0, "never caught the import while it was writing")
        let sizes = marker.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
        #expect(sizes.count == 2 && sizes[0] == before.count && sizes[1] > killedAt, "marker \(marker), file \(killedAt) bytes")
        #expect(killedAt > before.count, "some of the batch was written")

        let refused = l.status("after the kill")
        #expect(refused.status == 4 && refused.err.contains("recover"), "\(refused)")
        let recovered = RelProcess.tool(["recover", "--ledger", l.path])
        #expect(recovered.status == 0, "\(recovered)")
        #expect(try RelFiles.bytes(l.entries) == before, "recover cut the file back to its size before the batch")
        #expect(!FileManager.default.fileExists(atPath: l.path + "/append-in-progress"))
        #expect(Self.ledgerFiles(l).filter { $0.hasPrefix(".tmp-") }.isEmpty, "no temporary file left: \(Self.ledgerFiles(l))")
        #expect(Self.ledgerFiles(l) == files)
        let v = l.verifyJSON()
        #expect(v.status == 0 && v.ok && v.entries == 4, "\(v)")

        let done = RelProcess.tool(["import", l.dir + "/bulk.jsonl", "--ledger", l.path, "--key", l.deskKey, "--json"])
        #expect(done.status == 0 && done.out.contains("\"entries\":\(claims)"), "\(done)")
        let after = l.verifyJSON()
        #expect(after.status == 0 && after.ok && after.entries == 4 + claims, "\(after)")
        print("RELIABILITY streamed import: killed at \(killedAt - before.count) of \(sizes.last.map { $0 - before.count } ?? 0) bytes; recovered; reimported \(claims) claims")
    }

    @Test("A bad line near the end of a long file refuses the batch with its line number; the ledger stays byte for byte as it was",
          arguments: [
            ("json", #"{"type":"claim",}"#, "invalid JSON"),
            ("unknown claim", #"{"type":"status","claim":"no-such-claim","status":"refuted","rationale":"r"}"#, "unknown-claim"),
            ("duplicate id", "", "duplicate-id"),
          ])
    func badLineNearTheEnd(name: String, bad: String, word: String) throws {
        let l = try RelLedger()
        defer { l.remove() }
        var lines = Self.claimLines(l, count: 5_000, tag: "b")
        let badAt = name == "duplicate id" ? 4_998 : 4_997
        if name == "duplicate id" { lines[badAt - 1] = lines[0] } else { lines.insert(bad, at: badAt - 1) }
        try RelFiles.write(lines.joined(separator: "\n") + "\n", l.dir + "/bulk.jsonl")
        let before = try RelFiles.bytes(l.entries)
        let files = Self.ledgerFiles(l)
        let index = try RelFiles.bytes(l.path + "/index/head.json")
        let r = RelProcess.tool(["import", l.dir + "/bulk.jsonl", "--ledger", l.path, "--key", l.deskKey])
        #expect(r.status == 2, "\(name): \(r)")
        #expect(r.err.hasPrefix("claimledger: error: ") && r.err.split(separator: "\n").count == 1, "\(name): \(r)")
        #expect(r.err.contains("line \(badAt)") && r.err.contains(word), "\(name): \(r.err)")
        #expect(try RelFiles.bytes(l.entries) == before, "\(name): entries.jsonl changed")
        #expect(try RelFiles.bytes(l.path + "/index/head.json") == index, "\(name): the index changed")
        #expect(Self.ledgerFiles(l) == files, "\(name): \(Self.ledgerFiles(l)) after, \(files) before")
    }

    @Test("A quote without an offset that occurs twice is refused with both positions, after other quotes were found by the index")
    func ambiguousQuoteWithoutOffset() throws {
        let l = try RelLedger()
        defer { l.remove() }
        let article = "Le maire a annoncé la fermeture du pont. Les travaux dureront six mois. "
            + "Selon l'opposition, la fermeture du pont coûtera cher. Fin."
        try RelFiles.write(article, l.dir + "/pont.txt")
        func claim(_ id: String, _ text: String) -> String {
            #"{"type":"claim","id":"\#(id)","statement":"s","claimant":"c","quotes":[{"source":"pont","text":"\#(text)"}]}"#
        }
        let lines = [#"{"type":"source","file":"pont.txt","ref":"pont","title":"Pont","publisher":"P","url":"https://example.org/pont","published":"2026-01-07","language":"fr"}"#,
                     claim("one", "Les travaux dureront six mois"), claim("two", "Le maire a annoncé"), claim("three", "coûtera cher"),
                     claim("ambiguous", "la fermeture du pont")]
        try RelFiles.write(lines.joined(separator: "\n") + "\n", l.dir + "/pont.jsonl")
        let before = try RelFiles.bytes(l.entries)
        let r = RelProcess.tool(["import", l.dir + "/pont.jsonl", "--ledger", l.path, "--key", l.deskKey])
        let first = Array(article.utf8).firstRange(of: Array("la fermeture du pont".utf8))!.lowerBound
        let second = Array(article.utf8).lastRange(of: Array("la fermeture du pont".utf8))!.lowerBound
        #expect(r.status == 2 && r.err.contains("quote-ambiguous") && r.err.contains("line 5"), "\(r)")
        #expect(r.err.contains("at byte offsets \(first), \(second)"), "\(r.err)")
        #expect(try RelFiles.bytes(l.entries) == before)
        try RelFiles.write(lines.dropLast().joined(separator: "\n") + "\n", l.dir + "/pont.jsonl")
        let good = RelProcess.tool(["import", l.dir + "/pont.jsonl", "--ledger", l.path, "--key", l.deskKey])
        #expect(good.status == 0, "\(good)")
        #expect(try l.parsedEntries().contains { e in
            if case .claim(let c) = e.entry.payload, c.id == "three" { return c.quotes[0].start == Array(article.utf8).firstRange(of: Array("coûtera cher".utf8))!.lowerBound }
            return false
        })
    }
}

extension Array where Element == UInt8 {
    func lastRange(of needle: [UInt8]) -> Range<Int>? {
        guard needle.count <= count else { return nil }
        for start in stride(from: count - needle.count, through: 0, by: -1) where self[start..<(start + needle.count)].elementsEqual(needle) {
            return start..<(start + needle.count)
        }
        return nil
    }
}
