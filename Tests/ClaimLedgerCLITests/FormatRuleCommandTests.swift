import CanonicalJSON
import ClaimLedgerStorage
import Foundation
import LedgerCrypto
import Testing

/// The commands behind FORMAT.md 1.9, 7.3 and 8.4's trust rules: `verify --genesis`, `key approve`,
/// `key revoke NAME`, refusals of misleading text and duplicate names; `recover` and `import` hygiene.
@Suite struct FormatRuleCommandTests {
    @Test func verifyGenesisPinsEntryZero() throws {
        try withTemporaryDirectory { dir in
            let s = try Sandbox(in: dir)
            let genesis = String(try s.lines()[0].split(separator: "\"hash\":\"")[1].prefix(64))
            let ok = try s.expectSuccess(["verify", "--ledger", s.ledger, "--genesis", genesis])
            #expect(ok.stdout.contains("starts with the pinned genesis entry"))
            // A whole other ledger, made with other keys, verifies on its own but not against the pin.
            try FileManager.default.createDirectory(atPath: dir + "/other", withIntermediateDirectories: true)
            let other = try Sandbox(in: dir + "/other")
            let bad = try CLI.run(["verify", "--ledger", other.ledger, "--genesis", genesis])
            expectOneLineError(bad, exit: 1, mentioning: ["entry 0", "genesis-mismatch", genesis])
            let json = try CLI.run(["verify", "--json", "--ledger", other.ledger, "--genesis", genesis])
            #expect(json.status == 1)
            let report = try #require(try json.json.objectValue)
            #expect(report["code"]?.stringValue == "genesis-mismatch" && report["seq"]?.integerValue == 0)
            let malformed = try CLI.run(["verify", "--ledger", s.ledger, "--genesis", "abc"])
            expectOneLineError(malformed, exit: 2, mentioning: ["--genesis"])
        }
    }

    @Test func rootKeyChangesWaitForASecondRootKey() throws {
        try withTemporaryDirectory { dir in
            let s = try Sandbox(in: dir)
            let second = dir + "/root2.pem", third = dir + "/root3.pem"
            try KeyFiles.write(try Ed25519PrivateKey.generate(), to: second)
            try KeyFiles.write(try Ed25519PrivateKey.generate(), to: third)
            try s.expectSuccess(["key", "add", second + ".pub", "--name", "root-2", "--role", "root", "--ledger", s.ledger, "--key", s.rootKey])
            let proposed = try s.expectSuccess(["key", "add", third + ".pub", "--name", "root-3", "--role", "root",
                                                "--ledger", s.ledger, "--key", s.rootKey, "--json"])
            #expect(proposed.stderr.contains("claimledger key approve"))
            let hash = try #require(try proposed.json["entries"]?.arrayValue?.first?["hash"]?.stringValue)
            let pending = try s.expectSuccess(["key", "pending", "--ledger", s.ledger])
            #expect(pending.stdout.hasPrefix(hash) && pending.stdout.contains("add root key"))
            // The proposer cannot approve it.
            _ = try expectRefused(s, 2, mentioning: ["self-approval"]) {
                try CLI.run(["key", "approve", hash, "--ledger", s.ledger, "--key", s.rootKey])
            }
            try s.expectSuccess(["key", "approve", String(hash.prefix(12)), "--ledger", s.ledger, "--key", second])
            let list = try s.expectSuccess(["key", "list", "--ledger", s.ledger])
            #expect(list.stdout.contains("added at 4, active  root-3") && !list.stdout.contains("pending"))
            // Revoking a root key by name is a proposal too; the other roots carry it.
            try s.expectSuccess(["key", "revoke", "newsroom-root", "--ledger", s.ledger, "--key", second])
            #expect(try s.expectSuccess(["key", "list", "--ledger", s.ledger]).stdout.contains("added at 0, active  newsroom-root"))
            let revoke = try s.expectSuccess(["key", "pending", "--ledger", s.ledger, "--json"])
            let revokeHash = try #require(try revoke.json.arrayValue?.first?["entry"]?["hash"]?.stringValue)
            try s.expectSuccess(["key", "approve", revokeHash, "--ledger", s.ledger, "--key", third])
            #expect(try s.expectSuccess(["key", "list", "--ledger", s.ledger]).stdout.contains("revoked at 6  newsroom-root"))
            try s.expectSuccess(["verify", "--ledger", s.ledger])
        }
    }

    @Test func keyRevokeTakesAName() throws {
        try withTemporaryDirectory { dir in
            let s = try Sandbox(in: dir)
            _ = try expectRefused(s, 1, mentioning: ["no active key is named \"nobody\""]) {
                try CLI.run(["key", "revoke", "nobody", "--ledger", s.ledger, "--key", s.rootKey])
            }
            try s.expectSuccess(["key", "revoke", "desk", "--ledger", s.ledger, "--key", s.rootKey])
            #expect(try s.expectSuccess(["key", "list", "--ledger", s.ledger]).stdout.contains("revoked at 2  desk"))
        }
    }

    @Test func writersRefuseMisleadingTextAndDuplicateNames() throws {
        try withTemporaryDirectory { dir in
            let s = try Sandbox(in: dir)
            let source = try s.addArticle()
            _ = try expectRefused(s, 2, mentioning: ["payload.statement.text", "U+202E", "misleading-text"]) {
                try s.desk(["claim", "add", "--source", source, "--quote", Sandbox.summitQuote, "--statement", "Held \u{202E}yadseuT",
                            "--claimant", "AFP"])
            }
            _ = try expectRefused(s, 2, mentioning: ["payload.title", "U+200B"]) {
                try s.desk(["source", "add", s.dir + "/root.pem.pub", "--title", "Zero\u{200B}width", "--publisher", "AFP",
                            "--url", "https://example.org/x", "--published", "2026-01-06", "--language", "fr"])
            }
            let other = dir + "/other.pem"
            try KeyFiles.write(try Ed25519PrivateKey.generate(), to: other)
            _ = try expectRefused(s, 2, mentioning: ["already named \"desk\"", "duplicate-key-name"]) {
                try CLI.run(["key", "add", other + ".pub", "--name", "desk", "--ledger", s.ledger, "--key", s.rootKey])
            }
        }
    }

    @Test func recoverRemovesTemporaryFilesOfInterruptedWrites() throws {
        try withTemporaryDirectory { dir in
            let s = try Sandbox(in: dir)
            // pid 2^22 + 1 is above Linux's pid_max limit: no process has it.
            let stale = [s.ledger + "/.tmp-4194305-17", s.archivePath + "/.tmp-4194305-99"]
            for path in stale { try Files.write("partial", to: path) }
            let live = s.ledger + "/.tmp-\(ProcessInfo.processInfo.processIdentifier)-5"
            try Files.write("being written", to: live)
            let dry = try s.expectSuccess(["recover", "--dry-run", "--json", "--ledger", s.ledger])
            #expect(try dry.json["temporaryFiles"]?.arrayValue?.count == 2)
            #expect(stale.allSatisfy { FileManager.default.fileExists(atPath: $0) })
            let run = try s.expectSuccess(["recover", "--ledger", s.ledger])
            #expect(run.stdout.contains("Removed \(stale[0])"))
            #expect(!stale.contains { FileManager.default.fileExists(atPath: $0) })
            #expect(FileManager.default.fileExists(atPath: live))
            try s.expectSuccess(["verify", "--ledger", s.ledger])
        }
    }

    @Test func importRefusesASymlinkLeadingOutsideItsFolder() throws {
        try withTemporaryDirectory { dir in
            let s = try Sandbox(in: dir)
            let folder = dir + "/batch"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: folder + "/outside.txt", withDestinationPath: s.articlePath)
            try Files.write(Sandbox.article, to: folder + "/inside.txt")
            try FileManager.default.createSymbolicLink(atPath: folder + "/alias.txt", withDestinationPath: "inside.txt")
            func line(_ file: String) -> String {
                #"{"type":"source","file":"\#(file)","title":"T","publisher":"P","url":"https://example.org/t","published":"2026-01-06","language":"fr"}"#
            }
            try Files.write(line("outside.txt") + "\n", to: folder + "/bad.jsonl")
            _ = try expectRefused(s, 2, mentioning: ["outside.txt", "outside the import file's folder"]) {
                try s.desk(["import", folder + "/bad.jsonl"])
            }
            try Files.write(line("alias.txt") + "\n", to: folder + "/good.jsonl")
            try #require(try s.desk(["import", folder + "/good.jsonl"]).status == 0)
        }
    }
}
