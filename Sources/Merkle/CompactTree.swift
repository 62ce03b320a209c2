import LedgerCrypto

/// The right edge of an RFC 6962 tree built leaf by leaf: one hash per set bit of `size` (the maximal
/// complete subtrees, left to right). Enough to compute the root and the stored hashes each new leaf
/// adds (see `MerkleTree`) without reading anything: O(log n) memory for a tree of any size.
public struct CompactTree: Sendable, Equatable {
    public private(set) var size: Int64 = 0
    /// Hashes of the maximal complete subtrees, largest (leftmost) first.
    public private(set) var edge: [SHA256Digest] = []

    public init() {}

    /// Restores a tree from its size and edge; nil unless the edge has one hash per set bit of `size`.
    public init?(size: Int64, edge: [SHA256Digest]) {
        guard size >= 0, edge.count == size.nonzeroBitCount else { return nil }
        self.size = size
        self.edge = edge
    }

    /// Adds leaf number `size`; returns the stored hashes it adds, in storage order: the leaf hash,
    /// then the hash of each subtree it completes, by increasing level.
    @discardableResult
    public mutating func append(leafHash: SHA256Digest) -> [SHA256Digest] {
        var added = [leafHash]
        var current = leafHash
        for _ in 0..<(~size).trailingZeroBitCount {
            current = SHA256.hashChildren(edge.removeLast(), current)
            added.append(current)
        }
        edge.append(current)
        size += 1
        return added
    }

    /// MTH of the leaves so far (RFC 6962 section 2.1): the edge folded from the right.
    public var rootHash: SHA256Digest {
        guard var acc = edge.last else { return MerkleTree.emptyRoot }
        for h in edge.dropLast().reversed() { acc = SHA256.hashChildren(h, acc) }
        return acc
    }
}
