import LedgerCrypto
import Merkle

/// The bytes of any tile of a tree of `treeSize` leaves, computed from the tree's stored hashes and its
/// entries' lines, as `claimledger tiles` would have written them (FORMAT.md 16): what the newsroom
/// server answers at `/tile/...` without a tiles directory. A tile or bundle is served when the tree
/// holds all of it (a partial one of any width up to what the tree holds, as each was once published).
public struct TileReader {
    public let treeSize: Int
    let hashes: any HashReader
    /// The line (without LF) of entry `seq`.
    let line: (Int) throws -> [UInt8]

    public init(treeSize: Int, hashes: any HashReader, line: @escaping (Int) throws -> [UInt8]) {
        self.treeSize = treeSize
        self.hashes = hashes
        self.line = line
    }

    /// The file's bytes, or nil when the tree does not hold all of it.
    public func bytes(_ path: TilePath) throws -> [UInt8]? {
        let first = path.index * Int64(TileLayout.width)
        switch path.kind {
        case .hashes(let level):
            let nodesAtLevel = Int64(treeSize) >> (TileLayout.height * level)
            guard first + Int64(path.width) <= nodesAtLevel else { return nil }
            let indexes = (0..<Int64(path.width)).map { MerkleTree.storedHashIndex(level: TileLayout.height * level, n: first + $0) }
            return HashTile.encode(try hashes.readHashes(indexes))
        case .entries, .signatures:
            guard first + Int64(path.width) <= Int64(treeSize) else { return nil }
            let lines = try (0..<path.width).map { try line(Int(first) + $0) }
            guard lines.allSatisfy({ $0.count > 9 + 178 }) else { throw TilesError(.malformedTile, "an entry line is too short") }
            if path.kind == .entries { return try EntryBundle.encode(lines.map { Array($0[9..<($0.count - 178)]) }) }
            return try SignatureBundle.encode(try lines.map { l in
                guard let s = Base64.decode(String(decoding: l[(l.count - 90)..<(l.count - 2)], as: UTF8.self)) else {
                    throw TilesError(.malformedTile, "an entry line's signature is not base64")
                }
                return s
            })
        }
    }
}
