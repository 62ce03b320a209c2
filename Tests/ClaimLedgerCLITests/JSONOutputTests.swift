import CanonicalJSON
import Foundation
import Testing

/// `--json` output is for scripts: one RFC 8785 document on stdout when the command succeeds,
/// nothing on stdout when it fails (the error goes to stderr).
@Suite struct JSONOutputTests {
    /// Parses `stdout` strictly and checks it is in canonical form followed by one newline.
    func expectCanonicalJSON(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        let value = try JSONParser.parse(result.stdout.trimmingCharacters(in: .newlines))
        #expect(result.stdout == String(decoding: try JCS.canonicalize(value), as: UTF8.self) + "\n", sourceLocation: sourceLocation)
        return value
    }

    @Test func everyJSONOutputIsOneCanonicalDocument() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let source = try box.populate()
            let l = ["--ledger", box.ledger]
            let outputs: [(String, ProcessResult)] = [
                ("key generate", try CLI.run(["key", "generate", "--out", dir + "/extra.pem", "--json"])),
                ("init", try CLI.run(["init", "--ledger", dir + "/second", "--origin", "second.example/claims", "--key", box.rootKey, "--json"])),
                ("key add", try CLI.run(["key", "add", dir + "/extra.pem.pub", "--name", "extra", "--key", box.rootKey, "--json"] + l)),
                ("key list", try CLI.run(["key", "list", "--json"] + l)),
                ("source list", try CLI.run(["source", "list", "--json"] + l)),
                ("claim add", try box.desk(["claim", "add", "--source", source, "--quote", "Kiev dément", "--statement", "Kyiv denies.",
                                            "--claimant", "Kyiv", "--json"])),
                ("claim status", try box.desk(["claim", "status", "summit-claim", "disputed", "--rationale", "r", "--json"])),
                ("claim list", try CLI.run(["claim", "list", "--json"] + l)),
                ("claim show", try CLI.run(["claim", "show", "drone-claim", "--json"] + l)),
                ("verify", try CLI.run(["verify", "--json"] + l)),
                ("recover", try CLI.run(["recover", "--json"] + l)),
                ("export", try CLI.run(["export"] + l)),
            ]
            for (name, result) in outputs {
                let value = try expectCanonicalJSON(result)
                #expect(value.objectValue != nil || value.arrayValue != nil, "\(name)")
            }
            #expect(try expectCanonicalJSON(outputs[3].1).arrayValue?.count == 3)
        }
    }

    @Test func failingJSONCommandsPrintNothingOnStdout() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            let source = try box.populate()
            let failures = [
                try box.desk(["claim", "add", "--source", source, "--quote", "absent words", "--statement", "s", "--claimant", "c", "--json"]),
                try box.desk(["claim", "status", "no-such-claim", "refuted", "--rationale", "r", "--json"]),
                try CLI.run(["claim", "show", "no-such-claim", "--json", "--ledger", box.ledger]),
                try CLI.run(["claim", "list", "--json", "--ledger", dir + "/missing"]),
            ]
            for result in failures {
                #expect(result.status != 0)
                #expect(result.stdout.isEmpty, "\(result)")
                expectOneLineError(result, exit: result.status)
            }
        }
    }

    @Test func verifyJSONOfAFailingLedgerIsStillOneDocument() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            var lines = try box.lines()
            lines.remove(at: 5)
            try Files.writeLines(lines, to: box.entriesPath)
            let result = try CLI.run(["verify", "--json", "--ledger", box.ledger])
            #expect(result.status == 1)
            let value = try JSONParser.parse(result.stdout.trimmingCharacters(in: .newlines))
            #expect(value["ok"] == false && value["seq"] == 5 && value["code"] == "seq-mismatch")
            #expect(value["reason"]?.stringValue?.isEmpty == false)
            #expect(result.stdout == String(decoding: try JCS.canonicalize(value), as: UTF8.self) + "\n")
        }
    }
}
