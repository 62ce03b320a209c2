import Foundation
import Glibc
import Testing

/// Two `claimledger witness serve` processes on loopback and a ledger that asks them to cosign its
/// checkpoints (docs/SCALE.md "Witnesses"): the quorum holds or fails as witnesses cosign, a fork is
/// refused, and the cosignature bytes pass a check written from the specification in Python.
@Suite(.serialized) struct WitnessCommandTests {
    /// A witness process, stopped (SIGTERM) when released.
    final class RunningWitness {
        let process = Process()
        let url: String
        let vkey: String

        init(dir: String, name: String, logs: String) throws {
            let key = dir + "/" + name.replacingOccurrences(of: "/", with: "-") + ".pem"
            #expect(try CLI.run(["key", "generate", "--out", key]).status == 0)
            let out = dir + "/" + name.replacingOccurrences(of: "/", with: "-") + ".log"
            _ = FileManager.default.createFile(atPath: out, contents: nil)
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["witness", "serve", "--key", key, "--name", name, "--logs", logs, "--state", out + ".state", "--port", "0"]
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            process.standardError = process.standardOutput
            try process.run()
            var found: String?
            for _ in 0..<200 where found == nil {
                usleep(50_000)
                let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
                found = text.split(separator: "\n").first { $0.contains("listening at http://") }.map { String($0.split(separator: " ").last!) }
            }
            url = try #require(found, "the witness did not start: \((try? String(contentsOfFile: out, encoding: .utf8)) ?? "")")
            vkey = try CLI.run(["witness", "verifier-key", "--key", key + ".pub", "--name", name]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }
    }

    func ledger(in dir: String) throws -> String {
        let ledger = dir + "/ledger"
        #expect(try CLI.run(["key", "generate", "--out", dir + "/root.pem"]).status == 0)
        #expect(try CLI.run(["init", "--ledger", ledger, "--origin", "newsroom.example/claims", "--key", dir + "/root.pem"]).status == 0)
        let vkey = try CLI.run(["key", "verifier-key", dir + "/root.pem.pub", "--ledger", ledger])
        try Data(("# the newsroom's ledger\n" + vkey.stdout).utf8).write(to: URL(fileURLWithPath: dir + "/logs.txt"))
        return ledger
    }

    func grow(_ ledger: String, dir: String, name: String) throws {
        #expect(try CLI.run(["key", "generate", "--out", dir + "/\(name).pem"]).status == 0)
        let added = try CLI.run(["key", "add", dir + "/\(name).pem.pub", "--name", name, "--ledger", ledger, "--key", dir + "/root.pem"])
        #expect(added.status == 0, "\(added)")
    }

    @Test func twoWitnessesCosignTheQuorumHoldsAndAForkIsRefused() throws {
        try withTemporaryDirectory { dir in
            let ledger = try ledger(in: dir)
            let w1 = try RunningWitness(dir: dir, name: "witness.example/w1", logs: dir + "/logs.txt")
            let w2 = try RunningWitness(dir: dir, name: "witness.example/w2", logs: dir + "/logs.txt")
            let both = ["--witness", w1.url, "--witness", w2.url, "--witness-key", w1.vkey, "--witness-key", w2.vkey]
            let first = try CLI.run(["checkpoint", "--ledger", ledger, "--key", dir + "/root.pem"] + both)
            #expect(first.status == 0, "\(first)")
            #expect(first.stdout.contains("\u{2014} witness.example/w1 ") && first.stdout.contains("\u{2014} witness.example/w2 "))

            // The ledger grows; each witness answers 409 with its size, then cosigns from it with a proof.
            try grow(ledger, dir: dir, name: "desk")
            let second = try CLI.run(["checkpoint", "--ledger", ledger, "--key", dir + "/root.pem"] + both)
            #expect(second.status == 0, "\(second)")
            let cp = ledger + "/checkpoints/2"
            let keys = ["--witness-key", w1.vkey, "--witness-key", w2.vkey]
            #expect(try CLI.run(["verify", "--ledger", ledger, "--checkpoint", cp] + keys).status == 0)

            // A third witness that never cosigned: a quorum of 3 fails, of 2 holds.
            let w3 = try RunningWitness(dir: dir, name: "witness.example/w3", logs: dir + "/logs.txt")
            let three = try CLI.run(["verify", "--ledger", ledger, "--checkpoint", cp, "--witness-key", w3.vkey] + keys)
            #expect(three.status == 1 && three.stderr.contains("2 of the 3 witnesses"), "\(three)")
            let quorum = try CLI.run(["verify", "--ledger", ledger, "--checkpoint", cp, "--witness-key", w3.vkey, "--witness-quorum", "2"] + keys)
            #expect(quorum.status == 0, "\(quorum)")

            // A fork signed by the same root key: the witness that cosigned the real ledger refuses it.
            let fork = dir + "/fork"
            #expect(try CLI.run(["init", "--ledger", fork, "--origin", "newsroom.example/claims", "--key", dir + "/root.pem",
                                 ], env: ["CLAIMLEDGER_TIME": "2026-01-01T00:00:00Z"]).status == 0)
            try grow(fork, dir: dir, name: "other")
            let refused = try CLI.run(["checkpoint", "--ledger", fork, "--key", dir + "/root.pem", "--witness", w1.url, "--witness-key", w1.vkey])
            #expect(refused.status != 0 && refused.stderr.contains("forked"), "\(refused)")
            #expect(!FileManager.default.fileExists(atPath: fork + "/checkpoints/2"), "a checkpoint the witnesses refused is not stored")

            // The cosignature bytes, checked by an implementation written from the specification.
            if let python = Self.pythonWithCryptography {
                let check = try Subprocess.run(python, [CLI.repoRoot + "/Tests/Interop/witness/check_cosignature.py", cp, "witness.example/w1",
                                                        dir + "/witness.example-w1.pem.pub"])
                #expect(check.status == 0 && check.stdout.hasPrefix("ok "), "\(check)")
            }
            withExtendedLifetime((w1, w2, w3)) {}
        }
    }

    @Test func witnessOptionsAreCheckedBeforeAnythingRuns() throws {
        let quorum = try CLI.run(["verify", "--checkpoint", "x", "--witness-quorum", "1"])
        expectOneLineError(quorum, exit: 2, mentioning: ["--witness-quorum needs --witness-key"])
        let bad = try CLI.run(["verify", "--ledger", SeedLedgerTests.ledger, "--checkpoint", SeedLedgerTests.ledger + "/checkpoints/394",
                               "--witness-key", "not-a-key"])
        expectOneLineError(bad, exit: 2, mentioning: ["bad --witness-key"])
        let unkeyed = try CLI.run(["checkpoint", "--ledger", SeedLedgerTests.ledger, "--key", "x.pem", "--witness", "http://127.0.0.1:9"])
        expectOneLineError(unkeyed, exit: 2, mentioning: ["--witness needs --witness-key"])
    }

    /// python3 when it can import `cryptography` (CI installs it), else nil.
    static let pythonWithCryptography: String? = {
        guard let r = try? Subprocess.run("python3", ["-c", "import cryptography"]), r.status == 0 else { return nil }
        return "python3"
    }()
}
