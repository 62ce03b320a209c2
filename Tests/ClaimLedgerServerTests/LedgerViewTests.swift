import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerServer
import ClaimLedgerStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCrypto
import Testing

@Suite("Ledger view") struct LedgerViewTests {
    @Test func viewSeesAnAppendByAnotherWriterAtOnce() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            let before = try view.snapshot()
            #expect(before.state.size == 7)
            #expect(try view.snapshot().generation == before.generation, "nothing changed: same snapshot")
            // Another writer (its own store, the same file and lock), as the CLI is.
            let other = try LedgerStore.open(ledger.ledger)
            _ = try other.append([.status(StatusDraft(claim: "summit-claim", status: .corroborated, rationale: "Several outlets report it.", evidence: [ledger.sourceID]))],
                                 key: ledger.desk, time: TestLedger.time(30))
            let after = try view.snapshot()
            #expect(after.state.size == 8)
            #expect(after.state.claims["summit-claim"]?.status == .corroborated)
            #expect(after.failure == nil)
            // The tree grew with it: a proof for the new entry verifies against the new root.
            #expect(after.state.rootHash != before.state.rootHash)
        }
    }

    @Test func claimAddedFromTheCLIShowsOnTheNextRequest() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let keyPath = dir + "/desk.pem"
            try KeyFiles.write(ledger.desk, to: keyPath)
            let app = AppBuilder.application(services: try ledger.services())
            try await app.test(.router) { client in
                #expect(try await client.fetch("/claims/cli-claim").status == .notFound)
                let result = try runCLI(["claim", "add", "--source", ledger.sourceID, "--quote", "Aucune attaque n'a eu lieu", "--id", "cli-claim",
                                         "--statement", "No attack took place, says Kyiv.", "--claimant", "Kyiv", "--ledger", ledger.ledger, "--key", keyPath])
                #expect(result.status == 0, "\(result.output)")
                let page = try await client.fetch("/claims/cli-claim")
                #expect(page.status == .ok)
                #expect(page.body.contains("No attack took place, says Kyiv."))
                let list = try await client.fetch("/claims")
                #expect(list.body.contains("4 claims"))
                let api = try JSONParser.parse(try await client.fetch("/api/v1/verification").body)
                #expect(api["entries"]?.integerValue == 8)
            }
        }
    }

    @Test func aTamperedAppendIsNotShownAndIsReported() async throws {
        try await withTemporaryDirectory { dir in
            let ledger = try TestLedger.small(in: dir)
            let view = try LedgerView(directory: ledger.ledger)
            // A line signed by a key the ledger does not know.
            let stranger = try Ed25519PrivateKey.generate()
            let state = try LedgerStore.open(ledger.ledger).verifiedState()
            let entry = Entry(seq: state.size, prev: state.head, time: TestLedger.time(40), signer: stranger.publicKey.keyID,
                              payload: .status(StatusPayload(claim: "drone-claim", status: .refuted, rationale: "forged", evidence: [])))
            let line = try SignedEntry.sign(entry, with: stranger).line + [0x0A]
            let handle = try #require(FileHandle(forWritingAtPath: ledger.ledger + "/entries.jsonl"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(line))
            try handle.close()
            let snapshot = try view.snapshot()
            #expect(snapshot.state.size == 7, "the forged entry is not taken")
            #expect(snapshot.state.claims["drone-claim"]?.status == .disputed)
            #expect(snapshot.failureCode == "unknown-signer")
            let app = AppBuilder.application(services: AppServices(config: ServerConfig(ledger: ledger.ledger), view: view))
            try await app.test(.router) { client in
                let audit = try await client.fetch("/audit")
                #expect(audit.body.contains("does not verify past entry 6"))
                let report = try JSONParser.parse(try await client.fetch("/api/v1/verification").body)
                #expect(report["ok"]?.boolValue == false)
                #expect(report["code"]?.stringValue == "unknown-signer")
            }
        }
    }

    @Test func noLedgerIsAnErrorThatSaysWhatToDo() throws {
        #expect(throws: StoreError.self) { try LedgerView(directory: "/nonexistent/ledger") }
    }
}

/// Runs the `claimledger` binary built with the tests.
func runCLI(_ args: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: claimledgerBinary())
    process.arguments = args
    var env = ProcessInfo.processInfo.environment
    env["CLAIMLEDGER_KEY"] = nil
    env["CLAIMLEDGER_TIME"] = "2026-12-01T00:00:00Z"
    process.environment = env
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

func claimledgerBinary() -> String {
    let test = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    for folder in [test.deletingLastPathComponent(), Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()] {
        let candidate = folder.appendingPathComponent("claimledger").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return TestLedger.repoRoot + "/.build/debug/claimledger"
}
