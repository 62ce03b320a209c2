import CLinuxFiles
import Glibc

/// An open file descriptor, closed in `deinit`. Every call retries on EINTR and turns errno into `StoreError`.
final class PosixFile {
    let fd: Int32
    let path: String

    init(path: String, flags: Int32, mode: mode_t = 0o644) throws(StoreError) {
        var fd: Int32
        repeat { fd = open(path, flags | O_CLOEXEC, mode) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw PosixFile.error("cannot open \(path)") }
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    static func error(_ what: String, _ code: StoreError.Code = .io) -> StoreError {
        StoreError(code, "\(what): \(String(cString: strerror(errno)))")
    }

    func size() throws(StoreError) -> Int {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw PosixFile.error("cannot stat \(path)") }
        return Int(st.st_size)
    }

    func mode() throws(StoreError) -> (mode: mode_t, regular: Bool) {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw PosixFile.error("cannot stat \(path)") }
        return (st.st_mode & 0o7777, (st.st_mode & S_IFMT) == S_IFREG)
    }

    /// Reads up to `count` bytes at `offset`; fewer only at end of file.
    func read(at offset: Int, count: Int) throws(StoreError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw PosixFile.error("cannot read \(path)") }
            if n == 0 { break }
            done += n
        }
        buffer.removeLast(count - done)
        return buffer
    }

    func readAll(limit: Int) throws(StoreError) -> [UInt8] {
        let size = try size()
        guard size <= limit else { throw StoreError(.fileTooLarge, "\(path) is \(size) bytes, limit \(limit)") }
        return try read(at: 0, count: size)
    }

    func write(_ bytes: [UInt8]) throws(StoreError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw PosixFile.error("cannot write \(path)") }
            done += n
        }
    }

    /// Writes all of `bytes` at `offset` (pwrite), leaving the file position alone.
    func write(_ bytes: [UInt8], at offset: Int) throws(StoreError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, bytes.count - done, off_t(offset + done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw PosixFile.error("cannot write \(path)") }
            done += n
        }
    }

    /// Size, modification time (ns) and inode: what changes when a file is written or replaced.
    func stamp() throws(StoreError) -> FileStamp {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw PosixFile.error("cannot stat \(path)") }
        return FileStamp(size: Int64(st.st_size), mtime: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                         inode: UInt64(st.st_ino))
    }

    func sync() throws(StoreError) {
        guard fsync(fd) == 0 else { throw PosixFile.error("cannot fsync \(path)") }
    }

    /// Asks the kernel to start writing `count` bytes from `offset` to the disk now, without waiting:
    /// a later `sync()` (which alone makes them durable) then finds less to write. A hint, so a kernel
    /// or file system without it changes nothing.
    func startWriteback(at offset: Int, count: Int) {
        _ = claimledger_sync_file_range(fd, Int64(offset), Int64(count), UInt32(CLAIMLEDGER_SYNC_FILE_RANGE_WRITE))
    }

    func truncate(to size: Int) throws(StoreError) {
        guard ftruncate(fd, off_t(size)) == 0 else { throw PosixFile.error("cannot truncate \(path)") }
    }

    /// Blocks until this process holds the lock (`LOCK_EX` or `LOCK_SH`); released on close.
    func lock(_ operation: Int32) throws(StoreError) {
        while flock(fd, operation) != 0 {
            guard errno == EINTR else { throw PosixFile.error("cannot lock \(path)") }
        }
    }

    /// Takes the lock (`LOCK_EX` or `LOCK_SH`) if no other holder stands in the way, without waiting:
    /// false when one does.
    func tryLock(_ operation: Int32) throws(StoreError) -> Bool {
        while flock(fd, operation | LOCK_NB) != 0 {
            if errno == EWOULDBLOCK { return false }
            guard errno == EINTR else { throw PosixFile.error("cannot lock \(path)") }
        }
        return true
    }

    func unlock() { _ = flock(fd, LOCK_UN) }
}

/// See `PosixFile.stamp()`.
struct FileStamp: Equatable {
    var size: Int64
    var mtime: Int64
    var inode: UInt64
}

enum FileSystem {
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func makeDirectory(_ path: String) throws(StoreError) {
        guard mkdir(path, 0o755) == 0 || (errno == EEXIST && isDirectory(path)) else {
            throw PosixFile.error("cannot create directory \(path)")
        }
    }

    /// fsync of a directory, so that a file created or renamed in it survives a crash.
    static func syncDirectory(_ path: String) throws(StoreError) {
        try PosixFile(path: path, flags: O_RDONLY | O_DIRECTORY).sync()
    }

    /// Writes `bytes` to `path` durably and atomically: a temporary file in the same directory, fsync,
    /// rename over `path`, fsync of the directory. Readers see the old file or the new one.
    static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String, mode: mode_t = 0o644,
                                durable: Bool = true) throws(StoreError) {
        let temp = "\(directory)/.tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            let file = try PosixFile(path: temp, flags: O_WRONLY | O_CREAT | O_EXCL, mode: mode)
            try file.write(bytes)
            if durable { try file.sync() }
        } catch {
            unlink(temp)
            throw error
        }
        guard rename(temp, path) == 0 else {
            let e = PosixFile.error("cannot rename \(temp) to \(path)")
            unlink(temp)
            throw e
        }
        if durable { try syncDirectory(directory) }
    }

    /// Replaces the contents of `path` in place (created if missing; same inode otherwise). Not atomic:
    /// for derived files whose readers check them against a stamp written afterwards.
    static func overwrite(_ bytes: [UInt8], at path: String) throws(StoreError) {
        let file = try PosixFile(path: path, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
        try file.write(bytes)
    }

    /// Creates `path` with `bytes`, failing if it exists. Created with `mode` from the start (O_EXCL), so
    /// there is no moment when a private key file is readable by others.
    static func createExclusive(_ bytes: [UInt8], at path: String, mode: mode_t) throws(StoreError) {
        let file: PosixFile
        do { file = try PosixFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL, mode: mode) } catch {
            throw errno == EEXIST ? StoreError(.exists, "\(path) already exists: choose another path or remove it") : error
        }
        guard fchmod(file.fd, mode) == 0 else { throw PosixFile.error("cannot chmod \(path)") }
        try file.write(bytes)
        try file.sync()
    }

    static func directoryOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
