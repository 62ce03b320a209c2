import Foundation
import Testing

/// Vectors/tile-layout.json, written by Tests/Interop/tiles/vectors with Go's golang.org/x/mod/sumdb/tlog.
struct TileLayoutVectors: Decodable {
    struct PathVector: Decodable {
        let level: Int
        let index: Int64
        let width: Int
        let path: String
    }

    struct TileVector: Decodable {
        let path: String
        let sha256: String
    }

    struct TreeVector: Decodable {
        let treeSize: Int64
        let rootHash: String
        let tiles: [TileVector]
    }

    let paths: [PathVector]
    let trees: [TreeVector]

    static func load() throws -> TileLayoutVectors {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Vectors/tile-layout.json")
        return try JSONDecoder().decode(TileLayoutVectors.self, from: Data(contentsOf: url))
    }
}
