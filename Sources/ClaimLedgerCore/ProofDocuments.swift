import CanonicalJSON
import LedgerCrypto
import Merkle

/// JSON forms of RFC 6962 proofs (FORMAT.md "Proofs"; schemas/inclusion-proof.schema.json and
/// consistency-proof.schema.json). Parsing is strict: exact members, lower-case hex, integer sizes.
public enum ProofDocuments {
    public static func inclusion(_ proof: InclusionProof, leafHash: SHA256Digest, rootHash: SHA256Digest) -> JSONValue {
        ["index": .number(Double(proof.leafIndex)), "treeSize": .number(Double(proof.treeSize)),
         "leafHash": .string(leafHash.hex), "rootHash": .string(rootHash.hex), "proof": .array(proof.hashes.map { .string($0.hex) })]
    }

    public static func consistency(_ proof: ConsistencyProof, oldRoot: SHA256Digest, newRoot: SHA256Digest) -> JSONValue {
        ["oldSize": .number(Double(proof.oldSize)), "newSize": .number(Double(proof.newSize)),
         "oldRoot": .string(oldRoot.hex), "newRoot": .string(newRoot.hex), "proof": .array(proof.hashes.map { .string($0.hex) })]
    }

    public struct Inclusion: Sendable, Equatable {
        public let proof: InclusionProof
        public let leafHash: SHA256Digest
        public let rootHash: SHA256Digest
    }

    public struct Consistency: Sendable, Equatable {
        public let proof: ConsistencyProof
        public let oldRoot: SHA256Digest
        public let newRoot: SHA256Digest
    }

    public static func parseInclusion(_ json: JSONValue) throws(LedgerError) -> Inclusion {
        var o = try StrictObject(json, path: "proof", code: .invalidInput)
        let index = try o.integer("index"), size = try o.integer("treeSize")
        let leaf = try o.digest("leafHash"), root = try o.digest("rootHash")
        let hashes = try digests(&o)
        try o.finish()
        return Inclusion(proof: InclusionProof(leafIndex: Int64(index), treeSize: Int64(size), hashes: hashes), leafHash: leaf, rootHash: root)
    }

    public static func parseConsistency(_ json: JSONValue) throws(LedgerError) -> Consistency {
        var o = try StrictObject(json, path: "proof", code: .invalidInput)
        let old = try o.integer("oldSize"), new = try o.integer("newSize")
        let oldRoot = try o.digest("oldRoot"), newRoot = try o.digest("newRoot")
        let hashes = try digests(&o)
        try o.finish()
        return Consistency(proof: ConsistencyProof(oldSize: Int64(old), newSize: Int64(new), hashes: hashes), oldRoot: oldRoot, newRoot: newRoot)
    }

    private static func digests(_ o: inout StrictObject) throws(LedgerError) -> [SHA256Digest] {
        var out = [SHA256Digest]()
        for (i, item) in try o.array("proof", max: 128).enumerated() {
            guard let s = item.stringValue, let d = SHA256Digest(hex: s) else {
                throw LedgerError(.invalidInput, "proof.proof[\(i)] must be 64 lower-case hex digits")
            }
            out.append(d)
        }
        return out
    }
}
