import ClaimLedgerCore
import Glibc

/// Reads `entries.jsonl` forward from a byte offset, a line at a time, for indexing. Lines are parsed but
/// not verified: the caller checks that the chain it read ends at the verified state's head.
struct EntryFileReader: ~Copyable {
    private let fd: Int32
    private var buffer: [UInt8]
    private var start = 0      // first unread byte in `buffer`
    private var end = 0        // bytes held in `buffer`
    /// The file offset of `buffer[start]`.
    private(set) var offset: Int
    private var atEOF = false

    init(path: String, offset: Int) throws(SearchError) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SearchError(.ledgerUnreadable, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard lseek(fd, off_t(offset), SEEK_SET) == off_t(offset) else {
            close(fd)
            throw SearchError(.ledgerUnreadable, "cannot seek to byte \(offset) of \(path)")
        }
        self.offset = offset
        buffer = [UInt8](repeating: 0, count: 1 << 20)
    }

    deinit { close(fd) }

    /// The next whole line (without its newline) and its offset, or nil at the end of the file (a line
    /// not ended by a newline is an unfinished append: not returned).
    mutating func nextLine() throws(SearchError) -> (line: [UInt8], offset: Int)? {
        while true {
            if let nl = buffer[start..<end].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[start..<nl])
                let lineOffset = offset
                offset += nl + 1 - start
                start = nl + 1
                return (line, lineOffset)
            }
            if atEOF { return nil }
            try fill()
        }
    }

    private mutating func fill() throws(SearchError) {
        if start > 0 {
            let (from, to) = (start, end)
            buffer.withUnsafeMutableBytes { b in
                if to > from { _ = memmove(b.baseAddress!, b.baseAddress! + from, to - from) }
            }
            end -= start
            start = 0
        }
        if end == buffer.count {
            guard buffer.count < LedgerLimits.maxLineBytes * 2 + (1 << 20) else {
                throw SearchError(.ledgerUnreadable, "a line of entries.jsonl at byte \(offset) is longer than any entry may be")
            }
            buffer += [UInt8](repeating: 0, count: buffer.count)
        }
        let (fd, filled) = (self.fd, end)
        let n = buffer.withUnsafeMutableBytes { b in read(fd, b.baseAddress! + filled, b.count - filled) }
        if n < 0 {
            if errno == EINTR { return }
            throw SearchError(.ledgerUnreadable, "cannot read entries.jsonl: \(String(cString: strerror(errno)))")
        }
        if n == 0 { atEOF = true }
        end += n
    }
}
