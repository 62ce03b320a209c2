import CanonicalJSON
import ClaimLedgerStorage
import Foundation
import LedgerCrypto
import SignedNote
import Testing

/// docs/FORMAT.md 14.2, stored checkpoints: what `export` and `checkpoint` require of every
/// `checkpoints/N`, and what `verify --checkpoint FILE` requires of a checkpoint file. Keys are made
/// at run time (Sandbox); the ledger has 2 entries (genesis, the journalist's key).
@Suite struct StoredCheckpointTests {
    static let origin = "test.example/claims"

    /// A sandbox with its root signer and the root of its 2 entries.
    struct Fixture {
        let box: Sandbox
        let root: NoteSigner
        let rootHash: SHA256Digest

        init(in dir: String) throws {
            box = try Sandbox(in: dir)
            root = try NoteSigner(name: StoredCheckpointTests.origin, privateKey: try KeyFiles.loadPrivateKey(box.rootKey))
            let report = try box.verifyJSON().report
            let hex = report["rootHash"]?.stringValue ?? ""
            rootHash = try #require(SHA256Digest(hex: hex))
        }

        func note(size: Int64 = 2, origin: String = StoredCheckpointTests.origin, root: SHA256Digest? = nil,
                  extensions: [String] = [], signers: [NoteSigner]? = nil) throws -> [UInt8] {
            try Checkpoint(origin: origin, treeSize: size, rootHash: root ?? rootHash, extensions: extensions)
                .sign(signers: signers ?? [self.root])
        }

        /// Stores `note` as `checkpoints/<name>`, then runs `export`.
        func export(storing note: [UInt8], as name: String) throws -> ProcessResult {
            try FileManager.default.createDirectory(atPath: box.ledger + "/checkpoints", withIntermediateDirectories: true)
            try Files.write(note, to: box.ledger + "/checkpoints/" + name)
            return try CLI.run(["export", "--ledger", box.ledger])
        }

        /// `verify --checkpoint FILE` (the ledger's root keys) of `note` written outside the ledger.
        func verify(_ note: [UInt8], json: Bool = false) throws -> ProcessResult {
            let file = box.dir + "/saved-checkpoint"
            try Files.write(note, to: file)
            return try CLI.run(["verify", "--ledger", box.ledger, "--checkpoint", file] + (json ? ["--json"] : []))
        }
    }

    static func exportedCheckpoint(_ result: ProcessResult) -> String? {
        (try? result.json)?.objectValue?["checkpoint"]?.stringValue
    }

    static func member(_ result: ProcessResult, _ name: String) -> String? {
        (try? result.json)?.objectValue?[name]?.stringValue
    }

    @Test func theNameOfAStoredCheckpointMustBeItsTreeSize() throws {
        try withTemporaryDirectory { dir in
            let f = try Fixture(in: dir)
            let note = try f.note()
            let misnamed = try f.export(storing: note, as: "1")
            expectOneLineError(misnamed, exit: 1, mentioning: ["checkpoints/1", "file name must be its tree size", "[checkpoint-rejected]"])
            try FileManager.default.removeItem(atPath: f.box.ledger + "/checkpoints/1")
            // Not a decimal without leading zeros: not a checkpoint, ignored.
            let ignored = try f.export(storing: note, as: "02")
            #expect(ignored.status == 0 && (Self.exportedCheckpoint(ignored)) == nil, "\(ignored)")
            let named = try f.export(storing: note, as: "2")
            #expect(named.status == 0 && (Self.exportedCheckpoint(named)) == String(decoding: note, as: UTF8.self), "\(named)")
        }
    }

    @Test func theOriginMustBeTheLedgers() throws {
        try withTemporaryDirectory { dir in
            let f = try Fixture(in: dir)
            // Signed by the root key under the ledger's key name, but about another log.
            let other = try f.note(origin: "other.example/claims")
            expectOneLineError(try f.export(storing: other, as: "2"), exit: 1, mentioning: ["wrong-origin", "[checkpoint-rejected]"])
            let verify = try f.verify(other, json: true)
            expectOneLineError(verify, exit: 1, mentioning: ["wrong-origin", "[checkpoint-rejected]"])
            #expect(verify.stdout.isEmpty)
        }
    }

    @Test func extensionLinesAreSignedKeptAndIgnored() throws {
        try withTemporaryDirectory { dir in
            let f = try Fixture(in: dir)
            let note = try f.note(extensions: ["example.org/extension some-data"])
            let verified = try f.verify(note)
            #expect(verified.status == 0, "\(verified)")
            let exported = try f.export(storing: note, as: "2")
            let carried = Self.exportedCheckpoint(exported)?.contains("\nexample.org/extension some-data\n\n") == true
            #expect(exported.status == 0 && carried, "\(exported)")
            // The extension is covered by the signature.
            let changed = Array(String(decoding: note, as: UTF8.self).replacingOccurrences(of: "some-data", with: "other-data").utf8)
            expectOneLineError(try f.verify(changed), exit: 1, mentioning: ["invalid-signature", "[checkpoint-rejected]"])
        }
    }

    @Test func cosignaturesByUnknownKeysAreKeptAndIgnored() throws {
        try withTemporaryDirectory { dir in
            let f = try Fixture(in: dir)
            let witness = try NoteSigner(name: "witness.example/w1", privateKey: try Ed25519PrivateKey.generate())
            let stranger = try NoteSigner(name: Self.origin, privateKey: try Ed25519PrivateKey.generate())  // same name, other key id
            let signed = try SignedNoteDocument(parsing: try f.note(signers: [f.root, witness, stranger]))
            // Spoil the unknown keys' signatures: they are never checked.
            var text = String(decoding: signed.serialized, as: UTF8.self)
            for s in signed.signatures.dropFirst() {
                let line = "\(s.name) " + Base64.encode(Self.keyIDBytes(s.keyID) + s.signature)
                let spoiled = "\(s.name) " + Base64.encode(Self.keyIDBytes(s.keyID) + s.signature.map { $0 ^ 0xff })
                text = text.replacingOccurrences(of: line, with: spoiled)
            }
            let note = Array(text.utf8)
            let parsed = try SignedNoteDocument(parsing: note)
            #expect(parsed.signatures.count == 3)
            let verified = try f.verify(note)
            #expect(verified.status == 0, "\(verified)")
            let exported = try f.export(storing: note, as: "2")
            #expect(exported.status == 0 && (Self.exportedCheckpoint(exported)) == text, "\(exported)")
        }
    }

    @Test func aBadSignatureByARootKeyIsCheckpointRejected() throws {
        try withTemporaryDirectory { dir in
            let f = try Fixture(in: dir)
            let good = try SignedNoteDocument(parsing: try f.note())
            let s = try #require(good.signatures.first)
            var flipped = s.signature
            flipped[40] ^= 0x01
            let text = String(decoding: good.serialized, as: UTF8.self).replacingOccurrences(
                of: Base64.encode(Self.keyIDBytes(s.keyID) + s.signature), with: Base64.encode(Self.keyIDBytes(s.keyID) + flipped))
            let bad = Array(text.utf8)
            expectOneLineError(try f.export(storing: bad, as: "2"), exit: 1, mentioning: ["invalid-signature", "[checkpoint-rejected]"])
            let verify = try f.verify(bad, json: true)
            expectOneLineError(verify, exit: 1, mentioning: ["invalid-signature", "[checkpoint-rejected]"])
            #expect(verify.stdout.isEmpty)
        }
    }

    /// Only root keys active at N count; beyond the ledger, those active after its last entry. A
    /// checkpoint they did not sign is rejected before its size is compared with the ledger's.
    @Test func whichKeysCountAndRollback() throws {
        try withTemporaryDirectory { dir in
            let f = try Fixture(in: dir)
            let desk = try NoteSigner(name: Self.origin, privateKey: try KeyFiles.loadPrivateKey(f.box.deskKey))
            expectOneLineError(try f.export(storing: try f.note(signers: [desk]), as: "2"), exit: 1,
                               mentioning: ["unverified-note", "[checkpoint-rejected]"])
            try FileManager.default.removeItem(atPath: f.box.ledger + "/checkpoints/2")
            expectOneLineError(try f.export(storing: try f.note(size: 3, signers: [desk]), as: "3"), exit: 1,
                               mentioning: ["[checkpoint-rejected]"])
            expectOneLineError(try f.export(storing: try f.note(size: 3), as: "3"), exit: 1, mentioning: ["[rollback]"])
            let rolled = try f.verify(try f.note(size: 3), json: true)
            #expect(rolled.status == 1 && Self.member(rolled, "code") == "rollback", "\(rolled)")
            // A checkpoint of the first entry only: the root key was active at 1 (added by entry 0).
            try FileManager.default.removeItem(atPath: f.box.ledger + "/checkpoints/3")
            let firstRoot = try f.box.expectSuccess(["prove", "inclusion", "0", "--size", "1", "--json", "--ledger", f.box.ledger])
            let rootOfOne = try #require(SHA256Digest(hex: Self.member(firstRoot, "rootHash") ?? ""))
            let one = try f.export(storing: try f.note(size: 1, root: rootOfOne), as: "1")
            #expect(one.status == 0, "\(one)")
            expectOneLineError(try f.export(storing: try f.note(size: 2, root: rootOfOne), as: "2"), exit: 1, mentioning: ["[history-rewritten]"])
        }
    }

    static func keyIDBytes(_ id: UInt32) -> [UInt8] {
        [UInt8(id >> 24), UInt8((id >> 16) & 0xff), UInt8((id >> 8) & 0xff), UInt8(id & 0xff)]
    }
}
