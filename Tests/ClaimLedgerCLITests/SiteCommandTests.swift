import CanonicalJSON
import Foundation
import Testing

/// `claimledger site` as a user runs it: a summary line (or JSON), the same as a re-run that changes
/// nothing, one-line errors for missing options and a ledger that does not verify.
@Suite struct SiteCommandTests {
    static let options = ["--publisher", "Practice newsroom (test value)", "--base-url", "https://claimledger.example/site"]

    @Test func writesTheSiteAndARerunChangesNothing() throws {
        try withTemporaryDirectory { dir in
            let copy = dir + "/ledger", out = dir + "/site"
            try FileManager.default.copyItem(atPath: SeedLedgerTests.ledger, toPath: copy)
            let first = try CLI.run(["site", "--ledger", copy, "--out", out] + Self.options)
            #expect(first.status == 0, "\(first)")
            #expect(first.stdout.hasPrefix("Wrote the site of "), "\(first)")
            #expect(first.stdout.contains("checkpoint 394"))
            let again = try CLI.run(["site", "--ledger", copy, "--out", out, "--json"] + Self.options)
            #expect(again.status == 0, "\(again)")
            let summary = try again.json
            #expect(summary["written"]?.integerValue == 0)
            #expect(summary["removed"]?.integerValue == 0)
            #expect((summary["unchanged"]?.integerValue ?? 0) > 100)
            #expect(summary["checkpointSize"]?.integerValue == 394)
            #expect(FileManager.default.fileExists(atPath: out + "/index.html"))
        }
    }

    @Test(arguments: [
        ([String](), "needs --publisher NAME and --base-url URL"),
        (["--publisher", "N"], "needs --publisher NAME and --base-url URL"),
        (["--publisher", "N", "--base-url", "ftp://n.example"], "--base-url must be"),
    ])
    func missingOrBadOptionsAreOneLineErrors(_ args: [String], _ words: String) throws {
        try withTemporaryDirectory { dir in
            let result = try CLI.run(["site", "--ledger", SeedLedgerTests.ledger, "--out", dir + "/site"] + args)
            expectOneLineError(result, exit: 2, mentioning: [words])
            #expect(!FileManager.default.fileExists(atPath: dir + "/site"))
        }
    }

    @Test func aLedgerThatDoesNotVerifyIsNotPublished() throws {
        try withTemporaryDirectory { dir in
            let copy = dir + "/ledger"
            try FileManager.default.copyItem(atPath: SeedLedgerTests.ledger, toPath: copy)
            var bytes = try Files.bytes(copy + "/entries.jsonl")
            let at = try #require(bytes.indices.first { bytes[$0] == UInt8(ascii: "K") })
            bytes[at] = UInt8(ascii: "k")
            try Files.write(bytes, to: copy + "/entries.jsonl")
            let result = try CLI.run(["site", "--ledger", copy, "--out", dir + "/site"] + Self.options)
            #expect(result.status == 1, "\(result)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/site/index.html"))
        }
    }
}
