import Foundation
import Testing

/// What the tool writes, checked against the published JSON Schemas (`schemas/`) by
/// `Tests/schema/validate.py SCHEMA_NAME FILE [--lines]`. Runs where Python's `jsonschema` is installed.
enum SchemaValidator {
    static let script = CLI.repoRoot + "/Tests/schema/validate.py"

    static let isAvailable: Bool = {
        guard FileManager.default.fileExists(atPath: script) else { return false }
        return (try? Subprocess.run("python3", ["-c", "import jsonschema"]))?.status == 0
    }()

    static func validate(_ schema: String, _ file: String, lines: Bool = false) throws -> ProcessResult {
        try Subprocess.run("python3", [script, schema, file] + (lines ? ["--lines"] : []), cwd: CLI.repoRoot)
    }
}

@Suite(.enabled(if: SchemaValidator.isAvailable, "needs python3 with jsonschema and Tests/schema/validate.py"))
struct SchemaValidationTests {
    @Test func freshLedgerLinesMatchTheEntryLineSchema() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            let result = try SchemaValidator.validate("entry-line", box.entriesPath, lines: true)
            #expect(result.status == 0, "\(result)")
        }
    }

    @Test func seedLedgerExportMatchesTheExportSchema() throws {
        try withTemporaryDirectory { dir in
            try FileManager.default.copyItem(atPath: SeedLedgerTests.ledger, toPath: dir + "/ledger")
            let export = try CLI.run(["export", "--out", dir + "/export.json", "--ledger", dir + "/ledger"])
            try #require(export.status == 0, "\(export)")
            let result = try SchemaValidator.validate("export", dir + "/export.json")
            #expect(result.status == 0, "\(result)")
        }
    }

    @Test(arguments: ["afp-2026-01-06.import.jsonl", "afp-2026-01-06.editorial.import.jsonl", "afp-2026-01-06.reviews.import.jsonl"])
    func seedImportFileMatchesTheImportLineSchema(_ name: String) throws {
        let result = try SchemaValidator.validate("import-line", SeedLedgerTests.seeds + "/" + name, lines: true)
        #expect(result.status == 0, "\(name): \(result)")
    }

    @Test func verifyReportsMatchTheVerifyReportSchema() throws {
        try withTemporaryDirectory { dir in
            let box = try Sandbox(in: dir)
            try box.populate()
            let good = try CLI.run(["verify", "--json", "--ledger", box.ledger])
            try Files.write(good.stdout, to: dir + "/good.json")
            var lines = try box.lines()
            lines.swapAt(3, 4)
            try Files.writeLines(lines, to: box.entriesPath)
            let bad = try CLI.run(["verify", "--json", "--ledger", box.ledger])
            try Files.write(bad.stdout, to: dir + "/bad.json")
            for file in ["good.json", "bad.json"] {
                let result = try SchemaValidator.validate("verify-report", dir + "/" + file)
                #expect(result.status == 0, "\(file): \(result)")
            }
        }
    }

    /// validate.py's export rules between members: verifier keys and the checkpoint belong to the
    /// export's origin and proofTreeSize (FORMAT.md 11.1, 14.2).
    @Test func exportWhoseVerifierKeysOrCheckpointDisagreeIsRejected() throws {
        try withTemporaryDirectory { dir in
            try FileManager.default.copyItem(atPath: SeedLedgerTests.ledger, toPath: dir + "/ledger")
            let export = try CLI.run(["export", "--out", dir + "/export.json", "--ledger", dir + "/ledger"])
            try #require(export.status == 0, "\(export)")
            let text = try String(contentsOfFile: dir + "/export.json", encoding: .utf8)
            let size = try Files.lines(SeedLedgerTests.ledger + "/entries.jsonl").count  // the latest checkpoint's
            let origin = "claimledger.example/newsroom"
            let spoiled = [
                text.replacingOccurrences(of: "\"\(origin)+", with: "\"other.example/claims+"),  // verifier key names
                text.replacingOccurrences(of: "\\n\(size)\\n", with: "\\n\(size - 1)\\n"),  // the checkpoint's tree size line
            ]
            for (i, doc) in spoiled.enumerated() {
                #expect(doc != text)
                try Files.write(doc, to: dir + "/spoiled\(i).json")
                let result = try SchemaValidator.validate("export", dir + "/spoiled\(i).json")
                #expect(result.status == 1, "\(i): \(result)")
            }
        }
    }

    /// A status payload's claim is a claim id (FORMAT.md 5.5), in the schema as in the verifier.
    @Test func statusPayloadClaimMustBeAClaimID() throws {
        try withTemporaryDirectory { dir in
            let payload = #"{"claim":"Not An Id","evidence":[],"rationale":"r","status":"disputed"}"#
            try Files.write(payload + "\n", to: dir + "/status.json")
            let result = try SchemaValidator.validate("payload-status", dir + "/status.json")
            #expect(result.status == 1, "\(result)")
        }
    }

    /// The validator must be able to fail, or the checks above prove nothing.
    @Test func schemaValidatorRejectsAnInvalidDocument() throws {
        try withTemporaryDirectory { dir in
            try Files.write(#"{"ok":"yes","entries":-1}"# + "\n", to: dir + "/report.json")
            let result = try SchemaValidator.validate("verify-report", dir + "/report.json")
            #expect(result.status != 0, "\(result)")
        }
    }
}
