import ClaimLedgerCore
import Glibc
import LedgerCrypto
import Merkle

/// An RFC 9162 inclusion proof with the leaf and root it connects.
public struct InclusionAnswer: Sendable {
    public let proof: InclusionProof
    public let leafHash: SHA256Digest
    public let rootHash: SHA256Digest
}

/// An RFC 9162 consistency proof with the two roots it connects.
public struct ConsistencyAnswer: Sendable {
    public let proof: ConsistencyProof
    public let oldRoot: SHA256Digest
    public let newRoot: SHA256Digest
}

extension LedgerStore {
    /// The ledger's size and root (verified when the writers' index was built) with the stored hashes
    /// of `tree/hashes`, which are not trusted: every proof built from them is checked against that
    /// root before it is returned (`inclusionProof`, `consistencyProof`).
    struct ProofTree {
        let size: Int
        let rootHash: SHA256Digest
        let reader: any HashReader
    }

    /// The audit path of entry `seq` in the tree of the first `treeSize` entries (default: all).
    public func inclusionProof(seq: Int, treeSize: Int?) throws -> InclusionAnswer {
        try withProofTree { tree in
            let n = treeSize ?? tree.size
            guard n >= 1, n <= tree.size else { throw LedgerError(.invalidInput, "tree size \(n) outside 1...\(tree.size)") }
            guard seq >= 0, seq < n else { throw LedgerError(.invalidInput, "seq \(seq) outside 0..<\(n)") }
            let root = try Self.checkedRoot(n, in: tree)
            let proof = try ProofBuilder.inclusion(leafIndex: Int64(seq), treeSize: Int64(n), reader: tree.reader)
            let leaf = try tree.reader.readHashes([MerkleTree.storedHashIndex(level: 0, n: Int64(seq))])[0]
            try ProofVerifier.verifyInclusion(proof, leafHash: leaf, rootHash: root)
            return InclusionAnswer(proof: proof, leafHash: leaf, rootHash: root)
        }
    }

    /// The proof that the tree of `old` entries is a prefix of the tree of `new`.
    public func consistencyProof(old: Int, new: Int) throws -> ConsistencyAnswer {
        try withProofTree { tree in
            guard old >= 1, old <= new, new <= tree.size else {
                throw LedgerError(.invalidInput, "sizes must satisfy 1 <= old <= new <= \(tree.size); got \(old) and \(new)")
            }
            let newRoot = try Self.checkedRoot(new, in: tree)
            let oldRoot = try Self.checkedRoot(old, in: tree)
            let proof = try ProofBuilder.consistency(oldSize: Int64(old), newSize: Int64(new), reader: tree.reader)
            try ProofVerifier.verifyConsistency(proof, oldRoot: oldRoot, newRoot: newRoot)
            return ConsistencyAnswer(proof: proof, oldRoot: oldRoot, newRoot: newRoot)
        }
    }

    /// The root of the first `n` entries computed from the stored hashes, once a consistency proof from
    /// the same hashes ties it to the verified root of the whole ledger.
    private static func checkedRoot(_ n: Int, in tree: ProofTree) throws -> SHA256Digest {
        let root = try MerkleTree.rootHash(treeSize: Int64(n), reader: tree.reader)
        if n == tree.size {
            guard root == tree.rootHash else { throw MerkleError(.rootMismatch, "stored hashes give root \(root.hex), want \(tree.rootHash.hex)") }
        } else {
            let link = try ProofBuilder.consistency(oldSize: Int64(n), newSize: Int64(tree.size), reader: tree.reader)
            try ProofVerifier.verifyConsistency(link, oldRoot: root, newRoot: tree.rootHash)
        }
        return root
    }

    /// Runs `body` on the stored tree as the writers' index describes it; if there is no usable index,
    /// or the stored hashes fail a check (`MerkleError`), on the tree of a full verification that
    /// repairs them (`verifiedLedger`, which works in a scratch directory when this one is read-only).
    private func withProofTree<T>(_ body: (ProofTree) throws -> T) throws -> T {
        let file = try PosixFile(path: entriesPath, flags: O_RDONLY)
        try file.lock(LOCK_SH)  // held while the proof is built: no writer changes the tree meanwhile
        if let index = WriterIndex.open(self, entries: file, size: try file.size(), writable: false),
           let reader = try? TreeHashFile(ledgerDirectory: directory, writable: false) {
            do {
                defer { file.unlock() }
                return try body(ProofTree(size: index.state.size, rootHash: index.state.rootHash, reader: reader))
            } catch is MerkleError {}  // stored hashes disagree with the verified root: repair them
        } else {
            file.unlock()
        }
        let verified = try verifiedLedger()
        return try body(ProofTree(size: verified.state.size, rootHash: verified.state.rootHash, reader: verified.tree))
    }
}
