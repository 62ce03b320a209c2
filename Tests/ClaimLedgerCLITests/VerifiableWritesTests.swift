import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Testing

/// A command must never write an entry that `verify` then refuses: that would break the ledger for
/// every later command. Input that the format forbids is refused up front (exit 2, nothing written).
@Suite struct VerifiableWritesTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let args: @Sendable (_ source: String) -> [String]
    }

    static let cases: [Case] = [
        Case(testDescription: "claim id with spaces") {
            ["claim", "add", "--source", $0, "--quote", Sandbox.summitQuote, "--id", "Not A Valid Id", "--statement", "s", "--claimant", "c"]
        },
        Case(testDescription: "claim id starting with a digit") {
            ["claim", "add", "--source", $0, "--quote", Sandbox.summitQuote, "--id", "2026-summit", "--statement", "s", "--claimant", "c"]
        },
        Case(testDescription: "statement language that is not a BCP 47 tag") {
            ["claim", "add", "--source", $0, "--quote", Sandbox.summitQuote, "--lang", "english!", "--statement", "s", "--claimant", "c"]
        },
        Case(testDescription: "statement with a control character") {
            ["claim", "add", "--source", $0, "--quote", Sandbox.summitQuote, "--statement", "bell \u{07}", "--claimant", "c"]
        },
        Case(testDescription: "statement of 20000 bytes") {
            ["claim", "add", "--source", $0, "--quote", Sandbox.summitQuote, "--statement", String(repeating: "s", count: 20_000), "--claimant", "c"]
        },
        Case(testDescription: "source title with a control character") { _ in
            ["source", "add", Sandbox.otherSourceName, "--title", "t\u{01}", "--publisher", "p", "--url", "https://example.org/p",
             "--published", "2026-01-06", "--language", "en"]
        },
        Case(testDescription: "source URL that is not absolute") { _ in
            ["source", "add", Sandbox.otherSourceName, "--title", "t", "--publisher", "p", "--url", "example.org/page",
             "--published", "2026-01-06", "--language", "en"]
        },
        Case(testDescription: "source language that is not a BCP 47 tag") { _ in
            ["source", "add", Sandbox.otherSourceName, "--title", "t", "--publisher", "p", "--url", "https://example.org/p",
             "--published", "2026-01-06", "--language", "English language"]
        },
        Case(testDescription: "media type without a subtype") { _ in
            ["source", "add", Sandbox.otherSourceName, "--title", "t", "--publisher", "p", "--url", "https://example.org/p",
             "--published", "2026-01-06", "--language", "en", "--media-type", "text"]
        },
        Case(testDescription: "rationale with an escape character") { _ in
            ["claim", "status", "drone-claim", "refuted", "--rationale", "colour \u{1B}[31m"]
        },
    ]

    @Test(arguments: cases)
    func inputTheFormatForbidsIsRefusedAndTheLedgerStillVerifies(_ c: Case) throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let source = try box.populate()
            try Files.write("Another source.\n", to: dir + "/" + Sandbox.otherSourceName)
            let args = c.args(source).map { $0 == Sandbox.otherSourceName ? dir + "/" + $0 : $0 }
            _ = try expectRefused(box, 2) { try box.desk(args) }
            let (status, report) = try box.verifyJSON()
            #expect(status == 0, "\(report)")
        }
    }

    @Test func importedClaimWithAnInvalidIDIsRefused() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            try Files.write(Sandbox.article + "Fresh copy.\n", to: dir + "/fresh.txt")
            let source = try #require(ImportLines.article.replacingFirst(#""file":"article.txt""#, with: #""file":"fresh.txt""#))
            let claim = try #require(ImportLines.droneClaim.replacingFirst(#""id":"drone-attack""#, with: #""id":"Drone Attack""#))
            try Files.writeLines([source, claim], to: dir + "/batch.jsonl")
            _ = try expectRefused(box, 2) { try box.desk(["import", dir + "/batch.jsonl"]) }
            #expect(try box.verifyJSON().status == 0)
            // The same batch with a valid id is accepted: the id was the only fault.
            try Files.writeLines([source, ImportLines.droneClaim], to: dir + "/batch.jsonl")
            #expect(try box.desk(["import", dir + "/batch.jsonl"]).status == 0)
        }
    }

    @Test func keyNameOnTwoLinesIsRefused() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.expectSuccess(["key", "generate", "--out", dir + "/intern.pem"])
            _ = try expectRefused(box, 2) {
                try CLI.run(["key", "add", dir + "/intern.pem.pub", "--name", "intern\nroot", "--ledger", box.ledger, "--key", box.rootKey])
            }
            #expect(try box.verifyJSON().status == 0)
        }
    }

    @Test func originWithASpaceCreatesNoLedger() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let result = try CLI.run(["init", "--ledger", dir + "/second", "--origin", "my newsroom", "--key", box.rootKey])
            expectOneLineError(result, exit: 2)
            #expect(!FileManager.default.fileExists(atPath: dir + "/second/entries.jsonl"))
        }
    }

    /// A validly signed entry that breaks a rule (a status for a claim nobody recorded) makes the
    /// ledger fail verification: every command that reads it says so with exit 1, as `verify` does.
    @Test func commandsOnALedgerThatFailsVerificationExitOne() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            let state = try LedgerStore.open(box.ledger).verifiedState()
            let key = try KeyFiles.loadPrivateKey(box.deskKey)
            let entry = Entry(seq: state.size, prev: state.head, time: try #require(state.lastTime), signer: key.publicKey.keyID,
                              payload: .status(StatusPayload(claim: "no-such-claim", status: .refuted, rationale: "r", evidence: [])))
            let line = try SignedEntry.sign(entry, with: key).line
            try Files.write(try box.entries() + line + [0x0A], to: box.entriesPath)

            let (status, report) = try box.verifyJSON()
            #expect(status == 1)
            #expect(report["code"] == "unknown-claim" && report["seq"] == 7)
            _ = try expectRefused(box, 1) { try CLI.run(["export", "--ledger", box.ledger]) }
            _ = try expectRefused(box, 1) { try CLI.run(["claim", "list", "--ledger", box.ledger]) }
            _ = try expectRefused(box, 1) { try box.desk(["claim", "status", "drone-claim", "refuted", "--rationale", "r"]) }
        }
    }
}

extension Sandbox {
    /// A file name the cases above stand for a second source file in the sandbox.
    static let otherSourceName = "other-source.txt"
}
