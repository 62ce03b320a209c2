import LedgerCrypto
import Merkle

/// The stored hashes of a tree of `treeSize` leaves (layout: `MerkleTree`) read from its tiles alone,
/// as a tlog-tiles client computes roots and proofs: the subtree at tree level `k` and position `n` is a
/// hash of tile level `k / 8` when `k` is a multiple of 8, else the MTH of the 2^(k mod 8) hashes under it
/// in that tile. `tile` returns the bytes of the tile with the given coordinates (the full tile, or the
/// partial one of the width the tree size implies). Nothing is checked against a root: callers compare
/// what they compute with the checkpoint's root (`MerkleTree.rootHash`, `ProofVerifier`).
public struct TileHashReader: HashReader {
    public let treeSize: Int64
    private let tile: (TileID) throws -> [UInt8]

    public init(treeSize: Int64, tile: @escaping (TileID) throws -> [UInt8]) {
        self.treeSize = treeSize
        self.tile = tile
    }

    public func readHashes(_ indexes: [Int64]) throws -> [SHA256Digest] {
        var cache = [TileID: [SHA256Digest]]()
        return try indexes.map { index in
            let (level, n) = try Self.split(index)
            let tileLevel = level / TileLayout.height, below = level % TileLayout.height
            let first = n << below, count = 1 << below
            // Hashes at tile level `tileLevel`: one per 256^tileLevel leaves.
            let available = treeSize >> (TileLayout.height * tileLevel)
            guard first + Int64(count) <= available else {
                throw MerkleError(.missingHash, "stored hash \(index) (level \(level), n \(n)) is beyond the tree of \(treeSize) leaves")
            }
            let tileIndex = first >> TileLayout.height
            let width = Int(min(Int64(TileLayout.width), available - (tileIndex << TileLayout.height)))
            let id = TileID(level: tileLevel, index: tileIndex, width: width)
            let hashes: [SHA256Digest]
            if let cached = cache[id] { hashes = cached } else {
                hashes = try HashTile.decode(try tile(id), width: width)
                cache[id] = hashes
            }
            let start = Int(first - (tileIndex << TileLayout.height))
            return TileMath.perfectTreeHash(hashes[start..<(start + count)])
        }
    }

    /// The level and position of stored hash `index`: the leaf `m` whose stored hashes hold it (the
    /// largest with `storedHashCount(m) <= index`), and its rank among them, which is its level; the
    /// subtree is then `m >> level`.
    static func split(_ index: Int64) throws(MerkleError) -> (level: Int, n: Int64) {
        guard index >= 0, index < MerkleTree.storedHashCount(forLeafCount: MerkleTree.maxTreeSize) else {
            throw MerkleError(.indexOutOfRange, "stored hash index \(index) out of range")
        }
        var lo: Int64 = index / 2, hi: Int64 = index  // storedHashCount(m) lies in [m, 2m]
        while lo < hi {
            let mid = lo + (hi - lo + 1) / 2
            if MerkleTree.storedHashCount(forLeafCount: mid) <= index { lo = mid } else { hi = mid - 1 }
        }
        let level = Int(index - MerkleTree.storedHashCount(forLeafCount: lo))
        guard level <= (~lo).trailingZeroBitCount else {
            throw MerkleError(.indexOutOfRange, "stored hash index \(index) names no subtree")
        }
        return (level, lo >> level)
    }
}
