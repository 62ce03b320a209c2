import ClaimLedgerStorage
import LedgerCrypto
import Merkle
import Synchronization

/// The stored hashes of the ledger's Merkle tree (layout: `MerkleTree`), in memory, append-only, shared
/// by all snapshots: each reads only the hashes of its own tree size, which never change.
public final class ViewHashes: Sendable {
    private let hashes = Mutex<[SHA256Digest]>([])
    private let leaves = Mutex<Int>(0)
    /// Where each verified line starts in `entries.jsonl`, by seq.
    private let lineStarts = Mutex<[Int]>([])

    init() {}

    /// Appends the leaves after the current ones; checks the count and the root against the verified state.
    func append(_ leafHashes: [SHA256Digest], lineStarts starts: [Int], expecting size: Int, root: SHA256Digest) throws {
        try hashes.withLock { stored in
            let base = leaves.withLock { $0 }
            guard base + leafHashes.count == size else {
                throw StoreError(.invalidLedger, "read \(leafHashes.count) new entries after \(base), verification has \(size)")
            }
            // The array moves into the store and back (no copy of every hash); on a failure the hashes
            // appended are dropped again, so the tree stays that of the snapshots already served.
            let kept = stored.count
            var store = try MemoryHashStore(storedHashes: stored)
            stored = []
            do {
                for h in leafHashes { try store.append(leafHash: h) }
                guard try MerkleTree.rootHash(treeSize: Int64(size), reader: store) == root else {
                    throw StoreError(.invalidLedger, "the tree of the verified entries does not have the verified root")
                }
            } catch {
                stored = store.hashes
                stored.removeSubrange(kept...)
                throw error
            }
            stored = store.hashes
            lineStarts.withLock { $0 += starts }
            leaves.withLock { $0 = size }
        }
    }

    /// Where entry `seq`'s line starts and where the next one does (or the verified bytes end), for a
    /// snapshot of `size` entries.
    func lineBounds(_ seq: Int, size: Int, verifiedBytes: Int) throws -> (start: Int, end: Int) {
        try lineStarts.withLock { starts in
            guard seq >= 0, seq < size, size <= starts.count else { throw StoreError(.invalidLedger, "no entry \(seq) in the view") }
            return (starts[seq], seq + 1 < size ? starts[seq + 1] : verifiedBytes)
        }
    }

    /// A reader of the tree of the first `size` entries.
    public func reader(size: Int) -> some HashReader & Sendable { Reader(owner: self, size: size) }

    struct Reader: HashReader, Sendable {
        let owner: ViewHashes
        let size: Int
        func readHashes(_ indexes: [Int64]) throws -> [SHA256Digest] {
            let limit = MerkleTree.storedHashCount(forLeafCount: Int64(size))
            return try owner.hashes.withLock { stored in
                try indexes.map { index in
                    guard index >= 0, index < limit, index < Int64(stored.count) else {
                        throw MerkleError(.missingHash, "stored hash \(index) is not in the tree of \(size) entries")
                    }
                    return stored[Int(index)]
                }
            }
        }
    }
}
