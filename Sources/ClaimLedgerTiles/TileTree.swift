import LedgerCrypto
import Merkle

/// A hash tile: its coordinates and its hashes.
public struct Tile: Sendable, Equatable {
    public let id: TileID
    public let hashes: [SHA256Digest]

    public init(id: TileID, hashes: [SHA256Digest]) {
        precondition(hashes.count == id.width, "tile \(id) needs \(id.width) hashes, got \(hashes.count)")
        self.id = id
        self.hashes = hashes
    }

    public var bytes: [UInt8] { HashTile.encode(hashes) }

    /// The Merkle Tree Hash of a full tile's 256 hashes: the hash the tile contributes to the level above.
    public var treeHash: SHA256Digest { TileMath.perfectTreeHash(hashes[...]) }
}

/// Builds the hash tiles of an RFC 6962 tree leaf by leaf, holding at most one partial tile per level
/// (255 hashes each): memory O(256 log_256 n) whatever the tree's size.
public struct TileTreeBuilder: Sendable {
    public private(set) var size: Int64 = 0
    /// The hashes of each level's current, not yet full, tile.
    private var pending: [[SHA256Digest]] = []

    public init() {}

    /// Adds leaf `size`; returns the full tiles it completes, level 0 first (each full tile's tree hash
    /// is the next hash of the level above).
    public mutating func append(leafHash: SHA256Digest) -> [Tile] {
        var completed = [Tile]()
        var hash = leafHash
        var level = 0
        var index = size
        while true {
            if pending.count == level { pending.append([]) }
            pending[level].append(hash)
            guard pending[level].count == TileLayout.width else { break }
            let tile = Tile(id: TileID(level: level, index: index >> TileLayout.height, width: TileLayout.width), hashes: pending[level])
            pending[level].removeAll(keepingCapacity: true)
            completed.append(tile)
            hash = tile.treeHash
            index >>= TileLayout.height
            level += 1
        }
        size += 1
        return completed
    }

    /// The partial tiles of the tree so far, level 0 first: at level `l`, floor(size / 256^l) mod 256
    /// hashes, none when that is 0.
    public var partialTiles: [Tile] {
        pending.enumerated().compactMap { level, hashes in
            guard !hashes.isEmpty else { return nil }
            let index = size >> (TileLayout.height * (level + 1))
            return Tile(id: TileID(level: level, index: index, width: hashes.count), hashes: hashes)
        }
    }

    /// MTH of the leaves so far (RFC 6962 section 2.1), from the partial tiles alone: their hashes split
    /// into perfect subtrees are the tree's maximal complete subtrees, largest first when read from the
    /// highest level down; folding them from the right gives the root.
    public var rootHash: SHA256Digest {
        let edge = partialTiles.reversed().flatMap { TileMath.perfectSubtreeHashes($0.hashes[...]) }
        guard var acc = edge.last else { return MerkleTree.emptyRoot }
        for h in edge.dropLast().reversed() { acc = SHA256.hashChildren(h, acc) }
        return acc
    }
}

enum TileMath {
    /// MTH of a power-of-two count of hashes: pairs hashed level by level. Requires a power of two ≥ 1.
    static func perfectTreeHash(_ hashes: ArraySlice<SHA256Digest>) -> SHA256Digest {
        precondition(hashes.count > 0 && hashes.count & (hashes.count - 1) == 0, "\(hashes.count) hashes is not a power of two")
        var level = Array(hashes)
        while level.count > 1 {
            level = stride(from: 0, to: level.count, by: 2).map { SHA256.hashChildren(level[$0], level[$0 + 1]) }
        }
        return level[0]
    }

    /// `hashes` cut left to right into runs of decreasing powers of two (the bits of their count), each
    /// run's MTH: a tree's maximal complete subtrees when `hashes` are its leaves.
    static func perfectSubtreeHashes(_ hashes: ArraySlice<SHA256Digest>) -> [SHA256Digest] {
        var out = [SHA256Digest]()
        var start = hashes.startIndex
        while start < hashes.endIndex {
            let run = 1 << (Int.bitWidth - 1 - (hashes.endIndex - start).leadingZeroBitCount)
            out.append(perfectTreeHash(hashes[start..<(start + run)]))
            start += run
        }
        return out
    }
}
