import Foundation
import LedgerCrypto
import Merkle
import Testing

/// A store holding `size` leaves built from `ReferenceTree.entry`.
func makeStore(size: Int) throws -> MemoryHashStore {
    var store = MemoryHashStore()
    for i in 0..<size {
        try store.append(leafHash: MerkleTree.leafHash(ReferenceTree.entry(i)))
    }
    return store
}

/// Records every read, to check what appends and roots cost.
final class CountingReader: HashReader {
    let base: MemoryHashStore
    var reads: [[Int64]] = []
    init(_ base: MemoryHashStore) { self.base = base }
    func readHashes(_ indexes: [Int64]) throws -> [SHA256Digest] {
        reads.append(indexes)
        return try base.readHashes(indexes)
    }
}

struct ShortReader: HashReader {
    func readHashes(_ indexes: [Int64]) throws -> [SHA256Digest] { [] }
}

@Suite struct MerkleTreeTests {
    @Test func rootMatchesReferenceForEverySizeUpTo130() throws {
        let reference = ReferenceTree(size: 130)
        let store = try makeStore(size: 130)
        for size in 0...130 {
            let root = try MerkleTree.rootHash(treeSize: Int64(size), reader: store)
            #expect(root == reference.mth(0, size), "size \(size)")
        }
    }

    @Test func emptyRootIsSHA256OfEmptyString() {
        #expect(MerkleTree.emptyRoot.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func rootsMatchOpenSSLVectors() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Vectors/openssl-roots.tsv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }
        #expect(lines.count == 8)
        let store = try makeStore(size: 8)
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            try #require(fields.count == 3, "bad vector line: \(line)")
            let size = try #require(Int64(fields[0]))
            let want = try #require(SHA256Digest(hex: fields[1]))
            #expect(try MerkleTree.rootHash(treeSize: size, reader: store) == want, "size \(size)")
        }
    }

    @Test func storedHashIndexesNumberEverySubtreeOnceInAppendOrder() throws {
        for leafCount in Int64(0)...200 {
            var seen: [Int64] = []
            for level in 0..<8 {
                let subtrees = leafCount >> level
                for n in 0..<subtrees { seen.append(MerkleTree.storedHashIndex(level: level, n: n)) }
            }
            let count = MerkleTree.storedHashCount(forLeafCount: leafCount)
            #expect(seen.sorted() == Array(0..<count), "leaf count \(leafCount)")
        }
        #expect(MerkleTree.storedHashCount(forLeafCount: MerkleTree.maxTreeSize) == Int64.max)
        // The root of the largest tree is its last stored hash.
        #expect(MerkleTree.storedHashIndex(level: 62, n: 0) == Int64.max - 1)
    }

    @Test func appendingLeafNReadsOneHashPerCompletedSubtree() throws {
        var store = MemoryHashStore()
        for n in Int64(0)..<300 {
            let reader = CountingReader(store)
            let leaf = MerkleTree.leafHash(ReferenceTree.entry(Int(n % 256)))
            let added = try MerkleTree.storedHashesForLeaf(n, leafHash: leaf, reader: reader)
            let completed = (~n).trailingZeroBitCount
            #expect(added.count == 1 + completed)
            #expect(added.first == leaf)
            #expect(reader.reads.count == (completed == 0 ? 0 : 1))
            #expect(reader.reads.joined().count == completed)
            try store.append(leafHash: leaf)
            #expect(store.hashes.suffix(added.count) == added[...])
        }
        #expect(store.leafCount == 300)
        #expect(Int64(store.hashes.count) == MerkleTree.storedHashCount(forLeafCount: 300))
    }

    @Test func compactTreeAddsTheSameStoredHashesAndRoots() throws {
        let reference = ReferenceTree(size: 130)
        var compact = CompactTree()
        var store = MemoryHashStore()
        #expect(compact.rootHash == MerkleTree.emptyRoot)
        for i in 0..<130 {
            let added = compact.append(leafHash: reference.leaves[i])
            #expect(added == (try store.append(leafHash: reference.leaves[i])), "leaf \(i)")
            #expect(compact.rootHash == reference.mth(0, i + 1), "size \(i + 1)")
            #expect(compact.edge.count == compact.size.nonzeroBitCount)
        }
    }

    @Test func rootReadsAtMostOneHashPerSetBit() throws {
        let store = try makeStore(size: 130)
        for size in Int64(1)...130 {
            let reader = CountingReader(store)
            _ = try MerkleTree.rootHash(treeSize: size, reader: reader)
            #expect(reader.reads.count == 1)
            #expect(reader.reads[0].count == size.nonzeroBitCount)
        }
    }

    @Test func storeAdoptsStoredHashesOnlyForAValidCount() throws {
        let store = try makeStore(size: 11)
        let reloaded = try MemoryHashStore(storedHashes: store.hashes)
        #expect(reloaded == store)
        #expect(reloaded.leafCount == 11)
        #expect(try MemoryHashStore(storedHashes: []).leafCount == 0)
        let error = #expect(throws: MerkleError.self) {
            try MemoryHashStore(storedHashes: Array(store.hashes.prefix(2)))
        }
        #expect(error?.code == .invalidSizes)
        #expect(error?.detail == "2 stored hashes match no tree size")
    }

    @Test func missingAndShortReadsAreReported() throws {
        let store = try makeStore(size: 4)
        let missing = #expect(throws: MerkleError.self) { try MerkleTree.rootHash(treeSize: 5, reader: store) }
        #expect(missing?.code == .missingHash)
        #expect(missing?.detail == "stored hash 7 not present (store holds 7)")
        let short = #expect(throws: MerkleError.self) { try MerkleTree.rootHash(treeSize: 3, reader: ShortReader()) }
        #expect(short?.detail == "reader returned 0 hashes for 2 indexes")
        let negative = #expect(throws: MerkleError.self) { try MerkleTree.rootHash(treeSize: -1, reader: store) }
        #expect(negative?.code == .invalidSizes)
    }
}
