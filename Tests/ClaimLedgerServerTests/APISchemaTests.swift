import ClaimLedgerServer
import Foundation
import HummingbirdTesting
import Testing

/// `Tests/schema/validate.py SCHEMA FILE`: the API's documents against the CLI's schemas (schemas/).
enum APISchemaValidator {
    static let script = TestLedger.repoRoot + "/Tests/schema/validate.py"

    static let isAvailable: Bool = {
        guard FileManager.default.fileExists(atPath: script) else { return false }
        return (try? run(["-c", "import jsonschema"]))?.status == 0
    }()

    static func run(_ args: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + args
        process.currentDirectoryURL = URL(fileURLWithPath: TestLedger.repoRoot)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite(.enabled(if: APISchemaValidator.isAvailable, "needs python3 with jsonschema"))
struct APISchemaTests {
    @Test func apiDocumentsMatchTheCLISchemas() async throws {
        try await withApp(seed: true) { ledger, client in
            let cases = [
                ("claim-show", "/api/v1/claims/kremlin-accuses-ukraine-drone-attack-putin-residence"),
                ("verify-report", "/api/v1/verification"),
                ("inclusion-proof", "/api/v1/proofs/inclusion?seq=156&size=394"),
                ("consistency-proof", "/api/v1/proofs/consistency?from=178&to=394"),
            ]
            for (schema, uri) in cases {
                let r = try await client.fetch(uri)
                #expect(r.status == .ok, "\(uri)")
                let file = ledger.dir + "/\(schema).json"
                try Data(r.body.utf8).write(to: URL(fileURLWithPath: file))
                let result = try APISchemaValidator.run([APISchemaValidator.script, schema, file])
                #expect(result.status == 0, "\(uri) against \(schema): \(result.output)")
            }
        }
    }
}
