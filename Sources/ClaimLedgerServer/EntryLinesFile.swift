import ClaimLedgerStorage
import Glibc

/// `entries.jsonl` held open for positioned reads of verified lines (a claim page reads a few): one
/// `pread` each instead of an `open`, a `pread` and a `close`. Verified lines never change; the view
/// drops the descriptor when the path names another file (`LedgerView.refresh`).
final class EntryLinesFile: Sendable {
    let fd: Int32
    let path: String
    /// The file's device and inode when opened.
    let identity: FileIdentity

    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError(.io, "cannot open \(path): errno \(errno)") }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw StoreError(.io, "cannot stat \(path): errno \(errno)")
        }
        self.fd = fd
        self.path = path
        identity = FileIdentity(st)
    }

    deinit { close(fd) }

    func read(offset: Int, count: Int) throws -> [UInt8] {
        try FileBytes.read(fd, path: path, offset: offset, count: count)
    }
}

/// Which file a path names: its device and inode.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }
}
