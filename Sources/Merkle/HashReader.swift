import LedgerCrypto

/// Read access to the stored hashes of a tree (layout: see `MerkleTree`).
/// Contract: returns exactly one hash per requested index, in request order,
/// and throws if any requested index is not stored.
public protocol HashReader {
    func readHashes(_ indexes: [Int64]) throws -> [SHA256Digest]
}

/// An in-memory stored-hash array: the `HashReader` for tests and for callers that keep
/// the tree in memory. Invariant: `hashes` are exactly the stored hashes of `leafCount` leaves.
public struct MemoryHashStore: HashReader, Sendable, Equatable {
    public private(set) var hashes: [SHA256Digest] = []
    public private(set) var leafCount: Int64 = 0

    public init() {}

    /// Adopts hashes loaded from storage. Throws `invalidSizes` unless their count is
    /// `MerkleTree.storedHashCount(forLeafCount: n)` for some n; the hashes themselves are trusted.
    public init(storedHashes: [SHA256Digest]) throws(MerkleError) {
        let count = Int64(storedHashes.count)
        // storedHashCount(n) lies in [n, 2n], so n is within [count / 2, count].
        var n = count / 2
        while n <= count, MerkleTree.storedHashCount(forLeafCount: n) < count { n += 1 }
        guard n <= count, MerkleTree.storedHashCount(forLeafCount: n) == count else {
            throw MerkleError(.invalidSizes, "\(count) stored hashes match no tree size")
        }
        hashes = storedHashes
        leafCount = n
    }

    /// Appends leaf number `leafCount` whose RFC 6962 leaf hash is `leafHash`;
    /// returns the hashes appended (the leaf hash, then each subtree it completes).
    @discardableResult
    public mutating func append(leafHash: SHA256Digest) throws -> [SHA256Digest] {
        let added = try MerkleTree.storedHashesForLeaf(leafCount, leafHash: leafHash, reader: self)
        hashes.append(contentsOf: added)
        leafCount += 1
        return added
    }

    public func readHashes(_ indexes: [Int64]) throws -> [SHA256Digest] {
        try indexes.map { (index) throws(MerkleError) -> SHA256Digest in
            guard index >= 0, index < Int64(hashes.count) else {
                throw MerkleError(.missingHash, "stored hash \(index) not present (store holds \(hashes.count))")
            }
            return hashes[Int(index)]
        }
    }
}
