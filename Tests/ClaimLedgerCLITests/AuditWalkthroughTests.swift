import Foundation
import Testing

/// docs/AUDIT.md "Walkthrough", steps (a) to (d), on a private copy of the seed ledger with the real binary.
@Suite struct AuditWalkthroughTests {
    /// (a) A root key signs a checkpoint: printed, stored as checkpoints/<size>, byte for byte the same,
    /// and it opens under the root key's verifier key.
    @Test func stepASaveACheckpoint() throws {
        try AuditWorkspace.with { w in
            let result = try w.succeed(["checkpoint", "--key", w.rootKey])
            let stored = try AuditFiles.text(w.ledger + "/checkpoints/178")
            #expect(result.stdout == stored)
            let lines = stored.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(Array(lines.prefix(2)) == [AuditWorkspace.origin, "178"], "\(stored)")
            #expect(lines.count == 6 && lines[3].isEmpty && lines[4].hasPrefix("\u{2014} \(AuditWorkspace.origin) "), "\(stored)")
            let json = try w.succeed(["checkpoint", "--key", w.rootKey, "--json"]).jsonObject()
            #expect(json["treeSize"] as? Int == 178)
            #expect(json["note"] as? String == stored)
            #expect(json["signer"] as? String == "newsroom-root")
            let saved = try w.saveCheckpoint(size: 178)
            let check = try w.run(["verify", "--checkpoint", saved, "--verifier-key", try w.verifierKey()])
            #expect(check.status == 0 && check.stdout.contains("extends the checkpoint of 178 entries"), "\(check)")
        }
    }

    /// (a) Only an active root key of the ledger may sign a checkpoint: the journalist's key and a key
    /// the ledger does not know are refused, and no checkpoint file is written.
    @Test func stepACheckpointByANonRootKeyIsRefused() throws {
        try AuditWorkspace.with { w in
            try FileManager.default.removeItem(atPath: w.ledger + "/checkpoints")
            let desk = try w.run(["checkpoint", "--key", w.deskKey])
            #expect(desk.status == 1, "\(desk)")
            #expect(desk.stderr.contains("[unauthorized-signer]"), "\(desk)")
            #expect(desk.stdout.isEmpty)
            try w.succeed(["key", "generate", "--out", w.dir + "/stranger.pem"], ledger: nil)
            let stranger = try w.run(["checkpoint", "--key", w.dir + "/stranger.pem"])
            #expect(stranger.status == 1 && stranger.stderr.contains("[unknown-signer]"), "\(stranger)")
            #expect(!FileManager.default.fileExists(atPath: w.ledger + "/checkpoints/178"))
        }
    }

    /// (b), (c) The ledger grows; the consistency proof from the saved size to the new size checks
    /// against both signed checkpoints, with the auditor's verifier key or the ledger's root keys.
    @Test func stepsBCConsistencyBetweenTheSavedAndTheNewCheckpoint() throws {
        try AuditWorkspace.with { w in
            let key = try w.verifierKey()
            let old = try w.saveCheckpoint(size: 178)
            try w.grow()
            let new = try w.saveCheckpoint(size: 179)
            let proof = try w.succeed(["prove", "consistency", "178", "179", "--json"])
            try AuditFiles.write(proof.stdout, to: w.dir + "/consistency.json")
            let doc = try proof.jsonObject()
            #expect(doc["oldSize"] as? Int == 178 && doc["newSize"] as? Int == 179)
            #expect((doc["proof"] as? [String])?.isEmpty == false)

            let withKey = try w.run(["check", "consistency", "consistency.json", "--old", old, "--new", new, "--verifier-key", key], ledger: nil)
            #expect(withKey.status == 0 && withKey.stdout.hasPrefix("OK: the tree of 178 entries is a prefix of the tree of 179"), "\(withKey)")
            let withLedgerKeys = try w.run(["check", "consistency", "consistency.json", "--old", old, "--new", new, "--json"])
            #expect(withLedgerKeys.status == 0 && (try? withLedgerKeys.jsonObject()["ok"] as? Bool) == true, "\(withLedgerKeys)")
        }
    }

    /// (c) The same proof is refused against a checkpoint of another size, or of the same size with another
    /// root (a validly signed checkpoint of a forged ledger), and a proof with a changed hash is refused.
    @Test func stepCConsistencyAgainstTheWrongCheckpointIsRefused() throws {
        try AuditWorkspace.with { w in
            let key = try w.verifierKey()
            let old = try w.saveCheckpoint(size: 178)
            try w.grow()
            let new = try w.saveCheckpoint(size: 179)
            try AuditFiles.write(try w.succeed(["prove", "consistency", "178", "179", "--json"]).stdout, to: w.dir + "/consistency.json")
            let forged = w.dir + "/forged"
            try w.buildForgedLedger(at: forged)
            let forgedCheckpoint = try w.succeed(["checkpoint", "--key", w.rootKey], ledger: forged).stdout
            try AuditFiles.write(forgedCheckpoint, to: w.dir + "/forged-cp-178")

            let cases: [(String, [String])] = [
                ("old checkpoint of another size", ["--old", new, "--new", new]),
                ("new checkpoint of another size", ["--old", old, "--new", old]),
                ("old checkpoint with another root", ["--old", w.dir + "/forged-cp-178", "--new", new]),
            ]
            for (name, files) in cases {
                let r = try w.run(["check", "consistency", "consistency.json"] + files + ["--verifier-key", key], ledger: nil)
                #expect(r.status == 1 && r.stderr.contains("[checkpoint-mismatch]"), "\(name): \(r)")
            }
            var doc = try AuditFiles.readJSON(w.dir + "/consistency.json")
            var hashes = try #require(doc["proof"] as? [String])
            hashes[0] = AuditMutation.flipLastHexDigit(hashes[0])
            doc["proof"] = hashes
            try AuditFiles.writeJSON(doc, to: w.dir + "/bad-consistency.json")
            let bad = try w.run(["check", "consistency", "bad-consistency.json", "--old", old, "--new", new, "--verifier-key", key], ledger: nil)
            #expect(bad.status == 1 && bad.stderr.contains("consistency proof rejected"), "\(bad)")
        }
    }

    /// (d) The new status entry's inclusion proof: its leaf hash is the entry's `hash`, and it checks against
    /// the new checkpoint, not the old one.
    @Test func stepDInclusionOfTheNewEntry() throws {
        try AuditWorkspace.with { w in
            let key = try w.verifierKey()
            let old = try w.saveCheckpoint(size: 178)
            try w.grow()
            let new = try w.saveCheckpoint(size: 179)
            let proof = try w.succeed(["prove", "inclusion", "178", "--json"])
            try AuditFiles.write(proof.stdout, to: w.dir + "/inclusion.json")
            let lines = try AuditFiles.text(w.ledger + "/entries.jsonl").split(separator: "\n")
            let line = try JSONSerialization.jsonObject(with: Data(lines[178].utf8)) as? [String: Any]
            #expect(try proof.jsonObject()["leafHash"] as? String == line?["hash"] as? String)

            let ok = try w.run(["check", "inclusion", "inclusion.json", "--checkpoint", new, "--verifier-key", key], ledger: nil)
            #expect(ok.status == 0 && ok.stdout.hasPrefix("OK: leaf ") && ok.stdout.contains("is entry 178 of the tree of 179"), "\(ok)")
            let stale = try w.run(["check", "inclusion", "inclusion.json", "--checkpoint", old, "--verifier-key", key], ledger: nil)
            #expect(stale.status == 1 && stale.stderr.contains("the checkpoint for 178"), "\(stale)")
            let seed = try w.succeed(["prove", "inclusion", "31", "--size", "178", "--json"])
            try AuditFiles.write(seed.stdout, to: w.dir + "/inclusion-31.json")
            let inOld = try w.run(["check", "inclusion", "inclusion-31.json", "--checkpoint", old, "--verifier-key", key], ledger: nil)
            #expect(inOld.status == 0, "\(inOld)")
        }
    }

    /// (d) An inclusion proof with one flipped byte, a dropped hash or an extra hash is rejected, with or
    /// without a checkpoint; so is a proof whose leaf hash is not the entry's.
    @Test(arguments: AuditMutation.allCases)
    func stepDAlteredInclusionProofIsRejected(_ mutation: AuditMutation) throws {
        try AuditWorkspace.with { w in
            let key = try w.verifierKey()
            let checkpoint = try w.saveCheckpoint(size: 178)
            var doc = try w.succeed(["prove", "inclusion", "31", "--json"]).jsonObject()
            try mutation.apply(to: &doc)
            try AuditFiles.writeJSON(doc, to: w.dir + "/altered.json")
            let alone = try w.run(["check", "inclusion", "altered.json"], ledger: nil)
            #expect(alone.status == 1 && alone.stderr.contains("inclusion proof rejected"), "\(mutation): \(alone)")
            let against = try w.run(["check", "inclusion", "altered.json", "--checkpoint", checkpoint, "--verifier-key", key], ledger: nil)
            #expect(against.status != 0 && against.stdout.isEmpty, "\(mutation): \(against)")
        }
    }
}

/// Ways to spoil an inclusion proof document.
enum AuditMutation: String, CaseIterable, Sendable, CustomStringConvertible {
    case flippedByte, droppedHash, extraHash, otherLeaf

    var description: String { rawValue }

    static func flipLastHexDigit(_ hex: String) -> String {
        String(hex.dropLast()) + (hex.last == "0" ? "1" : "0")
    }

    func apply(to doc: inout [String: Any]) throws {
        var hashes = try #require(doc["proof"] as? [String])
        try #require(hashes.count >= 2)
        switch self {
        case .flippedByte: hashes[1] = Self.flipLastHexDigit(hashes[1])
        case .droppedHash: hashes.removeLast()
        case .extraHash: hashes.append(hashes[0])
        case .otherLeaf: doc["leafHash"] = Self.flipLastHexDigit(try #require(doc["leafHash"] as? String))
        }
        doc["proof"] = hashes
    }
}
