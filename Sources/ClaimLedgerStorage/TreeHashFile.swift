import ClaimLedgerCore
import Glibc
import LedgerCrypto
import Merkle

/// `tree/hashes`: the Merkle tree's stored hashes (RFC 6962 subtree hashes in the layout of
/// `MerkleTree`), 32 bytes each, in the order leaves complete them. Derived from `entries.jsonl` and
/// never trusted over it: every replay of the entries recomputes the stored hashes and compares them
/// with the file, cutting it back at the first difference and rewriting from there (`TreeHashSync`).
public final class TreeHashFile: HashReader {
    public let path: String
    let file: PosixFile

    init(ledgerDirectory: String, writable: Bool) throws(StoreError) {
        path = ledgerDirectory + "/tree/hashes"
        if writable {
            try FileSystem.makeDirectory(ledgerDirectory + "/tree")
            file = try PosixFile(path: path, flags: O_RDWR | O_CREAT, mode: 0o644)
        } else {
            file = try PosixFile(path: path, flags: O_RDONLY)
        }
    }

    public func readHashes(_ indexes: [Int64]) throws -> [SHA256Digest] {
        try indexes.map { index in
            let bytes = try file.read(at: Int(index) * 32, count: 32)
            guard bytes.count == 32, let d = SHA256Digest(bytes: bytes) else {
                throw MerkleError(.missingHash, "stored hash \(index) is not in \(path): run `claimledger verify` to rebuild it")
            }
            return d
        }
    }
}

/// Follows a replay of the entries: computes the stored hashes of each leaf and checks them against
/// `tree/hashes` in 1 MiB batches, rewriting the file from the first difference. Memory: O(log n).
struct TreeHashSync {
    private let file: TreeHashFile
    private(set) var tree = CompactTree()
    private var pending = [UInt8]()
    private var offset = 0
    private var diverged = false
    private(set) var rewritten = false

    init(_ file: TreeHashFile) {
        self.file = file
        pending.reserveCapacity(1 << 20)
    }

    /// Continues after `tree`, whose stored hashes the file is trusted to hold; nil when it is shorter.
    init?(_ file: TreeHashFile, resuming tree: CompactTree) {
        let offset = Int(MerkleTree.storedHashCount(forLeafCount: tree.size)) * 32
        guard let size = try? file.file.size(), size >= offset else { return nil }
        self.init(file)
        self.tree = tree
        self.offset = offset
    }

    mutating func add(leafHash: SHA256Digest) throws {
        for h in tree.append(leafHash: leafHash) { h.withUnsafeBytes { pending.append(contentsOf: $0) } }
        if pending.count >= 1 << 20 { try flush() }
    }

    /// Writes or checks what is pending and cuts the file to exactly this tree's stored hashes.
    mutating func finish() throws -> SHA256Digest {
        try flush()
        if try file.file.size() != offset {
            try file.file.truncate(to: offset)
            rewritten = true
        }
        return tree.rootHash
    }

    private mutating func flush() throws {
        guard !pending.isEmpty else { return }
        if !diverged {
            let existing = try file.file.read(at: offset, count: pending.count)
            if existing != pending {
                diverged = true
                rewritten = true
                try file.file.truncate(to: offset)
            }
        }
        if diverged {
            var done = 0
            while done < pending.count {
                let n = pending.withUnsafeBytes { pwrite(file.file.fd, $0.baseAddress! + done, $0.count - done, off_t(offset + done)) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw PosixFile.error("cannot write \(file.path)") }
                done += n
            }
        }
        offset += pending.count
        pending.removeAll(keepingCapacity: true)
    }
}
