import ClaimLedgerCore
import Glibc
import LedgerCrypto
import Merkle

extension LedgerStore {
    /// The verified state and a reader of the tree's stored hashes, for proofs. Under the writers' lock,
    /// `tree/hashes` is checked against the entries and repaired; in a read-only ledger directory the
    /// stored hashes are kept in memory instead. Every entry is replayed, so every stored hash a proof
    /// uses has been checked against the entries.
    public func verifiedTree() throws -> (LedgerState, any HashReader) {
        let file = try PosixFile(path: entriesPath, flags: O_RDONLY)
        guard let treeFile = try? TreeHashFile(ledgerDirectory: directory, writable: true) else {
            let size = try snapshotSize(file)
            let state = try replay(file, size: size)
            var memory = MemoryHashStore()
            for h in try entryHashes(file, size: size) { try memory.append(leafHash: h) }
            return (state, memory)
        }
        try file.lock(LOCK_EX)
        defer { file.unlock() }
        var sync: TreeHashSync? = TreeHashSync(treeFile)
        let state = try replay(file, size: try file.size(), tree: &sync)
        _ = try sync?.finish()
        return (state, treeFile)
    }

    /// The `hash` of every complete line, in order (for a read-only tree rebuild after verification).
    private func entryHashes(_ file: PosixFile, size: Int) throws -> [SHA256Digest] {
        var hashes = [SHA256Digest]()
        _ = try EntryLineReader(file: file, size: size).forEachLine { line, _ in
            hashes.append(try SignedEntry.parse(line: line).hash)
            return true
        }
        return hashes
    }
}
