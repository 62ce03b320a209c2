import ClaimLedgerCore
import ClaimLedgerStorage
import LedgerCrypto

/// The archived sources beside the tiles, `sources/sha256/<hex digest>` (FORMAT.md 16): what a remote
/// auditor (`claimledger audit URL`) needs, besides the entries, to verify quotes with the full rules.
/// Content-addressed, so immutable: a source is written once, and a different file already at its path
/// is an error (the published copy was changed).
public enum TileSources {
    /// Publishes the sources recorded by the first `treeSize` entries; returns how many were written.
    public static func publish(_ state: LedgerState, treeSize: Int, archive: SourceArchiveFiles, to directory: String) throws -> Int {
        var written = 0
        for digest in state.sourceOrder {
            guard let record = state.sources[digest], record.entry.seq < treeSize else { continue }
            let path = directory + "/sources/sha256/" + digest.hex
            guard let bytes = try archive.contents(of: digest) else {
                throw StoreError(.io, "source \(digest.hex) is missing from the ledger's archive")
            }
            if let existing = try PublishedFiles.readIfPresent(path, limit: bytes.count + 1) {
                guard existing == bytes else {
                    throw StoreError(.exists, "\(path) is published with other bytes than source \(digest.hex): a published file was changed")
                }
                continue
            }
            try PublishedFiles.makeDirectories(directory + "/sources/sha256")
            if try PublishedFiles.createOnce(bytes, at: path) { written += 1 }
        }
        return written
    }
}
