import CanonicalJSON
import LedgerCrypto
import Merkle

/// The parts of an export document (FORMAT.md section 11) that the streaming export (storage) and a
/// claim page's proof block (the site renderer) build alike. No I/O: lines and hashes come from the caller.
public enum ExportDocuments {
    /// What proofs are checked against: the latest verified checkpoint the ledger extends, or the whole
    /// ledger when none is stored.
    public struct ProofTarget: Sendable {
        public let size: Int
        public let root: SHA256Digest
        /// The checkpoint's signed note, verbatim, and its verifier keys (14.2); nil when none is stored.
        public let note: [UInt8]?
        public let verifierKeys: [String]

        public init(size: Int, root: SHA256Digest, note: [UInt8]?, verifierKeys: [String]) {
            self.size = size
            self.root = root
            self.note = note
            self.verifierKeys = verifierKeys
        }
    }

    /// Every top-level member but `claims` (11.1).
    public static func header(_ state: LedgerState, target: ProofTarget, statusFilter: ClaimStatus? = nil,
                              reviewedOnly: Bool = false) -> [String: JSONValue] {
        var members: [String: JSONValue] = [
            "format": .string(ClaimDocuments.exportFormat), "origin": .string(state.origin ?? ""),
            "treeSize": .number(Double(state.size)), "head": .string(state.head.hex), "keys": ClaimDocuments.keys(in: state),
            "scale": ClaimDocuments.scale(in: state),
            "proofTreeSize": .number(Double(target.size)), "proofRootHash": .string(target.root.hex),
        ]
        if let statusFilter { members["statusFilter"] = .string(statusFilter.rawValue) }
        if reviewedOnly { members["reviewedOnly"] = .bool(true) }
        if let note = target.note {
            members["checkpoint"] = .string(String(decoding: note, as: UTF8.self))
            members["verifierKeys"] = .array(target.verifierKeys.map { .string($0) })
        }
        return members
    }

    /// `{seq, line, inclusion}` (11.2 `proofs`) of entry `seq`, whose line (without LF) is `line`, in the
    /// tree of `target.size` entries. The proof is checked against the target's root, and the line's
    /// `hash` member against the tree's leaf, before it is returned.
    public static func proofItem(seq: Int, line: [UInt8], target: ProofTarget, tree: any HashReader) throws -> JSONValue {
        try proofItem(seq: seq, line: line, inclusion: verifiedInclusion(seq: seq, target: target, tree: tree))
    }

    /// An entry's inclusion proof as `verifiedInclusion` built and checked it: nothing else makes one, so
    /// that a document is never given a proof that was not verified against its root.
    public struct VerifiedInclusion: Sendable {
        public let inclusion: ProofDocuments.Inclusion

        fileprivate init(_ inclusion: ProofDocuments.Inclusion) { self.inclusion = inclusion }
    }

    /// Entry `seq`'s inclusion proof in the tree of `target.size` entries, built from `tree` and checked
    /// against the target's root, with the entry's leaf hash as `tree` stores it.
    public static func verifiedInclusion(seq: Int, target: ProofTarget, tree: any HashReader) throws -> VerifiedInclusion {
        let proof = try ProofBuilder.inclusion(leafIndex: Int64(seq), treeSize: Int64(target.size), reader: tree)
        let leaf = try tree.readHashes([MerkleTree.storedHashIndex(level: 0, n: Int64(seq))])[0]
        try ProofVerifier.verifyInclusion(proof, leafHash: leaf, rootHash: target.root)
        return VerifiedInclusion(ProofDocuments.Inclusion(proof: proof, leafHash: leaf, rootHash: target.root))
    }

    /// `{seq, line, inclusion}` of entry `seq` from `verified`, refused (`invalid-input`) when it is the
    /// proof of another entry, and (`hash-mismatch`) when the line's `hash` member is not its leaf.
    public static func proofItem(seq: Int, line: [UInt8], inclusion verified: VerifiedInclusion) throws -> JSONValue {
        let inclusion = verified.inclusion, leaf = inclusion.leafHash
        guard inclusion.proof.leafIndex == Int64(seq) else {
            throw LedgerError(.invalidInput, "the inclusion proof given for entry \(seq) is for entry \(inclusion.proof.leafIndex)")
        }
        // The line's `hash` member: 64 hex digits before `","signature":"`, 88 base64 digits and `"}`.
        let hashEnd = line.count - 105
        guard hashEnd >= 64, line[(hashEnd - 64)..<hashEnd].elementsEqual(leaf.hex.utf8) else {
            throw LedgerError(.hashMismatch, "entry \(seq)'s line does not carry leaf hash \(leaf.hex)")
        }
        return ["seq": .number(Double(seq)), "line": .string(String(decoding: line, as: UTF8.self)),
                "inclusion": ProofDocuments.inclusion(inclusion.proof, leafHash: leaf, rootHash: inclusion.rootHash)]
    }

    /// One claim as an export document of its own (11.1 with one claim, 11.2 with its `proofs`): what a
    /// claim page carries so that a reader can check it without the ledger. `line` reads an entry's line.
    public static func claimDocument(_ record: ClaimRecord, in state: LedgerState, target: ProofTarget, tree: any HashReader,
                                     line: (Int) throws -> [UInt8]) throws -> JSONValue {
        try claimDocument(record, in: state, target: target, inclusion: { try verifiedInclusion(seq: $0, target: target, tree: tree) },
                          line: line)
    }

    /// `claimDocument`, with each entry's proof from `inclusion` (what `verifiedInclusion` gives for the
    /// entry and `target`), so that a caller that also shows the proofs builds each one once. A proof of
    /// another entry or in another tree is refused (`invalid-input`).
    public static func claimDocument(_ record: ClaimRecord, in state: LedgerState, target: ProofTarget,
                                     inclusion: (Int) throws -> VerifiedInclusion,
                                     line: (Int) throws -> [UInt8]) throws -> JSONValue {
        var failure: Error?
        let claim = withoutActuallyEscaping(line) { line in
            withoutActuallyEscaping(inclusion) { inclusion in
                ClaimDocuments.claim(record, in: state) { seq -> JSONValue? in
                    guard seq < target.size, failure == nil else { return nil }
                    do {
                        let proof = try inclusion(seq)
                        guard proof.inclusion.proof.treeSize == Int64(target.size), proof.inclusion.rootHash == target.root else {
                            throw LedgerError(.invalidInput, "the inclusion proof given for entry \(seq) is not in the tree of \(target.size) entries")
                        }
                        return try proofItem(seq: seq, line: try line(seq), inclusion: proof)
                    } catch { failure = error; return nil }
                }
            }
        }
        if let failure { throw failure }
        var members = header(state, target: target)
        members["claims"] = .array([claim])
        return .object(members)
    }
}
