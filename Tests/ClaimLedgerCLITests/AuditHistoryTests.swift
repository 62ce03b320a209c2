import Foundation
import Testing

/// docs/AUDIT.md step (e) and "What failures look like": `verify --checkpoint` against a saved
/// checkpoint catches rewritten history and rollbacks; a tampered checkpoint file is refused.
@Suite struct AuditHistoryTests {
    /// The ledger as committed extends the checkpoint saved from it (the control for the cases below).
    @Test func genuineLedgerExtendsTheSavedCheckpoint() throws {
        try AuditWorkspace.with { w in
            let saved = try w.saveCheckpoint(size: 178)
            try w.grow()
            let json = try w.run(["verify", "--checkpoint", saved, "--verifier-key", try w.verifierKey(), "--json"])
            #expect(json.status == 0, "\(json)")
            let report = try json.jsonObject()
            #expect(report["ok"] as? Bool == true && report["entries"] as? Int == 179)
            #expect((report["checkpoint"] as? [String: Any])?["treeSize"] as? Int == 178)
        }
    }

    /// (e) A ledger rebuilt with the same keys and one statement changed verifies on its own, but not
    /// against the checkpoint saved from the real one: `history-rewritten`, exit 1.
    @Test func stepERewrittenHistoryIsDetected() throws {
        try AuditWorkspace.with { w in
            let saved = try w.saveCheckpoint(size: 178)
            let forged = w.dir + "/forged"
            try w.buildForgedLedger(at: forged)
            let alone = try w.run(["verify"], ledger: forged)
            #expect(alone.status == 0 && alone.stdout.hasPrefix("OK: 178 entries verify"), "the forgery should verify on its own: \(alone)")
            #expect(try AuditFiles.bytes(forged + "/entries.jsonl") != AuditFiles.bytes(w.ledger + "/entries.jsonl"))

            for keys in [["--verifier-key", try w.verifierKey()], []] {
                let text = try w.run(["verify", "--checkpoint", saved] + keys, ledger: forged)
                #expect(text.status == 1 && text.stderr.contains("[history-rewritten]"), "\(text)")
                let json = try w.run(["verify", "--checkpoint", saved, "--json"] + keys, ledger: forged)
                #expect(json.status == 1, "\(json)")
                let report = try json.jsonObject()
                #expect(report["ok"] as? Bool == false)
                #expect(report["code"] as? String == "history-rewritten", "\(report)")
            }
        }
    }

    /// (e) Entries removed from the end: the ledger verifies on its own, but against a checkpoint of its
    /// longer past it is a `rollback`, exit 1.
    @Test func stepERollbackIsDetected() throws {
        try AuditWorkspace.with { w in
            try w.grow()
            let saved = try w.saveCheckpoint(size: 179)
            let entries = try AuditFiles.text(w.ledger + "/entries.jsonl")
            let kept = entries.split(separator: "\n").prefix(178).map { $0 + "\n" }.joined()
            try AuditFiles.write(kept, to: w.ledger + "/entries.jsonl")
            let alone = try w.run(["verify"])
            #expect(alone.status == 0 && alone.stdout.hasPrefix("OK: 178 entries verify"), "\(alone)")
            let text = try w.run(["verify", "--checkpoint", saved, "--verifier-key", try w.verifierKey()])
            #expect(text.status == 1 && text.stderr.contains("[rollback]"), "\(text)")
            let report = try w.run(["verify", "--checkpoint", saved, "--json"]).jsonObject()
            #expect(report["code"] as? String == "rollback" && report["entries"] as? Int == 178, "\(report)")
        }
    }

    /// A saved checkpoint whose body (size or root) or signature was changed is refused by `verify
    /// --checkpoint`, `check inclusion` and `check consistency`, with the verifier key or the ledger's keys.
    @Test(arguments: AuditCheckpointTampering.allCases)
    func tamperedCheckpointIsRejected(_ tampering: AuditCheckpointTampering) throws {
        try AuditWorkspace.with { w in
            let key = try w.verifierKey()
            let saved = try w.saveCheckpoint(size: 178)
            let bad = w.vault + "/tampered"
            let altered = try tampering.apply(to: try AuditFiles.text(saved))
            try #require(altered != (try AuditFiles.text(saved)))
            try AuditFiles.write(altered, to: bad)
            try AuditFiles.write(try w.succeed(["prove", "inclusion", "31", "--json"]).stdout, to: w.dir + "/inclusion.json")
            try AuditFiles.write(try w.succeed(["prove", "consistency", "100", "178", "--json"]).stdout, to: w.dir + "/consistency.json")

            let commands: [[String]] = [
                ["verify", "--checkpoint", bad],
                ["check", "inclusion", "inclusion.json", "--checkpoint", bad],
                ["check", "consistency", "consistency.json", "--new", bad],
            ]
            for command in commands {
                for keys in [["--verifier-key", key], []] {
                    let r = try w.run(command + keys)
                    let accepted = tampering.accepted.contains { r.status == $0.0 && r.stderr.contains($0.1) }
                    #expect(accepted, "\(tampering) \(command) \(keys): \(r)")
                    #expect(r.stderr.contains("checkpoint \(bad)"), "\(r)")
                    #expect(!r.stdout.hasPrefix("OK"), "\(r)")
                }
            }
        }
    }

    /// A checkpoint signed by a key other than the ledger's root key does not open under the root
    /// key's verifier key, even though it is a well-formed signed checkpoint of the same tree.
    @Test func checkpointOfAnotherKeyIsRejected() throws {
        try AuditWorkspace.with { w in
            let other = w.dir + "/other"
            try w.succeed(["key", "generate", "--out", w.dir + "/impostor.pem"], ledger: nil)
            // A ledger of the same origin whose root is the impostor: its checkpoints are well formed.
            try w.succeed(["init", "--origin", AuditWorkspace.origin, "--key", w.dir + "/impostor.pem"], ledger: other)
            let note = try w.succeed(["checkpoint", "--key", w.dir + "/impostor.pem"], ledger: other).stdout
            try AuditFiles.write(note, to: w.vault + "/impostor-cp")
            try AuditFiles.write(try w.succeed(["prove", "inclusion", "0", "--json"], ledger: other).stdout, to: w.dir + "/inclusion.json")
            let r = try w.run(["check", "inclusion", "inclusion.json", "--checkpoint", w.vault + "/impostor-cp",
                               "--verifier-key", try w.verifierKey()], ledger: nil)
            #expect(r.status == 1 && r.stderr.contains("[checkpoint-rejected]"), "\(r)")
        }
    }
}

/// Ways to spoil a saved checkpoint file.
enum AuditCheckpointTampering: String, CaseIterable, Sendable, CustomStringConvertible {
    case largerSize, otherRoot, flippedSignature, droppedSignature

    var description: String { rawValue }

    /// Acceptable exit statuses and error codes: every spoiled checkpoint, malformed or badly signed, is
    /// rejected as such (exit 1) by every command.
    var accepted: [(Int32, String)] { [(1, "[checkpoint-rejected]")] }

    func apply(to note: String) throws -> String {
        var lines = note.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.count == 6, "a checkpoint with one signature: \(note)")
        switch self {
        case .largerSize:
            lines[1] = String((Int(lines[1]) ?? 0) + 1)
        case .otherRoot:
            // Another canonical base64 root: change the first character.
            lines[2] = (lines[2].first == "A" ? "B" : "A") + lines[2].dropFirst()
        case .flippedSignature:
            let parts = lines[4].split(separator: " ", maxSplits: 2).map(String.init)
            var raw = try #require(Data(base64Encoded: parts[2]))
            raw[10] ^= 0x01
            lines[4] = parts[0] + " " + parts[1] + " " + raw.base64EncodedString()
        case .droppedSignature:
            lines.remove(at: 4)
        }
        return lines.joined(separator: "\n")
    }
}
