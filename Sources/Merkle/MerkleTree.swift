import LedgerCrypto

/// An RFC 6962 Merkle tree (RFC 9162 section 2.1) kept as stored hashes, in the layout of Go's sumdb/tlog.
///
/// Subtree `n` at `level` is the complete subtree over leaves `[n << level, (n + 1) << level)`.
/// The hash of every complete subtree is stored exactly once, in the order subtrees complete:
/// adding leaf `i` appends its leaf hash (level 0), then the hash of each subtree that leaf `i`
/// completes, by increasing level. Storage is thus an append-only array of 32-byte hashes, and the
/// stored hashes of a tree of `n` leaves are a prefix of those of every larger tree.
public enum MerkleTree {
    /// Largest supported tree size; every stored-hash index then fits in `Int64`.
    public static let maxTreeSize: Int64 = 1 << 62

    /// MTH({}): the hash of an empty list is SHA-256 of the empty string (RFC 6962 section 2.1).
    public static let emptyRoot: SHA256Digest = SHA256.hash([])

    /// RFC 6962 section 2.1 leaf hash: SHA-256(0x00 || entry).
    public static func leafHash(_ entry: [UInt8]) -> SHA256Digest {
        entry.withUnsafeBytes { SHA256.hash(prefix: 0x00, $0) }
    }

    /// Number of hashes stored for a tree of `n` leaves: floor(n / 2^level) complete subtrees at
    /// each level, which sums to `2n - popcount(n)`. Requires `0 <= n <= maxTreeSize`.
    public static func storedHashCount(forLeafCount n: Int64) -> Int64 {
        precondition(n >= 0 && n <= maxTreeSize, "tree size \(n) outside 0...\(maxTreeSize)")
        return n + (n - Int64(n.nonzeroBitCount))
    }

    /// Index of the stored hash of subtree `n` at `level`. That subtree completes when its last leaf
    /// `m = ((n + 1) << level) - 1` is added, and leaf `m` appends its levels 0...level right after
    /// the `storedHashCount(m)` hashes of the leaves before it.
    /// Requires `0 <= level`, `0 <= n` and `(n + 1) << level <= maxTreeSize`.
    public static func storedHashIndex(level: Int, n: Int64) -> Int64 {
        precondition(level >= 0 && level <= 62 && n >= 0 && n + 1 <= maxTreeSize >> level,
                     "subtree \(n) at level \(level) is beyond the maximum tree size")
        let lastLeaf = ((n + 1) << level) - 1
        return storedHashCount(forLeafCount: lastLeaf) + Int64(level)
    }

    /// Hashes to append, in order, when adding leaf `n` (0-based) whose leaf hash is `leafHash`, given
    /// a reader over the hashes stored for the first `n` leaves. Leaf `n` completes one subtree per
    /// trailing 1 bit of `n`, so this reads and computes at most log2(n) + 1 hashes.
    public static func storedHashesForLeaf(_ n: Int64, leafHash: SHA256Digest,
                                           reader: some HashReader) throws -> [SHA256Digest] {
        guard n >= 0, n < maxTreeSize else {
            throw MerkleError(.indexOutOfRange, "leaf index \(n) outside 0..<\(maxTreeSize)")
        }
        let completedLevels = (~n).trailingZeroBitCount
        // At each completed level, leaf n's ancestor is the odd subtree n >> level; its left sibling is stored.
        let siblingIndexes = (0..<completedLevels).map { storedHashIndex(level: $0, n: (n >> $0) - 1) }
        let siblings = try readExactly(siblingIndexes, from: reader)
        var added = [leafHash]
        var current = leafHash
        for sibling in siblings {
            current = SHA256.hashChildren(sibling, current)
            added.append(current)
        }
        return added
    }

    /// MTH(D[0:treeSize]) (RFC 6962 section 2.1) from the stored hashes, reading at most
    /// log2(treeSize) + 1 of them. Requires `0 <= treeSize <= maxTreeSize`.
    public static func rootHash(treeSize: Int64, reader: some HashReader) throws -> SHA256Digest {
        guard treeSize >= 0, treeSize <= maxTreeSize else {
            throw MerkleError(.invalidSizes, "tree size \(treeSize) outside 0...\(maxTreeSize)")
        }
        if treeSize == 0 { return emptyRoot }
        return try rangeHashes([0..<treeSize], reader: reader)[0]
    }

    /// MTH(D[lo:hi]) for each range, with a single read. Each range must be one that the MTH recursion
    /// of RFC 6962 section 2.1 produces: non-empty, with `lo` a multiple of the smallest power of two
    /// `>= hi - lo`. Such a range is covered, left to right, by maximal aligned complete subtrees, and
    /// folding their hashes from the right reproduces the recursion's split at the largest power of two.
    static func rangeHashes(_ ranges: [Range<Int64>], reader: some HashReader) throws -> [SHA256Digest] {
        let plans = ranges.map(subtreeIndexes)
        let stored = try readExactly(plans.flatMap { $0 }, from: reader)
        var next = 0
        return plans.map { plan in
            let covering = stored[next..<(next + plan.count)]
            next += plan.count
            var hash = covering[covering.endIndex - 1]
            for left in covering.dropLast().reversed() {
                hash = SHA256.hashChildren(left, hash)
            }
            return hash
        }
    }

    /// Stored-hash indexes of the maximal aligned complete subtrees covering `range`, left to right.
    static func subtreeIndexes(_ range: Range<Int64>) -> [Int64] {
        var indexes: [Int64] = []
        var lo = range.lowerBound
        while lo < range.upperBound {
            var level = Int64.bitWidth - 1 - (range.upperBound - lo).leadingZeroBitCount
            if lo != 0 { level = min(level, lo.trailingZeroBitCount) }
            indexes.append(storedHashIndex(level: level, n: lo >> level))
            lo += Int64(1) << level
        }
        return indexes
    }

    /// Reads `indexes` (skipping the call when there are none) and checks the reader's contract.
    static func readExactly(_ indexes: [Int64], from reader: some HashReader) throws -> [SHA256Digest] {
        if indexes.isEmpty { return [] }
        let hashes = try reader.readHashes(indexes)
        guard hashes.count == indexes.count else {
            throw MerkleError(.missingHash, "reader returned \(hashes.count) hashes for \(indexes.count) indexes")
        }
        return hashes
    }
}
