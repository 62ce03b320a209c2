import LedgerCrypto

/// Proof that the leaf at `leafIndex` is in the tree of `treeSize` leaves:
/// the RFC 9162 section 2.1.3.1 audit path, leaf to root.
public struct InclusionProof: Sendable, Equatable {
    public var leafIndex: Int64
    public var treeSize: Int64
    public var hashes: [SHA256Digest]

    public init(leafIndex: Int64, treeSize: Int64, hashes: [SHA256Digest]) {
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        self.hashes = hashes
    }
}

/// Proof that the tree of `oldSize` leaves is a prefix of the tree of `newSize` leaves:
/// the RFC 9162 section 2.1.4.1 consistency path.
public struct ConsistencyProof: Sendable, Equatable {
    public var oldSize: Int64
    public var newSize: Int64
    public var hashes: [SHA256Digest]

    public init(oldSize: Int64, newSize: Int64, hashes: [SHA256Digest]) {
        self.oldSize = oldSize
        self.newSize = newSize
        self.hashes = hashes
    }
}

/// Builds proofs from stored hashes (layout: `MerkleTree`), with one read per proof and
/// no re-hashing of leaves: every proof element is folded from at most log2(n) stored subtrees.
public enum ProofBuilder {
    /// RFC 9162 section 2.1.3.1 PATH(leafIndex, D[0:treeSize]).
    /// Requires `0 <= leafIndex < treeSize <= MerkleTree.maxTreeSize`; a tree of one leaf has an empty path.
    public static func inclusion(leafIndex: Int64, treeSize: Int64,
                                 reader: some HashReader) throws -> InclusionProof {
        guard treeSize > 0, treeSize <= MerkleTree.maxTreeSize, leafIndex >= 0, leafIndex < treeSize else {
            throw MerkleError(.indexOutOfRange, "leaf index \(leafIndex) out of range for tree size \(treeSize)")
        }
        var ranges: [Range<Int64>] = []
        appendPath(leafIndex, 0..<treeSize, into: &ranges)
        let hashes = try MerkleTree.rangeHashes(ranges, reader: reader)
        return InclusionProof(leafIndex: leafIndex, treeSize: treeSize, hashes: hashes)
    }

    /// RFC 9162 section 2.1.4.1 PROOF(oldSize, D[0:newSize]).
    /// Requires `0 <= oldSize <= newSize <= MerkleTree.maxTreeSize`. Two cases the RFC leaves out
    /// (it defines PROOF for 0 < m < n) get an empty proof: `oldSize == newSize` (the roots must be
    /// equal) and `oldSize == 0` (the empty tree is a prefix of every tree; its root must be MTH({})).
    public static func consistency(oldSize: Int64, newSize: Int64,
                                   reader: some HashReader) throws -> ConsistencyProof {
        guard oldSize >= 0, oldSize <= newSize, newSize <= MerkleTree.maxTreeSize else {
            throw MerkleError(.invalidSizes, "invalid sizes: old \(oldSize), new \(newSize)")
        }
        var ranges: [Range<Int64>] = []
        if oldSize > 0 && oldSize < newSize {
            appendSubproof(oldSize, 0..<newSize, complete: true, into: &ranges)
        }
        let hashes = try MerkleTree.rangeHashes(ranges, reader: reader)
        return ConsistencyProof(oldSize: oldSize, newSize: newSize, hashes: hashes)
    }

    /// PATH(m, D[range]) with `m` relative to `range.lowerBound`: appends the ranges whose MTH form the path.
    private static func appendPath(_ m: Int64, _ range: Range<Int64>, into ranges: inout [Range<Int64>]) {
        let (lo, hi) = (range.lowerBound, range.upperBound)
        guard hi - lo > 1 else { return }
        let k = largestPowerOfTwo(below: hi - lo)
        if m < k {
            appendPath(m, lo..<(lo + k), into: &ranges)
            ranges.append((lo + k)..<hi)
        } else {
            appendPath(m - k, (lo + k)..<hi, into: &ranges)
            ranges.append(lo..<(lo + k))
        }
    }

    /// SUBPROOF(m, D[range], complete): appends the ranges whose MTH form the subproof.
    private static func appendSubproof(_ m: Int64, _ range: Range<Int64>, complete: Bool,
                                       into ranges: inout [Range<Int64>]) {
        let (lo, hi) = (range.lowerBound, range.upperBound)
        if m == hi - lo {
            if !complete { ranges.append(range) }
            return
        }
        let k = largestPowerOfTwo(below: hi - lo)
        if m <= k {
            appendSubproof(m, lo..<(lo + k), complete: complete, into: &ranges)
            ranges.append((lo + k)..<hi)
        } else {
            appendSubproof(m - k, (lo + k)..<hi, complete: false, into: &ranges)
            ranges.append(lo..<(lo + k))
        }
    }

    /// The largest power of two strictly less than `n`, the split point k of RFC 9162 section 2.1.1.
    /// Requires `n > 1`.
    static func largestPowerOfTwo(below n: Int64) -> Int64 {
        Int64(1) << (Int64.bitWidth - 1 - (n - 1).leadingZeroBitCount)
    }
}
