import ClaimLedgerCore
import ClaimLedgerStorage
import Foundation
import Glibc
import LedgerCrypto
import Testing

/// Every verb run with a private key of known bytes, on success and error paths: stdout and stderr never
/// hold the PEM body, the raw private key (seed) in base64 or hex, nor the seed-bearing tail of the body.
@Suite("Reliability: key material is never printed")
struct ReliabilityKeyLeakTests {
    @Test("No verb prints the private key, in any output, on success or failure")
    func noVerbPrintsKeyMaterial() throws {
        var template = Array((NSTemporaryDirectory() + "claimledger-rel-leak-XXXXXX").utf8CString)
        let dir = String(cString: try #require(mkdtemp(&template)))
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let seed = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let key = try Ed25519PrivateKey(seed: seed)
        let secret = dir + "/secret.pem", desk = dir + "/desk.pem", l = dir + "/ledger"
        try KeyFiles.write(key, to: secret)
        try KeyFiles.write(try Ed25519PrivateKey.generate(), to: desk)
        let pem = String(decoding: try RelFiles.bytes(secret), as: UTF8.self)
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let needles = [body, String(body.suffix(40)), Base64.encode(seed), String(Base64.encode(seed).prefix(40)),
                       seed.map { String(format: "%02x", $0) }.joined()]
        try RelFiles.write(RelLedger.article, dir + "/article.txt")
        try RelFiles.write(try RelFiles.bytes(secret), dir + "/loose.pem")
        chmod(dir + "/loose.pem", 0o644)
        var broken = Array(pem.utf8)
        broken[40] = broken[40] == 0x41 ? 0x42 : 0x41
        try RelFiles.write(broken, dir + "/broken.pem")
        chmod(dir + "/broken.pem", 0o600)

        var outputs = [(String, RelRun)]()
        @discardableResult
        func run(_ args: [String], env: [String: String] = [:], mustSucceed: Bool = true) -> RelRun {
            let r = RelProcess.tool(args, env: env)
            if mustSucceed { #expect(r.status == 0, "claimledger \(args.joined(separator: " ")): \(r)") }
            outputs.append((args.joined(separator: " "), r))
            return r
        }
        let k = ["--key", secret], at = ["--ledger", l]
        run(["init", "--origin", "leak.example/claims"] + at + k)
        run(["key", "add", desk + ".pub", "--name", "desk", "--json"] + at + k)
        let source = run(["source", "add", dir + "/article.txt", "--title", "T", "--publisher", "P", "--url", "https://example.org/a",
                                      "--published", "2026-01-05", "--language", "en"] + at + k).out.trimmingCharacters(in: .newlines)
        run(["claim", "add", "--source", source, "--quote", "the bridge reopened", "--id", "claim-leak", "--statement", "S",
             "--claimant", "C", "--json"] + at + k)
        run(["claim", "status", "claim-leak", "disputed", "--rationale", "R"] + at, env: ["CLAIMLEDGER_KEY": secret])
        try RelFiles.write(#"{"type":"status","claim":"claim-leak","status":"refuted","rationale":"I"}"# + "\n", dir + "/import.jsonl")
        run(["import", dir + "/import.jsonl", "--json"] + at + k)
        run(["checkpoint"] + at + k)
        run(["checkpoint", "--json"] + at + k)
        let proof = RelProcess.tool(["prove", "inclusion", "3", "--json"] + at)
        try RelFiles.write(proof.out, dir + "/proof.json")
        run(["check", "inclusion", dir + "/proof.json"] + at)
        run(["prove", "consistency", "2", "5"] + at)
        for verb in [["key", "list"], ["claim", "list"], ["claim", "show", "claim-leak"], ["source", "list"], ["verify"],
                     ["verify", "--json"], ["export"], ["recover"], ["prove", "inclusion", "2"]] {
            run(verb + at)
        }
        run(["key", "verifier-key", secret + ".pub"] + at)
        run(["key", "generate", "--out", dir + "/other.pem"])
        let deskID = try KeyFiles.loadPrivateKey(desk).publicKey.keyID.hex
        run(["key", "revoke", deskID, "--reason", "left"] + at + k)
        // Error paths: the key file in the wrong place, with a loose mode, corrupted, or as the wrong kind of file.
        for wrong in [["claim", "status", "claim-leak", "refuted", "--rationale", "x", "--key", dir + "/loose.pem"],
                      ["claim", "status", "claim-leak", "refuted", "--rationale", "x", "--key", dir + "/broken.pem"],
                      ["key", "add", secret, "--name", "x"] + k, ["import", secret] + k, ["verify", "--checkpoint", secret],
                      ["verify", "--since", secret], ["check", "inclusion", secret], ["key", "verifier-key", secret],
                      ["check", "consistency", dir + "/proof.json", "--old", secret],
                      ["init", "--origin", "again.example/x"] + k, ["key", "generate", "--out", secret]] {
            run(wrong + at, mustSucceed: false)
            #expect(outputs.last?.1.status != 0, "\(wrong) succeeded")
        }
        var checked = 0
        for (command, r) in outputs {
            for needle in needles {
                #expect(!r.out.contains(needle) && !r.err.contains(needle), "claimledger \(command) printed key material: \(r)")
            }
            checked += 1
        }
        #expect(checked >= 30)
        print("RELIABILITY key leak: \(checked) runs checked for \(needles.count) forms of the private key, none found")
    }
}
