import ClaimLedgerTiles
import Testing

/// c2sp.org/tlog-tiles paths (FORMAT.md 16.1), against the spec's examples and Go's sumdb/tlog.
@Suite struct TileLayoutTests {
    @Test func indexPathsFollowTheSpecExamples() {
        #expect(TileLayout.indexPath(1_234_067) == "x001/x234/067")
        #expect(TileLayout.indexPath(0) == "000")
        #expect(TileLayout.indexPath(5) == "005")
        #expect(TileLayout.indexPath(999) == "999")
        #expect(TileLayout.indexPath(1000) == "x001/000")
        #expect(TileLayout.indexPath(1_000_000) == "x001/x000/000")
        #expect(TileLayout.indexPath(Int64.max) == "x009/x223/x372/x036/x854/x775/807")
    }

    @Test func tilePathsMatchGoSumdbTlog() throws {
        let vectors = try TileLayoutVectors.load()
        #expect(vectors.paths.count >= 10)
        for v in vectors.paths {
            #expect(TileID(level: v.level, index: v.index, width: v.width).path == v.path)
        }
    }

    @Test func bundlePathsShareTheTileSuffix() {
        #expect(TileLayout.entryBundlePath(index: 1_234_067, width: 256) == "tile/entries/x001/x234/067")
        #expect(TileLayout.entryBundlePath(index: 1_234_067, width: 8) == "tile/entries/x001/x234/067.p/8")
        #expect(TileLayout.signatureBundlePath(index: 1, width: 138) == "tile/signatures/001.p/138")
        #expect(TileLayout.signatureBundlePath(index: 0, width: 256) == "tile/signatures/000")
    }

    /// c2sp.org/tlog-tiles "Partial Tiles": "a tree of size 70,000 will be represented by 273 full level 0
    /// tiles, one partial level 0 tile of width 112, one full level 1 tile, one partial level 1 tile of
    /// width 17, and one partial level 2 tile of width 1", and "a tree of size 256 will be represented by a
    /// full level 0 tile and a partial level 1 tile of width 1".
    @Test func theTilesOfATreeAreTheSpecsExamples() {
        let tiles = TileLayout.tiles(treeSize: 70_000)
        #expect(tiles.filter { $0.level == 0 && $0.isFull }.count == 273)
        #expect(tiles.filter { !$0.isFull } == [TileID(level: 0, index: 273, width: 112), TileID(level: 1, index: 1, width: 17),
                                                TileID(level: 2, index: 0, width: 1)])
        #expect(tiles.filter { $0.level == 1 && $0.isFull } == [TileID(level: 1, index: 0, width: 256)])
        #expect(TileLayout.tiles(treeSize: 256) == [TileID(level: 0, index: 0, width: 256), TileID(level: 1, index: 0, width: 1)])
        #expect(TileLayout.tiles(treeSize: 0).isEmpty)
        #expect(TileLayout.tiles(treeSize: 1) == [TileID(level: 0, index: 0, width: 1)])
    }

    @Test func theTilesOfATreeMatchGoSumdbTlog() throws {
        for tree in try TileLayoutVectors.load().trees {
            #expect(TileLayout.tiles(treeSize: tree.treeSize).map(\.path) == tree.tiles.map(\.path), "tree size \(tree.treeSize)")
        }
    }
}
