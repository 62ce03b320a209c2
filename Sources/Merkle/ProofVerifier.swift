import LedgerCrypto

/// Verifies proofs with the algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2: first the proof
/// length is checked against the one the sizes imply, then roots are computed, then compared.
public enum ProofVerifier {
    /// Passes iff `proof` proves that `leafHash` is leaf `proof.leafIndex` of the tree whose root is `rootHash`.
    public static func verifyInclusion(_ proof: InclusionProof, leafHash: SHA256Digest,
                                       rootHash: SHA256Digest) throws(MerkleError) {
        let computed = try rootFromInclusionProof(proof, leafHash: leafHash)
        guard computed == rootHash else {
            throw MerkleError(.rootMismatch, "root mismatch: computed \(computed.hex), want \(rootHash.hex)")
        }
    }

    /// RFC 9162 section 2.1.3.2 steps 1-4: the root that `proof` yields for `leafHash`.
    /// Requires `0 <= leafIndex < treeSize` and exactly as many hashes as that audit path has.
    public static func rootFromInclusionProof(_ proof: InclusionProof,
                                              leafHash: SHA256Digest) throws(MerkleError) -> SHA256Digest {
        guard proof.leafIndex >= 0, proof.leafIndex < proof.treeSize else {
            throw MerkleError(.indexOutOfRange,
                              "leaf index \(proof.leafIndex) out of range for tree size \(proof.treeSize)")
        }
        let want = inclusionPathLength(leafIndex: proof.leafIndex, treeSize: proof.treeSize)
        guard proof.hashes.count == want else {
            throw MerkleError(.wrongProofSize, "wrong proof size \(proof.hashes.count), want \(want)")
        }
        var walk = PathWalk(fn: proof.leafIndex, sn: proof.treeSize - 1)
        var r = leafHash
        for p in proof.hashes {
            if walk.hashesOnLeft() {
                r = SHA256.hashChildren(p, r)
            } else {
                r = SHA256.hashChildren(r, p)
            }
        }
        // Step 5: sn must have reached 0; the length check above guarantees it.
        precondition(walk.sn == 0, "audit path length \(want) disagrees with the RFC 9162 walk")
        return r
    }

    /// Passes iff `proof` proves that the tree with root `oldRoot` of `proof.oldSize` leaves is a prefix
    /// of the tree with root `newRoot` of `proof.newSize` leaves. For `oldSize == newSize` the proof
    /// must be empty and the roots equal; for `oldSize == 0` it must be empty and `oldRoot` must be
    /// MTH({}) (see `ProofBuilder.consistency`).
    public static func verifyConsistency(_ proof: ConsistencyProof, oldRoot: SHA256Digest,
                                         newRoot: SHA256Digest) throws(MerkleError) {
        let (first, second) = (proof.oldSize, proof.newSize)
        guard first >= 0, first <= second else {
            throw MerkleError(.invalidSizes, "invalid sizes: old \(first), new \(second)")
        }
        if first == second || first == 0 {
            guard proof.hashes.isEmpty else {
                throw MerkleError(.wrongProofSize, "wrong proof size \(proof.hashes.count), want 0")
            }
            if first == 0, oldRoot != MerkleTree.emptyRoot {
                throw MerkleError(.rootMismatch,
                                  "old root mismatch: computed \(MerkleTree.emptyRoot.hex), want \(oldRoot.hex)")
            }
            if first == second, oldRoot != newRoot {
                throw MerkleError(.rootMismatch, "roots differ at equal size \(first): old \(oldRoot.hex), new \(newRoot.hex)")
            }
            return
        }
        let want = consistencyPathLength(oldSize: first, newSize: second)
        guard proof.hashes.count == want else {
            throw MerkleError(.wrongProofSize, "wrong proof size \(proof.hashes.count), want \(want)")
        }
        // RFC 9162 section 2.1.4.2 steps 2-6.
        let path = isPowerOfTwo(first) ? [oldRoot] + proof.hashes : proof.hashes
        var walk = PathWalk(fn: first - 1, sn: second - 1)
        walk.skipCompletedLevels()
        var (fr, sr) = (path[0], path[0])
        for c in path.dropFirst() {
            if walk.hashesOnLeft() {
                fr = SHA256.hashChildren(c, fr)
                sr = SHA256.hashChildren(c, sr)
            } else {
                sr = SHA256.hashChildren(sr, c)
            }
        }
        // Step 7.
        precondition(walk.sn == 0, "consistency path length \(want) disagrees with the RFC 9162 walk")
        guard fr == oldRoot else {
            throw MerkleError(.rootMismatch, "old root mismatch: computed \(fr.hex), want \(oldRoot.hex)")
        }
        guard sr == newRoot else {
            throw MerkleError(.rootMismatch, "new root mismatch: computed \(sr.hex), want \(newRoot.hex)")
        }
    }

    /// Number of hashes in the audit path of `leafIndex` in a tree of `treeSize`:
    /// the iterations of RFC 9162 section 2.1.3.2 step 4 until sn reaches 0.
    static func inclusionPathLength(leafIndex: Int64, treeSize: Int64) -> Int {
        var walk = PathWalk(fn: leafIndex, sn: treeSize - 1)
        var count = 0
        while walk.sn != 0 {
            _ = walk.hashesOnLeft()
            count += 1
        }
        return count
    }

    /// Number of hashes in the consistency path from `oldSize` to `newSize`, `0 < oldSize < newSize`:
    /// the iterations of RFC 9162 section 2.1.4.2 step 6 until sn reaches 0, plus the first element,
    /// which the verifier supplies itself (as the old root) when `oldSize` is a power of two.
    static func consistencyPathLength(oldSize: Int64, newSize: Int64) -> Int {
        var walk = PathWalk(fn: oldSize - 1, sn: newSize - 1)
        walk.skipCompletedLevels()
        var count = isPowerOfTwo(oldSize) ? 0 : 1
        while walk.sn != 0 {
            _ = walk.hashesOnLeft()
            count += 1
        }
        return count
    }

    static func isPowerOfTwo(_ n: Int64) -> Bool { n > 0 && n & (n - 1) == 0 }
}

/// The (fn, sn) index walk shared by the RFC 9162 verification algorithms.
struct PathWalk {
    var fn: Int64
    var sn: Int64

    /// Section 2.1.4.2 step 4: while LSB(fn) is set, right-shift fn and sn.
    mutating func skipCompletedLevels() {
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
    }

    /// One iteration of section 2.1.3.2 step 4 (2.1.4.2 step 6): returns whether the proof element
    /// is the left child (LSB(fn) set or fn == sn) and advances fn and sn. Requires sn != 0.
    mutating func hashesOnLeft() -> Bool {
        let onLeft = fn & 1 == 1 || fn == sn
        if onLeft {
            while fn & 1 == 0 && fn != 0 {
                fn >>= 1
                sn >>= 1
            }
        }
        fn >>= 1
        sn >>= 1
        return onLeft
    }
}
