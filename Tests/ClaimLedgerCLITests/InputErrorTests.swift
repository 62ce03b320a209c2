import CanonicalJSON
import Foundation
import Testing

/// Bad input to commands that append: one line on stderr, exit 2, and nothing of it written.
@Suite struct InputErrorTests {
    @Test func unknownClaimForStatusExitsTwo() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            _ = try expectRefused(box, 2, mentioning: ["no-such-claim", "unknown-claim"]) {
                try box.desk(["claim", "status", "no-such-claim", "refuted", "--rationale", "r"])
            }
        }
    }

    @Test(arguments: ["false", "Disputed", "debunked", ""])
    func unknownStatusWordExitsTwo(word: String) throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            _ = try expectRefused(box, 2, mentioning: ["corroborated"]) {
                try box.desk(["claim", "status", "drone-claim", word, "--rationale", "r"])
            }
            _ = try expectRefused(box, 2) { try CLI.run(["claim", "list", "--status", word, "--ledger", box.ledger]) }
        }
    }

    @Test func malformedImportLineWritesNothingOfTheBatch() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            try FileManager.default.createDirectory(atPath: dir + "/evidence", withIntermediateDirectories: true)
            try Files.write("Kyiv said on Monday that no drone attack took place.\n", to: dir + "/evidence/kyiv.txt")
            let lines = [ImportLines.kyiv, ImportLines.kyivClaim, #"{"type":"status","claim":"kyiv-denies",}"#,
                         #"{"type":"status","claim":"kyiv-denies","status":"refuted","rationale":"r"}"#, ImportLines.droneClaim]
            try Files.writeLines(lines, to: dir + "/batch.jsonl")
            _ = try expectRefused(box, 2, mentioning: ["line 3"]) { try box.desk(["import", dir + "/batch.jsonl"]) }
        }
    }

    @Test func importedClaimWhoseQuoteIsNotInTheSourceWritesNothing() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            let claim = #"{"type":"claim","id":"invented","statement":"s","claimant":"c","quotes":[{"source":"article","text":"Le Kremlin a félicité l'Ukraine"}]}"#
            try Files.write(Sandbox.article + "Addendum.\n", to: dir + "/article.txt")
            try Files.writeLines([ImportLines.article, claim], to: dir + "/batch.jsonl")
            _ = try expectRefused(box, 2, mentioning: ["item 2", "quote-not-found"]) { try box.desk(["import", dir + "/batch.jsonl"]) }
        }
    }

    @Test(arguments: ["../outside.txt", "evidence/../../outside.txt", "/etc/hostname", "evidence//kyiv.txt"])
    func importSourcePathOutsideTheImportFolderIsUnsafe(path: String) throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try FileManager.default.createDirectory(atPath: dir + "/import/evidence", withIntermediateDirectories: true)
            try Files.write("outside\n", to: dir + "/outside.txt")
            let line = try #require(ImportLines.kyiv.replacingFirst(#""file":"evidence/kyiv.txt""#, with: #""file":"\#(path)""#))
            try Files.writeLines([line], to: dir + "/import/batch.jsonl")
            _ = try expectRefused(box, 2, mentioning: ["relative path"]) { try box.desk(["import", dir + "/import/batch.jsonl"]) }
        }
    }

    @Test func quoteNotInTheSourceExitsTwo() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let source = try box.populate()
            _ = try expectRefused(box, 2, mentioning: ["quote-not-found"]) {
                try box.desk(["claim", "add", "--source", source, "--quote", "Le Kremlin a félicité l'Ukraine",
                              "--statement", "s", "--claimant", "c"])
            }
        }
    }

    @Test func ambiguousQuoteListsOffsetsAndOffsetPicksOne() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let source = try box.populate()
            let bytes = Array(Sandbox.article.utf8), needle = Array(Sandbox.ambiguousQuote.utf8)
            let offsets = (0...(bytes.count - needle.count)).filter { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
            try #require(offsets.count == 2)
            let args = ["claim", "add", "--source", source, "--quote", Sandbox.ambiguousQuote, "--id", "nothing-happened",
                        "--statement", "Nothing happened.", "--claimant", "Kyiv"]
            _ = try expectRefused(box, 2, mentioning: ["quote-ambiguous", "\(offsets[0]), \(offsets[1])", "--offset"]) { try box.desk(args) }
            _ = try expectRefused(box, 2, mentioning: ["quote-not-found"]) { try box.desk(args + ["--offset", "\(offsets[1] + 1)"]) }
            let picked = try box.desk(args + ["--offset", "\(offsets[1])"])
            #expect(picked.status == 0 && picked.stdout == "nothing-happened\n", "\(picked)")
            let shown = try box.expectSuccess(["claim", "show", "nothing-happened", "--json", "--ledger", box.ledger]).json
            #expect(shown["quotes"]?.arrayValue?.first?["start"] == .number(Double(offsets[1])))
        }
    }

    /// `--offset` takes any Int: the largest must be refused as not found, not crash the tool.
    @Test func hugeOffsetIsRefusedWithoutCrashing() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let source = try box.populate()
            _ = try expectRefused(box, 2, mentioning: ["quote-not-found"]) {
                try box.desk(["claim", "add", "--source", source, "--quote", Sandbox.ambiguousQuote, "--statement", "s",
                              "--claimant", "c", "--offset", "\(Int.max)"])
            }
        }
    }

    @Test func sourceFileOverTheLimitExitsTwo() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let big = dir + "/big.bin"
            let made = try Subprocess.run("truncate", ["-s", "65M", big])
            try #require(made.status == 0, "\(made)")
            _ = try expectRefused(box, 2, mentioning: ["limit"]) {
                try box.desk(["source", "add", big, "--title", "t", "--publisher", "p", "--url", "https://example.org/big",
                              "--published", "2026-01-06", "--language", "en"])
            }
        }
    }

    @Test func sourceRecordedTwiceIsRefused() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            _ = try expectRefused(box, 2, mentioning: ["duplicate-id"]) {
                try box.desk(["source", "add", box.articlePath, "--title", "Again", "--publisher", "AFP",
                              "--url", "https://example.org/again", "--published", "2026-01-06", "--language", "fr"])
            }
        }
    }
}
