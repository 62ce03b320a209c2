import LedgerCrypto
import Merkle
import Testing

func flipped(_ digest: SHA256Digest, byte: Int) -> SHA256Digest {
    var bytes = digest.bytes
    bytes[byte] ^= 0x01
    return SHA256Digest(bytes: bytes)!
}

/// Every mutation of `hashes` the proof tests apply, with the error code each must produce:
/// one byte flipped in each position (every byte when `allBytes`), each hash dropped,
/// and an extra hash appended or prepended.
func mutations(of hashes: [SHA256Digest], allBytes: Bool) -> [(name: String, hashes: [SHA256Digest], code: MerkleError.Code)] {
    var result: [(String, [SHA256Digest], MerkleError.Code)] = []
    for position in hashes.indices {
        let bytes = allBytes ? Array(0..<SHA256Digest.byteCount) : [(position * 7) % SHA256Digest.byteCount]
        for byte in bytes {
            var mutated = hashes
            mutated[position] = flipped(mutated[position], byte: byte)
            result.append(("flip hash[\(position)] byte \(byte)", mutated, .rootMismatch))
        }
        var dropped = hashes
        dropped.remove(at: position)
        result.append(("drop hash[\(position)]", dropped, .wrongProofSize))
    }
    let extra = SHA256.hash([0x42])
    result.append(("append extra", hashes + [extra], .wrongProofSize))
    result.append(("prepend extra", [extra] + hashes, .wrongProofSize))
    return result
}

@Suite struct ProofTests {
    static let maxSize = 64

    @Test func everyInclusionProofMatchesReferenceAndVerifies() throws {
        let reference = ReferenceTree(size: Self.maxSize)
        let store = try makeStore(size: Self.maxSize)
        for size in 1...Self.maxSize {
            let root = reference.mth(0, size)
            for index in 0..<size {
                let proof = try ProofBuilder.inclusion(leafIndex: Int64(index), treeSize: Int64(size), reader: store)
                #expect(proof.hashes == reference.path(index, 0, size), "leaf \(index) size \(size)")
                try ProofVerifier.verifyInclusion(proof, leafHash: reference.leaves[index], rootHash: root)
            }
        }
    }

    @Test func everyConsistencyProofMatchesReferenceAndVerifies() throws {
        let reference = ReferenceTree(size: Self.maxSize)
        let store = try makeStore(size: Self.maxSize)
        for newSize in 1...Self.maxSize {
            for oldSize in 1...newSize {
                let proof = try ProofBuilder.consistency(oldSize: Int64(oldSize), newSize: Int64(newSize), reader: store)
                #expect(proof.hashes == reference.proof(oldSize, newSize), "\(oldSize) -> \(newSize)")
                try ProofVerifier.verifyConsistency(proof, oldRoot: reference.mth(0, oldSize),
                                                    newRoot: reference.mth(0, newSize))
            }
        }
    }

    @Test func mutatedInclusionProofsAreRejected() throws {
        let store = try makeStore(size: Self.maxSize)
        for size in 1...Self.maxSize {
            let root = try MerkleTree.rootHash(treeSize: Int64(size), reader: store)
            for index in 0..<size {
                let proof = try ProofBuilder.inclusion(leafIndex: Int64(index), treeSize: Int64(size), reader: store)
                let leaf = MerkleTree.leafHash(ReferenceTree.entry(index))
                for mutation in mutations(of: proof.hashes, allBytes: size <= 16) {
                    let mutated = InclusionProof(leafIndex: proof.leafIndex, treeSize: proof.treeSize, hashes: mutation.hashes)
                    let error = #expect(throws: MerkleError.self, "\(mutation.name), leaf \(index) size \(size)") {
                        try ProofVerifier.verifyInclusion(mutated, leafHash: leaf, rootHash: root)
                    }
                    #expect(error?.code == mutation.code, "\(mutation.name), leaf \(index) size \(size)")
                }
                for (name, leafHash, rootHash) in [("leaf", flipped(leaf, byte: index % 32), root),
                                                   ("root", leaf, flipped(root, byte: size % 32))] {
                    let error = #expect(throws: MerkleError.self, "flipped \(name), leaf \(index) size \(size)") {
                        try ProofVerifier.verifyInclusion(proof, leafHash: leafHash, rootHash: rootHash)
                    }
                    #expect(error?.code == .rootMismatch)
                }
            }
        }
    }

    @Test func mutatedConsistencyProofsAreRejected() throws {
        let store = try makeStore(size: Self.maxSize)
        let roots = try (0...Self.maxSize).map { try MerkleTree.rootHash(treeSize: Int64($0), reader: store) }
        for newSize in 1...Self.maxSize {
            for oldSize in 1...newSize {
                let proof = try ProofBuilder.consistency(oldSize: Int64(oldSize), newSize: Int64(newSize), reader: store)
                for mutation in mutations(of: proof.hashes, allBytes: newSize <= 16) {
                    let mutated = ConsistencyProof(oldSize: proof.oldSize, newSize: proof.newSize, hashes: mutation.hashes)
                    let error = #expect(throws: MerkleError.self, "\(mutation.name), \(oldSize) -> \(newSize)") {
                        try ProofVerifier.verifyConsistency(mutated, oldRoot: roots[oldSize], newRoot: roots[newSize])
                    }
                    #expect(error?.code == mutation.code, "\(mutation.name), \(oldSize) -> \(newSize)")
                }
                for (name, oldRoot, newRoot) in [("old root", flipped(roots[oldSize], byte: 3), roots[newSize]),
                                                 ("new root", roots[oldSize], flipped(roots[newSize], byte: 30))] {
                    let error = #expect(throws: MerkleError.self, "flipped \(name), \(oldSize) -> \(newSize)") {
                        try ProofVerifier.verifyConsistency(proof, oldRoot: oldRoot, newRoot: newRoot)
                    }
                    #expect(error?.code == .rootMismatch)
                }
            }
        }
    }

    @Test func singleLeafTreeHasEmptyAuditPath() throws {
        let store = try makeStore(size: 1)
        let proof = try ProofBuilder.inclusion(leafIndex: 0, treeSize: 1, reader: store)
        #expect(proof.hashes.isEmpty)
        let leaf = MerkleTree.leafHash(ReferenceTree.entry(0))
        try ProofVerifier.verifyInclusion(proof, leafHash: leaf, rootHash: leaf)
        #expect(try ProofVerifier.rootFromInclusionProof(proof, leafHash: leaf) == leaf)
    }

    @Test func consistencyFromEmptyTreeIsEmptyAndNeedsTheEmptyRoot() throws {
        let store = try makeStore(size: 5)
        let root5 = try MerkleTree.rootHash(treeSize: 5, reader: store)
        for newSize in Int64(0)...5 {
            let proof = try ProofBuilder.consistency(oldSize: 0, newSize: newSize, reader: store)
            #expect(proof.hashes.isEmpty)
        }
        let proof = ConsistencyProof(oldSize: 0, newSize: 5, hashes: [])
        try ProofVerifier.verifyConsistency(proof, oldRoot: MerkleTree.emptyRoot, newRoot: root5)
        let wrongOld = #expect(throws: MerkleError.self) {
            try ProofVerifier.verifyConsistency(proof, oldRoot: root5, newRoot: root5)
        }
        #expect(wrongOld?.detail == "old root mismatch: computed \(MerkleTree.emptyRoot.hex), want \(root5.hex)")
        let nonEmpty = #expect(throws: MerkleError.self) {
            try ProofVerifier.verifyConsistency(ConsistencyProof(oldSize: 0, newSize: 5, hashes: [root5]),
                                                oldRoot: MerkleTree.emptyRoot, newRoot: root5)
        }
        #expect(nonEmpty?.detail == "wrong proof size 1, want 0")
    }

    @Test func consistencyAtEqualSizesIsEmptyAndNeedsEqualRoots() throws {
        let store = try makeStore(size: 5)
        let (root4, root5) = try (MerkleTree.rootHash(treeSize: 4, reader: store), MerkleTree.rootHash(treeSize: 5, reader: store))
        let proof = try ProofBuilder.consistency(oldSize: 5, newSize: 5, reader: store)
        #expect(proof.hashes.isEmpty)
        try ProofVerifier.verifyConsistency(proof, oldRoot: root5, newRoot: root5)
        let error = #expect(throws: MerkleError.self) {
            try ProofVerifier.verifyConsistency(proof, oldRoot: root4, newRoot: root5)
        }
        #expect(error?.code == .rootMismatch)
        #expect(error?.detail == "roots differ at equal size 5: old \(root4.hex), new \(root5.hex)")
    }

    @Test func errorsCarryTheNumbers() throws {
        let store = try makeStore(size: 8)
        let root = try MerkleTree.rootHash(treeSize: 7, reader: store)
        var proof = try ProofBuilder.inclusion(leafIndex: 2, treeSize: 7, reader: store)
        let leaf = MerkleTree.leafHash(ReferenceTree.entry(2))
        proof.hashes.removeLast()
        let short = #expect(throws: MerkleError.self) { try ProofVerifier.verifyInclusion(proof, leafHash: leaf, rootHash: root) }
        #expect(short?.description == "wrong-proof-size: wrong proof size 2, want 3")
        let wrongLeaf = MerkleTree.leafHash([0xFF])
        let full = try ProofBuilder.inclusion(leafIndex: 2, treeSize: 7, reader: store)
        let computed = try ProofVerifier.rootFromInclusionProof(full, leafHash: wrongLeaf)
        let mismatch = #expect(throws: MerkleError.self) { try ProofVerifier.verifyInclusion(full, leafHash: wrongLeaf, rootHash: root) }
        #expect(mismatch?.detail == "root mismatch: computed \(computed.hex), want \(root.hex)")
        let outOfRange = #expect(throws: MerkleError.self) { try ProofBuilder.inclusion(leafIndex: 7, treeSize: 7, reader: store) }
        #expect(outOfRange?.detail == "leaf index 7 out of range for tree size 7")
        let badIndex = #expect(throws: MerkleError.self) {
            try ProofVerifier.verifyInclusion(InclusionProof(leafIndex: -1, treeSize: 7, hashes: []), leafHash: leaf, rootHash: root)
        }
        #expect(badIndex?.code == .indexOutOfRange)
        let sizes = #expect(throws: MerkleError.self) { try ProofBuilder.consistency(oldSize: 5, newSize: 3, reader: store) }
        #expect(sizes?.detail == "invalid sizes: old 5, new 3")
        let verifySizes = #expect(throws: MerkleError.self) {
            try ProofVerifier.verifyConsistency(ConsistencyProof(oldSize: 5, newSize: 3, hashes: []), oldRoot: root, newRoot: root)
        }
        #expect(verifySizes?.code == .invalidSizes)
    }

    @Test func proofsInALargerTreeVerify() throws {
        let size = 1_100
        var store = MemoryHashStore()
        var leaves: [SHA256Digest] = []
        for i in 0..<size {
            leaves.append(MerkleTree.leafHash(Array("entry \(i)".utf8)))
            try store.append(leafHash: leaves[i])
        }
        for treeSize in stride(from: 1, through: size, by: 97) {
            let root = try MerkleTree.rootHash(treeSize: Int64(treeSize), reader: store)
            for index in stride(from: 0, to: treeSize, by: 37) {
                let proof = try ProofBuilder.inclusion(leafIndex: Int64(index), treeSize: Int64(treeSize), reader: store)
                try ProofVerifier.verifyInclusion(proof, leafHash: leaves[index], rootHash: root)
            }
            let newRoot = try MerkleTree.rootHash(treeSize: Int64(size), reader: store)
            let proof = try ProofBuilder.consistency(oldSize: Int64(treeSize), newSize: Int64(size), reader: store)
            try ProofVerifier.verifyConsistency(proof, oldRoot: root, newRoot: newRoot)
        }
    }
}
