import ClaimLedgerCore
import Glibc
import LedgerCrypto
import Merkle

/// A ledger whose every entry was verified just now, with its writers' index and its Merkle tree's
/// stored hashes rebuilt from that verification: what `export` and `checkpoint` work from. For a
/// ledger directory this process cannot write, the index and tree live in a scratch directory that is
/// removed with this object. It holds a shared lock on `entries.jsonl` while it lives.
public final class VerifiedLedger {
    public let state: LedgerState
    public let tree: any HashReader
    let index: WriterIndex
    let file: PosixFile
    let directory: String
    private let scratch: String?

    init(state: LedgerState, tree: any HashReader, index: WriterIndex, file: PosixFile, directory: String, scratch: String?) {
        self.state = state
        self.tree = tree
        self.index = index
        self.file = file
        self.directory = directory
        self.scratch = scratch
    }

    deinit {
        guard let scratch else { return }
        for p in ["/index/head.json", "/index/entries", "/index/claims", "/tree/hashes"] { unlink(scratch + p) }
        for p in ["/index", "/tree", ""] { rmdir(scratch + p) }
    }

    /// The root of the first `n` entries from the stored hashes (which the verification just rewrote
    /// where they differed), checked against the verified root by a consistency proof.
    public func rootHash(size n: Int) throws -> SHA256Digest {
        let root = try MerkleTree.rootHash(treeSize: Int64(n), reader: tree)
        if n == state.size {
            guard root == state.rootHash else { throw MerkleError(.rootMismatch, "stored hashes give root \(root.hex), want \(state.rootHash.hex)") }
        } else {
            let link = try ProofBuilder.consistency(oldSize: Int64(n), newSize: Int64(state.size), reader: tree)
            try ProofVerifier.verifyConsistency(link, oldRoot: root, newRoot: state.rootHash)
        }
        return root
    }
}

extension LedgerStore {
    /// Verifies every entry (on all cores) under the writers' lock, rebuilding the writers' index and
    /// checking and repairing `tree/hashes` on the way. Throws when the ledger does not verify.
    public func verifiedLedger(progress: ((Int, Int) -> Void)? = nil) throws -> VerifiedLedger {
        let file = try PosixFile(path: entriesPath, flags: O_RDONLY)
        try file.lock(LOCK_EX)
        var scratch: String?
        if access(directory, W_OK) != 0 {
            let tmp = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
            var template = Array((tmp + "/claimledger-index-XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else { throw PosixFile.error("cannot create a scratch directory in \(tmp)") }
            scratch = String(cString: made)
        }
        let base = scratch ?? directory
        let treeFile = try TreeHashFile(ledgerDirectory: base, writable: true)
        var sync: TreeHashSync? = TreeHashSync(treeFile)
        let index = try WriterIndex.rebuild(self, file: file, size: try file.size(), base: base, tree: &sync, progress: progress)
        guard sync != nil else { throw StoreError(.io, "cannot write \(treeFile.path)") }
        _ = try sync?.finish()
        // Down to a shared lock, held as long as the result lives (it goes with `file`): appends wait,
        // so the index and tree stay those of the verified entries while an export reads them.
        try file.lock(LOCK_SH)
        return VerifiedLedger(state: index.state, tree: treeFile, index: index, file: file, directory: directory, scratch: scratch)
    }
}
