/// Coordinates of a tile (c2sp.org/tlog-tiles "Merkle Tree"): tile `index` of `level` holds `width`
/// consecutive tree hashes, each the Merkle Tree Hash of 256^level leaves, starting at leaf
/// `index * 256^(level + 1)`. A full tile holds 256 hashes; a partial one 1 to 255.
public struct TileID: Hashable, Sendable, CustomStringConvertible {
    public let level: Int
    public let index: Int64
    public let width: Int

    /// Requires `0 <= level <= 63`, `index >= 0` and `1 <= width <= 256`.
    public init(level: Int, index: Int64, width: Int) {
        precondition(level >= 0 && level <= 63 && index >= 0 && width >= 1 && width <= TileLayout.width,
                     "no tile at level \(level), index \(index), width \(width)")
        self.level = level
        self.index = index
        self.width = width
    }

    public var isFull: Bool { width == TileLayout.width }

    /// `tile/<L>/<N>[.p/<W>]`.
    public var path: String { "tile/\(level)/" + TileLayout.suffix(index: index, width: width) }

    public var description: String { path }
}

/// The tile layout of c2sp.org/tlog-tiles (height 8) and of the signature bundles of FORMAT.md 16.
public enum TileLayout {
    /// Tree levels a tile spans: its hashes are 8 levels above those of the tile below.
    public static let height = 8
    /// Hashes in a full tile, entries in a full bundle.
    public static let width = 1 << height

    /// c2sp.org/tlog-tiles: `index` as zero-padded 3-digit path elements, all but the last prefixed
    /// with `x` (1234067 is `x001/x234/067`, 5 is `005`).
    public static func indexPath(_ index: Int64) -> String {
        precondition(index >= 0, "tile index \(index) is negative")
        var groups = [index % 1000]
        var rest = index / 1000
        while rest > 0 {
            groups.append(rest % 1000)
            rest /= 1000
        }
        return groups.reversed().enumerated().map { i, g in
            (i == groups.count - 1 ? "" : "x") + String(repeating: "0", count: 3 - String(g).count) + String(g)
        }.joined(separator: "/")
    }

    /// `<N>` and, for a partial tile or bundle, `.p/<W>`.
    static func suffix(index: Int64, width: Int) -> String {
        indexPath(index) + (width == Self.width ? "" : ".p/\(width)")
    }

    /// `tile/entries/<N>[.p/<W>]`: the entry bundle over the leaves of level-0 tile `index` of `width`.
    public static func entryBundlePath(index: Int64, width: Int) -> String {
        "tile/entries/" + suffix(index: index, width: width)
    }

    /// `tile/signatures/<N>[.p/<W>]`: the signatures of the entries of that entry bundle (FORMAT.md 16).
    public static func signatureBundlePath(index: Int64, width: Int) -> String {
        "tile/signatures/" + suffix(index: index, width: width)
    }

    /// The hash tiles of a tree of `treeSize` leaves, level by level from 0, full tiles then the partial
    /// one: level `l` holds floor(treeSize / 256^l) hashes, so floor(treeSize / 256^(l+1)) full tiles
    /// and, when floor(treeSize / 256^l) mod 256 is not 0, a partial tile that wide. None for an empty tree.
    public static func tiles(treeSize: Int64) -> [TileID] {
        precondition(treeSize >= 0, "tree size \(treeSize) is negative")
        var tiles = [TileID]()
        var hashes = treeSize
        var level = 0
        while hashes > 0 {
            let full = hashes >> height
            for n in 0..<full { tiles.append(TileID(level: level, index: n, width: width)) }
            let partial = Int(hashes & Int64(width - 1))
            if partial > 0 { tiles.append(TileID(level: level, index: full, width: partial)) }
            hashes >>= height
            level += 1
        }
        return tiles
    }
}
