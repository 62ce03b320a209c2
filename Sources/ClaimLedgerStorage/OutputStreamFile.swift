import Glibc

/// A document written as it is produced, through a 1 MiB buffer: to standard output, or to a file that
/// appears only when `finish()` succeeds (a temporary file beside it, fsync, rename). Abandoned without
/// `finish()`, the temporary file is removed and the target is untouched.
public final class OutputStreamFile {
    private let target: String?
    private let temp: String?
    private let fd: Int32
    private var buffer = [UInt8]()
    private var finished = false

    /// Output to `path`, or to standard output when nil.
    public init(path: String?) throws(StoreError) {
        target = path
        guard let path else {
            temp = nil
            fd = 1
            return
        }
        let directory = FileSystem.directoryOf(path)
        let temp = "\(directory)/.tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = Glibc.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PosixFile.error("cannot create \(temp)") }
        self.temp = temp
        self.fd = fd
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if let temp {
            close(fd)
            if !finished { unlink(temp) }
        }
    }

    public func write(_ bytes: [UInt8]) throws(StoreError) {
        buffer += bytes
        if buffer.count >= 1 << 20 { try flush() }
    }

    public func write(_ text: String) throws(StoreError) { try write(Array(text.utf8)) }

    /// Flushes; for a file, makes it durable and renames it over the target.
    public func finish() throws(StoreError) {
        try flush()
        guard let temp, let target else { return }
        guard fsync(fd) == 0 else { throw PosixFile.error("cannot fsync \(temp)") }
        guard rename(temp, target) == 0 else { throw PosixFile.error("cannot rename \(temp) to \(target)") }
        finished = true
        try FileSystem.syncDirectory(FileSystem.directoryOf(target))
    }

    private func flush() throws(StoreError) {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw PosixFile.error("cannot write \(target ?? "standard output")") }
            done += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
