import Glibc

/// Files that hold secrets outside the ledger (the newsroom's accounts): a directory of mode 0700 and
/// files of mode 0600, refused when group or others can reach them (as `KeyFiles` refuses a key file),
/// replaced atomically, with an exclusive lock for read-modify-write.
public enum PrivateFiles {
    /// Checks that `path` is a directory only its owner can reach; creates it (0700) if `create` and missing.
    public static func checkDirectory(_ path: String, create: Bool) throws(StoreError) {
        if create, !FileSystem.exists(path) {
            guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
                throw PosixFile.error("cannot create directory \(path)")
            }
            try FileSystem.syncDirectory(FileSystem.directoryOf(path))
        }
        var st = stat()
        guard lstat(path, &st) == 0 else {
            throw StoreError(.noLedger, "no accounts directory at \(path): create it with `claimledger user add`")
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw StoreError(.unsafePath, "\(path) is not a directory") }
        let mode = st.st_mode & 0o7777
        guard mode & 0o077 == 0 else {
            throw StoreError(.keyPermissions, "directory \(path) is accessible by others (mode \(String(mode, radix: 8))): run `chmod 700 \(path)`")
        }
    }

    /// The bytes of `path`, or nil if it does not exist. Refuses a file that is not regular, is
    /// reachable by group or others, or is larger than `limit`.
    public static func read(_ path: String, limit: Int) throws(StoreError) -> (bytes: [UInt8], stamp: PrivateFileStamp)? {
        let file: PosixFile
        do { file = try PosixFile(path: path, flags: O_RDONLY | O_NONBLOCK | O_NOFOLLOW) } catch {
            if errno == ENOENT { return nil }
            throw error
        }
        let (mode, regular) = try file.mode()
        guard regular else { throw StoreError(.unsafePath, "\(path) is not a regular file") }
        guard mode & 0o077 == 0 else {
            throw StoreError(.keyPermissions, "\(path) is accessible by others (mode \(String(mode, radix: 8))): run `chmod 600 \(path)`")
        }
        let stamp = try file.stamp()
        return (try file.readAll(limit: limit), PrivateFileStamp(stamp))
    }

    /// What identifies the file now at `path` (size, modification time, inode), or nil if it is missing:
    /// a cheap test of whether it was replaced since it was read.
    public static func stamp(_ path: String) -> PrivateFileStamp? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return PrivateFileStamp(FileStamp(size: Int64(st.st_size),
                                          mtime: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                                          inode: UInt64(st.st_ino)))
    }

    /// Replaces `path` (in `directory`) with `bytes`, durably and atomically, mode 0600.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String) throws(StoreError) {
        try FileSystem.writeAtomically(bytes, to: path, directory: directory, mode: 0o600)
    }

    /// Holds an exclusive `flock` on `path` (created 0600 if missing) until the returned lock is released.
    public static func lock(_ path: String) throws(StoreError) -> PrivateFileLock {
        let file = try PosixFile(path: path, flags: O_RDWR | O_CREAT | O_NOFOLLOW, mode: 0o600)
        try file.lock(LOCK_EX)
        return PrivateFileLock(file: file)
    }
}

/// See `PrivateFiles.stamp(_:)`.
public struct PrivateFileStamp: Sendable, Equatable {
    let stamp: FileStamp
    init(_ stamp: FileStamp) { self.stamp = stamp }
}

/// An exclusive lock taken by `PrivateFiles.lock(_:)`; released by `release()` or when it is freed.
public final class PrivateFileLock {
    private let file: PosixFile
    init(file: PosixFile) { self.file = file }
    public func release() { file.unlock() }
}
