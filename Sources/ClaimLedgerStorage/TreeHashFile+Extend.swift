import ClaimLedgerCore
import LedgerCrypto
import Merkle

extension LedgerStore {
    /// Brings `tree/hashes` to the stored hashes of the tree `base` extended by `leafHashes`, and returns
    /// a reader of them: for a mirror, whose entries were verified without a writers' index (a remote
    /// auditor compares a log's hash tiles with them). `base` is trusted to be in the file already; when
    /// the file is shorter (a first run, a removed file), the hashes are recomputed from `allLeafHashes`.
    public func extendTreeHashes(base: CompactTree, leafHashes: [SHA256Digest],
                                 allLeafHashes: () throws -> [SHA256Digest]) throws -> any HashReader {
        let file = try TreeHashFile(ledgerDirectory: directory, writable: true)
        var sync: TreeHashSync
        var leaves = leafHashes
        if let resumed = TreeHashSync(file, resuming: base) {
            sync = resumed
        } else {
            sync = TreeHashSync(file)
            leaves = try allLeafHashes()
        }
        for leaf in leaves { try sync.add(leafHash: leaf) }
        _ = try sync.finish()
        return file
    }
}
