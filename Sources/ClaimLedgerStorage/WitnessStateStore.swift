import Glibc
import LedgerCrypto

/// A witness's durable memory (c2sp.org/tlog-witness): for each log, by origin, the size and root of the
/// latest checkpoint it cosigned. One file per log, `<directory>/<hex SHA-256 of the origin>`, holding
/// `<origin>\n<size>\n<hex root>\n`, replaced atomically and durably; every check-and-update holds an
/// exclusive lock on `<directory>/lock`, across threads and processes, so that two requests can never
/// both pass the size check and roll the log back (the race the specification describes).
public final class WitnessStateStore: Sendable {
    public struct Record: Sendable, Equatable {
        public let size: Int
        public let root: SHA256Digest
        public init(size: Int, root: SHA256Digest) {
            self.size = size
            self.root = root
        }
    }

    public let directory: String

    public init(directory: String) throws {
        self.directory = directory
        try PublishedFiles.makeDirectories(directory)
    }

    /// Runs `body` with the log's record (nil: never cosigned) under the lock; a record `body` returns
    /// is stored durably before the lock is released and this returns.
    public func update<T>(origin: String, _ body: (Record?) throws -> (Record?, T)) throws -> T {
        let lock = try PosixFile(path: directory + "/lock", flags: O_RDWR | O_CREAT, mode: 0o600)
        try lock.lock(LOCK_EX)
        defer { lock.unlock() }
        let path = directory + "/" + SHA256.hash(Array(origin.utf8)).hex
        let (next, result) = try body(try read(path, origin: origin))
        if let next {
            let text = "\(origin)\n\(next.size)\n\(next.root.hex)\n"
            try FileSystem.writeAtomically(Array(text.utf8), to: path, directory: directory, mode: 0o600)
        }
        return result
    }

    private func read(_ path: String, origin: String) throws -> Record? {
        guard let bytes = try PublishedFiles.readIfPresent(path, limit: 4096) else { return nil }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 4, lines[0] == origin, let size = Int(lines[1]), size >= 0, let root = SHA256Digest(hex: String(lines[2])) else {
            throw StoreError(.invalidLedger, "the witness state \(path) is damaged: refusing to cosign \(origin) until it is repaired")
        }
        return Record(size: size, root: root)
    }
}
