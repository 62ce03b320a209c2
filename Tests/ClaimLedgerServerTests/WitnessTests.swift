import ClaimLedgerServer
import ClaimLedgerStorage
import ClaimLedgerWitness
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCrypto
import Merkle
import SignedNote
import Testing

/// The witness (c2sp.org/tlog-witness) through its HTTP router: every status of the specification, in
/// its order, and a state that survives a restart.
@Suite("Witness") struct WitnessTests {
    static let origin = "log.example/claims"

    /// A log of `count` leaves signed by `key`: its tree, and checkpoints of any size.
    struct Log {
        let key: Ed25519PrivateKey
        var tree = MemoryHashStore()
        var size = 0
        let salt: String

        init(key: Ed25519PrivateKey, salt: String = "") {
            self.key = key
            self.salt = salt
        }

        mutating func grow(to n: Int) throws {
            while size < n {
                _ = try tree.append(leafHash: SHA256.hash(Array("\(salt)leaf \(size)".utf8)))
                size += 1
            }
        }

        func note(origin: String = WitnessTests.origin) throws -> [UInt8] {
            let root = try MerkleTree.rootHash(treeSize: Int64(size), reader: tree)
            return try Checkpoint(origin: origin, treeSize: Int64(size), rootHash: root).sign(signers: [try NoteSigner(name: origin, privateKey: key)])
        }

        func proof(from old: Int) throws -> [SHA256Digest] {
            try ProofBuilder.consistency(oldSize: Int64(old), newSize: Int64(size), reader: tree).hashes
        }

        func body(old: Int, proof: [SHA256Digest]? = nil) throws -> String {
            String(decoding: AddCheckpointRequest(oldSize: old, proof: try proof ?? (old == 0 ? [] : self.proof(from: old)), note: try note()).serialized,
                   as: UTF8.self)
        }
    }

    func withWitness(_ body: @escaping @Sendable (String, Ed25519PrivateKey, CosignerKey, any TestClientProtocol) async throws -> Void) async throws {
        try await withTemporaryDirectory { dir in
            let logKey = try Ed25519PrivateKey.generate()
            let cosigner = try Cosigner(name: "witness.example/w1", privateKey: try .generate())
            let witness = Witness(cosigner: cosigner, logs: [try NoteVerifierKey(name: Self.origin, publicKey: logKey.publicKey)],
                                  state: try WitnessStateStore(directory: dir + "/state"))
            let app = Application(router: WitnessServer.router(witness: witness, clock: { 1_780_000_000 }))
            try await app.test(.router) { client in try await body(dir, logKey, cosigner.key, client) }
        }
    }

    @Test func cosignsAConsistentLogAndRefusesEverythingElseWithTheSpecStatus() async throws {
        try await withWitness { _, logKey, witnessKey, client in
            var log = Log(key: logKey)
            try log.grow(to: 5)
            // First contact: old 0, no proof. The answer is a cosignature line that verifies.
            let first = try await client.fetch("/add-checkpoint", method: .post, body: try log.body(old: 0))
            #expect(first.status == .ok, "\(first.body)")
            let cosigned = try SignedNoteDocument(parsing: try log.note() + Array(first.body.utf8))
            let by = try cosigned.cosigners([witnessKey])
            #expect(by.count == 1 && by.first?.timestamp == 1_780_000_000)

            // The log grew: old 0 is a conflict that tells the witness's size.
            try log.grow(to: 300)
            let stale = try await client.fetch("/add-checkpoint", method: .post, body: try log.body(old: 0))
            #expect(stale.status == .conflict && stale.body == "5\n")
            #expect(stale.headers[.contentType] == "text/x.tlog.size")
            // A wrong proof is 422; the right one is cosigned.
            var wrong = try log.proof(from: 5)
            wrong[0] = SHA256.hash(Array("not a node".utf8))
            #expect(try await client.fetch("/add-checkpoint", method: .post, body: try log.body(old: 5, proof: wrong)).status == .unprocessableContent)
            #expect(try await client.fetch("/add-checkpoint", method: .post, body: try log.body(old: 5)).status == .ok)

            // A fork: the same key signs another tree of the same size (409), or of a larger size that
            // does not extend the cosigned one (no proof can show it: 422).
            var fork = Log(key: logKey, salt: "fork ")
            try fork.grow(to: 300)
            #expect(try await client.fetch("/add-checkpoint", method: .post, body: try fork.body(old: 300, proof: [])).status == .conflict)
            try fork.grow(to: 400)
            #expect(try await client.fetch("/add-checkpoint", method: .post, body: try fork.body(old: 300)).status == .unprocessableContent)
            // A rollback: a smaller checkpoint than the witness's (old size 300 > 200) is a bad request.
            var short = Log(key: logKey)
            try short.grow(to: 200)
            #expect(try await client.fetch("/add-checkpoint", method: .post, body: try short.body(old: 300, proof: [])).status == .badRequest)
        }
    }

    @Test func unknownLogsKeysAndMalformedRequests() async throws {
        try await withWitness { _, logKey, _, client in
            var log = Log(key: logKey)
            try log.grow(to: 3)
            let otherOrigin = String(decoding: AddCheckpointRequest(oldSize: 0, proof: [], note: try log.note(origin: "other.example/log")).serialized, as: UTF8.self)
            #expect(try await client.fetch("/add-checkpoint", method: .post, body: otherOrigin).status == .notFound)
            var stranger = Log(key: try .generate())
            try stranger.grow(to: 3)
            #expect(try await client.fetch("/add-checkpoint", method: .post, body: try stranger.body(old: 0)).status == .forbidden)
            for body in ["", "old 01\n\n", "old 0\nnot base64\n\n", "old 0\n\nnot a note", "old 4\n\n" + String(decoding: try log.note(), as: UTF8.self)] {
                #expect(try await client.fetch("/add-checkpoint", method: .post, body: body).status == .badRequest, "\(body.prefix(20))")
            }
        }
    }

    @Test func theStateSurvivesARestart() async throws {
        try await withTemporaryDirectory { dir in
            let logKey = try Ed25519PrivateKey.generate()
            let logs = [try NoteVerifierKey(name: Self.origin, publicKey: logKey.publicKey)]
            var log = Log(key: logKey)
            try log.grow(to: 10)
            let first = Witness(cosigner: try Cosigner(name: "w", privateKey: try .generate()), logs: logs, state: try WitnessStateStore(directory: dir))
            _ = try first.addCheckpoint(AddCheckpointRequest(oldSize: 0, proof: [], note: try log.note()).serialized, now: 1)
            let restarted = Witness(cosigner: first.cosigner, logs: logs, state: try WitnessStateStore(directory: dir))
            do {
                _ = try restarted.addCheckpoint(AddCheckpointRequest(oldSize: 0, proof: [], note: try log.note()).serialized, now: 2)
                Issue.record("a restarted witness cosigned from old size 0 after cosigning 10 entries")
            } catch let error as WitnessError {
                #expect(error.code == .conflict && error.latestSize == 10, "\(error)")
            }
        }
    }
}
