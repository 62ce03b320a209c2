import ClaimLedgerTiles
import LedgerCrypto
import Merkle
import Testing

/// Tiles built leaf by leaf (`TileTreeBuilder`) are Go's sumdb/tlog tiles byte for byte, and a reader
/// that has only the tiles (`TileHashReader`) gets the tree's root and inclusion proofs from them.
@Suite struct TileTreeTests {
    /// The tiles of a tree of `size` leaves: every full tile completed so far and the current partial ones.
    struct TileSet {
        var tiles: [TileID: Tile] = [:]

        func bytes(_ id: TileID) throws -> [UInt8] {
            guard let t = tiles[id] else { throw TilesError(.malformedTile, "no tile \(id)") }
            return t.bytes
        }
    }

    static func leafHash(_ i: Int64) -> SHA256Digest { MerkleTree.leafHash(Array("leaf \(i)".utf8)) }

    /// Grows one tree through the vector sizes (1 ... 70,000 leaves, among them 256, 257 and 65,537) and
    /// checks, at each: the tile paths and each tile's SHA-256 against Go, the builder's root and the
    /// root read back through the tiles against Go's `tlog.TreeHash` and `CompactTree`, and inclusion
    /// proofs built from the tiles.
    @Test func tilesMatchGoAndReadBackToTheRoot() throws {
        let vectors = try TileLayoutVectors.load().trees
        #expect(vectors.map(\.treeSize).contains(256) && vectors.map(\.treeSize).contains(257) && vectors.map(\.treeSize).contains(65_537))
        var builder = TileTreeBuilder()
        var reference = CompactTree()
        var full = [TileID: Tile]()
        for tree in vectors {
            while builder.size < tree.treeSize {
                let leaf = Self.leafHash(builder.size)
                reference.append(leafHash: leaf)
                for t in builder.append(leafHash: leaf) {
                    #expect(t.id.isFull && full[t.id] == nil)
                    full[t.id] = t
                }
            }
            var set = TileSet(tiles: full)
            for t in builder.partialTiles { set.tiles[t.id] = t }
            let ids = TileLayout.tiles(treeSize: tree.treeSize)
            #expect(Set(ids) == Set(set.tiles.keys), "tree size \(tree.treeSize)")
            for (id, want) in zip(ids, tree.tiles) {
                #expect(id.path == want.path)
                #expect(SHA256.hash(try set.bytes(id)).hex == want.sha256, "tile \(id.path) of tree size \(tree.treeSize)")
            }
            #expect(builder.rootHash.hex == tree.rootHash)
            #expect(reference.rootHash == builder.rootHash)

            let reader = TileHashReader(treeSize: tree.treeSize, tile: set.bytes)
            #expect(try MerkleTree.rootHash(treeSize: tree.treeSize, reader: reader).hex == tree.rootHash, "tree size \(tree.treeSize)")
            let size = tree.treeSize
            for leaf in Set([0, 1, 255, 256, size / 2, size - 2, size - 1].filter { $0 >= 0 && $0 < size }) {
                let proof = try ProofBuilder.inclusion(leafIndex: leaf, treeSize: size, reader: reader)
                #expect(throws: Never.self, "leaf \(leaf) of \(size)") {
                    try ProofVerifier.verifyInclusion(proof, leafHash: Self.leafHash(leaf), rootHash: reference.rootHash)
                }
            }
        }
    }

    /// Every stored hash of small trees, read through the tiles, is the one `MemoryHashStore` holds.
    @Test func everyStoredHashReadsBackFromTheTiles() throws {
        var builder = TileTreeBuilder()
        var store = MemoryHashStore()
        var full = [TileID: Tile]()
        for size in Int64(1)...600 {
            let leaf = Self.leafHash(size - 1)
            try store.append(leafHash: leaf)
            for t in builder.append(leafHash: leaf) { full[t.id] = t }
            guard [1, 2, 3, 7, 255, 256, 257, 300, 511, 512, 513, 600].contains(size) else { continue }
            var set = TileSet(tiles: full)
            for t in builder.partialTiles { set.tiles[t.id] = t }
            let reader = TileHashReader(treeSize: size, tile: set.bytes)
            // Each stored hash is of a complete subtree, so its hashes at the tile level below it are published.
            let indexes = (0..<MerkleTree.storedHashCount(forLeafCount: size))
            #expect(try reader.readHashes(Array(indexes)) == store.hashes, "tree size \(size)")
        }
    }

    @Test func aTileOfTheWrongSizeIsRefused() throws {
        var builder = TileTreeBuilder()
        for i in Int64(0)..<10 { _ = builder.append(leafHash: Self.leafHash(i)) }
        let tile = try #require(builder.partialTiles.first)
        let reader = TileHashReader(treeSize: 10) { _ in Array(tile.bytes.dropLast()) }
        #expect(throws: TilesError.self) { try MerkleTree.rootHash(treeSize: 10, reader: reader) }
    }
}
