import Glibc

/// A file opened for reading only, for positioned reads from any thread: the server's view reads verified
/// lines of `entries.jsonl` through one. Closed when released.
///
/// `@unchecked Sendable`: its file is only ever read with `pread` (`PosixFile.read(at:count:)`), which
/// moves no shared offset, and never locked (a lock is the whole open file's, not a thread's).
public final class ReadOnlyFile: @unchecked Sendable {
    private let file: PosixFile
    /// The file's device and inode when it was opened.
    public let identity: FileIdentity

    public init(path: String) throws(StoreError) {
        file = try PosixFile(path: path, flags: O_RDONLY)
        var st = stat()
        guard fstat(file.fd, &st) == 0 else { throw PosixFile.error("cannot stat \(path)") }
        identity = FileIdentity(st)
    }

    /// Exactly `count` bytes at `offset`; an error when the file ends before them.
    public func read(at offset: Int, count: Int) throws(StoreError) -> [UInt8] {
        let bytes = try file.read(at: offset, count: count)
        guard bytes.count == count else {
            throw StoreError(.io, "cannot read \(file.path) at \(offset + bytes.count): the file ends there")
        }
        return bytes
    }

    /// `read(at:count:)` of the file at `path`, opened for this read only.
    public static func read(_ path: String, at offset: Int, count: Int) throws(StoreError) -> [UInt8] {
        try ReadOnlyFile(path: path).read(at: offset, count: count)
    }
}

/// Which file a path names: its device and inode.
public struct FileIdentity: Equatable, Sendable {
    public let device: UInt64
    public let inode: UInt64

    public init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }
}
