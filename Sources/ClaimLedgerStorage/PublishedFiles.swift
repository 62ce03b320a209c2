import Glibc

/// Files published for readers outside the ledger (tiles, FORMAT.md 16), in a directory that a plain web
/// server serves as it is: each file appears whole or not at all (temporary file, then `link` or
/// `rename`), so a reader never fetches a half-written one. Temporary files are named `.tmp-<pid>-<n>`.
public enum PublishedFiles {
    /// Creates `path` and any missing parents (mode 0755).
    public static func makeDirectories(_ path: String) throws(StoreError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            try FileSystem.makeDirectory(prefix)
        }
    }

    /// The bytes of the regular file `path`; nil when there is none. Refused beyond `limit`.
    public static func readIfPresent(_ path: String, limit: Int) throws(StoreError) -> [UInt8]? {
        let file: PosixFile
        do { file = try PosixFile(path: path, flags: O_RDONLY | O_NONBLOCK) } catch {
            if errno == ENOENT { return nil }
            throw error
        }
        guard try file.mode().regular else { throw StoreError(.io, "\(path) is not a regular file") }
        return try file.readAll(limit: limit)
    }

    /// Creates `path` holding `bytes` unless it exists, never replacing it: a temporary file in the same
    /// directory is written and fsynced, then hard-linked to `path` (`link(2)` fails when `path` exists)
    /// and removed. Returns false, leaving `path` untouched, when it already exists. The directory entry
    /// is made durable by `syncDirectory`.
    public static func createOnce(_ bytes: [UInt8], at path: String) throws(StoreError) -> Bool {
        let temp = try writeTemporary(bytes, beside: path)
        defer { unlink(temp) }
        guard link(temp, path) == 0 else {
            if errno == EEXIST { return false }
            throw PosixFile.error("cannot link \(temp) to \(path)")
        }
        return true
    }

    /// Replaces `path` (or creates it) atomically: a temporary file in the same directory, fsync, rename.
    /// The directory entry is made durable by `syncDirectory`.
    public static func replace(_ bytes: [UInt8], at path: String) throws(StoreError) {
        let temp = try writeTemporary(bytes, beside: path)
        guard rename(temp, path) == 0 else {
            let e = PosixFile.error("cannot rename \(temp) to \(path)")
            unlink(temp)
            throw e
        }
    }

    /// fsync of a directory: the files created or renamed in it survive a crash.
    public static func syncDirectory(_ path: String) throws(StoreError) {
        try FileSystem.syncDirectory(path)
    }

    /// Takes an exclusive `flock` on the directory `path`, held until the result is released: one
    /// publisher at a time per directory.
    public static func lockDirectory(_ path: String) throws(StoreError) -> DirectoryLock {
        let file = try PosixFile(path: path, flags: O_RDONLY | O_DIRECTORY)
        try file.lock(LOCK_EX)
        return DirectoryLock(file: file)
    }

    private static func writeTemporary(_ bytes: [UInt8], beside path: String) throws(StoreError) -> String {
        let temp = "\(FileSystem.directoryOf(path))/.tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            let file = try PosixFile(path: temp, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
            try file.write(bytes)
            try file.sync()
        } catch {
            unlink(temp)
            throw error
        }
        return temp
    }
}

/// An exclusive lock on a directory (`PublishedFiles.lockDirectory`), released with this object.
public final class DirectoryLock {
    private let file: PosixFile

    init(file: PosixFile) { self.file = file }
}
