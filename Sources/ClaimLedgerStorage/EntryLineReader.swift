import ClaimLedgerCore

/// Streams the lines of `entries.jsonl` in fixed-size chunks: memory stays bounded by the chunk size
/// and the longest line, whatever the ledger's size.
struct EntryLineReader {
    enum End {
        case complete
        /// The file ends with bytes after the last newline: a torn (incomplete) last line.
        case torn([UInt8])
        /// A line longer than the limit; reading stopped there.
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
            if carry.count > LedgerLimits.maxLineBytes { return .overlong(lineStart: carryStart) }
            offset += chunk.count
            progress?(offset)
        }
        return carry.isEmpty ? .complete : .torn(carry)
    }
}
