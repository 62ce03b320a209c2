import ClaimLedgerCore

/// Streams the lines of `entries.jsonl` in fixed-size chunks: memory stays bounded by the chunk size
/// and the longest line, whatever the ledger's size.
struct EntryLineReader {
    enum End {
        case complete
        /// The file ends with bytes after the last newline: a torn (incomplete) last line.
        case torn([UInt8])
        /// A torn last line longer than the line limit: its length and first bytes (it is not held whole).
        case tornOverlong(length: Int, prefix: [UInt8])
        /// A line longer than the limit, ended by a newline; reading stopped there.
        case overlong(lineStart: Int)
        case stopped
    }

    let file: PosixFile
    let size: Int
    /// Byte offset to start at: 0, or just after a newline.
    var start = 0
    var chunkSize = 1 << 20

    /// Calls `body` with each complete line (newline removed) and its byte offset, until it returns false.
    func forEachLine(progress: ((Int) -> Void)? = nil, _ body: ([UInt8], Int) throws -> Bool) throws -> End {
        var offset = start
        var carry = [UInt8]()
        var carryStart = start
        while offset < size {
            let chunk = try file.read(at: offset, count: min(chunkSize, size - offset))
            if chunk.isEmpty { break }
            var lineStart = 0
            while let nl = chunk[lineStart...].firstIndex(of: 0x0A) {
                let line: [UInt8]
                if carry.isEmpty {
                    line = Array(chunk[lineStart..<nl])
                    carryStart = offset + lineStart
                } else {
                    carry += chunk[lineStart..<nl]
                    line = carry
                    carry = []
                }
                if line.count > LedgerLimits.maxLineBytes { return .overlong(lineStart: carryStart) }
                if try !body(line, carryStart) { return .stopped }
                lineStart = nl + 1
                carryStart = offset + lineStart
            }
            if carry.isEmpty { carryStart = offset + lineStart }
            carry += chunk[lineStart...]
            if carry.count > LedgerLimits.maxLineBytes {
                return try overlongEnd(lineStart: carryStart, prefix: Array(carry.prefix(64)), scannedTo: offset + chunk.count)
            }
            offset += chunk.count
            progress?(offset)
        }
        return carry.isEmpty ? .complete : .torn(carry)
    }

    /// A line over the limit has no newline yet: looks for one further on without holding the bytes. With
    /// none before the end of the file, the line is a torn last line (2.5), not an overlong one (8.1).
    private func overlongEnd(lineStart: Int, prefix: [UInt8], scannedTo scanned: Int) throws -> End {
        var offset = scanned
        while offset < size {
            let chunk = try file.read(at: offset, count: min(chunkSize, size - offset))
            if chunk.isEmpty { break }
            if chunk.contains(0x0A) { return .overlong(lineStart: lineStart) }
            offset += chunk.count
        }
        return .tornOverlong(length: offset - lineStart, prefix: prefix)
    }
}
