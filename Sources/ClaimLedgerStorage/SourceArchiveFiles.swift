import ClaimLedgerCore
import Glibc
import LedgerCrypto

/// Archived sources on disk: `sources/sha256/<64 hex>`, named by the digest alone, so no name a user
/// types reaches the file system. Keeps the last few sources read in memory (quotes cite them repeatedly).
public final class SourceArchiveFiles: SourceArchive {
    public let directory: String
    private var cache: [(SHA256Digest, [UInt8])] = []
    private let cacheSize = 8

    public init(ledgerDirectory: String) {
        directory = ledgerDirectory + "/sources/sha256"
    }

    public func path(of digest: SHA256Digest) -> String { "\(directory)/\(digest.hex)" }

    public func contents(of digest: SHA256Digest) throws(LedgerError) -> [UInt8]? {
        if let hit = cache.first(where: { $0.0 == digest }) { return hit.1 }
        let path = path(of: digest)
        guard FileSystem.exists(path) else { return nil }
        let bytes: [UInt8]
        do throws(StoreError) {
            // O_NOFOLLOW: an archived source is a regular file of the ledger directory (FORMAT.md 2.2),
            // never a symbolic link to a file elsewhere; O_NONBLOCK so that a FIFO cannot hang the open.
            let file: PosixFile
            do throws(StoreError) {
                file = try PosixFile(path: path, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
            } catch {
                guard errno == ELOOP else { throw error }
                throw StoreError(.io, "it is a symbolic link; archived sources must be regular files")
            }
            guard try file.mode().regular else { throw StoreError(.io, "it is not a regular file") }
            bytes = try file.readAll(limit: LedgerLimits.maxSourceBytes)
        } catch {
            throw LedgerError(.sourceMissing, "cannot read archived source \(digest.hex): \(error.reason)")
        }
        if cache.count == cacheSize { cache.removeFirst() }
        cache.append((digest, bytes))
        return bytes
    }

    /// Stores `bytes` durably under their digest (no-op when already archived with the same bytes).
    public func store(_ bytes: [UInt8]) throws(StoreError) {
        let digest = SHA256.hash(bytes)
        let path = path(of: digest)
        if FileSystem.exists(path), let existing = try? PosixFile(path: path, flags: O_RDONLY).readAll(limit: LedgerLimits.maxSourceBytes),
           existing == bytes {
            return
        }
        try FileSystem.makeDirectory(FileSystem.directoryOf(directory))
        try FileSystem.makeDirectory(directory)
        try FileSystem.writeAtomically(bytes, to: path, directory: directory, mode: 0o444)
    }
}
