import ClaimLedgerCore
import Glibc

/// An import file (FORMAT.md "Import files") read once, streamed: a chunk at a time, each line parsed as
/// it comes and each source file it names read from the import file's folder. Memory is bounded by the
/// chunk, the longest line and the sources. Errors name the line.
struct ImportFileReader {
    static let maxBytes = 1 << 30
    static let chunkSize = 1 << 20

    let path: String
    private let folder: String
    private let file: PosixFile
    let size: Int

    init(_ path: String) throws {
        do { file = try PosixFile(path: path, flags: O_RDONLY | O_NONBLOCK) } catch {
            throw StoreError(.io, "cannot read import file \(path): \(String(cString: strerror(errno)))")
        }
        guard try file.mode().regular else { throw StoreError(.io, "import file \(path) is not a regular file") }
        size = try file.size()
        guard size <= Self.maxBytes else { throw StoreError(.fileTooLarge, "import file \(path) is \(size) bytes, limit \(Self.maxBytes)") }
        self.path = path
        folder = FileSystem.directoryOf(path)
    }

    /// Calls `body` with each item (a non-blank line) as a draft and its 1-based line number, in order.
    /// `progress` gets (bytes read, file size).
    func forEachItem(progress: ((Int, Int) -> Void)? = nil, _ body: (Draft, Int) throws -> Void) throws {
        var number = 0
        try forEachLine(progress: progress) { line in
            number += 1
            guard number <= LedgerLimits.maxImportLines else {
                throw LedgerError(.limitExceeded, "import file has more than \(LedgerLimits.maxImportLines) lines")
            }
            var line = line
            if line.last == 0x0D { line.removeLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            guard line.count <= LedgerLimits.maxLineBytes else {
                let length = line.count >= LedgerLimits.maxLineBytes + 1 ? "more than \(LedgerLimits.maxLineBytes)" : "\(line.count)"
                throw LedgerError(.limitExceeded, "line \(number): \(length) bytes, limit \(LedgerLimits.maxLineBytes)")
            }
            try body(try draft(line, number: number), number)
        }
    }

    /// The lines of the file (LF removed; the last needs none). A line longer than the limit (and a CR) is
    /// passed on cut short after its first bytes beyond the limit, so that it is refused without being held whole.
    private func forEachLine(progress: ((Int, Int) -> Void)?, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        let cap = LedgerLimits.maxLineBytes + 2
        var offset = 0
        var carry = [UInt8]()
        var carryOverlong = false
        while offset < size {
            let chunk = try file.read(at: offset, count: min(Self.chunkSize, size - offset))
            if chunk.isEmpty { break }
            offset += chunk.count
            var start = 0
            while let nl = chunk[start...].firstIndex(of: 0x0A) {
                if carry.isEmpty && !carryOverlong {
                    try body(chunk[start..<nl])
                } else {
                    if !carryOverlong { carry += chunk[start..<min(nl, start + cap - carry.count)] }
                    try body(carry[...])
                    carry.removeAll(keepingCapacity: false)
                    carryOverlong = false
                }
                start = nl + 1
            }
            if !carryOverlong {
                carry += chunk[start..<min(chunk.count, start + max(0, cap - carry.count))]
                carryOverlong = carry.count >= cap
            }
            progress?(offset, size)
        }
        if !carry.isEmpty { try body(carry[...]) }
    }

    /// One line as a draft; a source's bytes are read from its path, relative to the import file's
    /// folder. Such paths may not be absolute or contain `..`: an import file names only files beside it.
    private func draft(_ line: ArraySlice<UInt8>, number: Int) throws -> Draft {
        switch try ImportFileParser.parse(line: Array(line), number: number) {
        case .source(let file, let ref, let metadata):
            let parts = file.split(separator: "/", omittingEmptySubsequences: false)
            guard !file.hasPrefix("/"), !parts.contains(".."), !parts.contains("") else {
                throw StoreError(.unsafePath, "line \(number): source file \"\(file)\" must be a relative path below the import file's folder, without ..")
            }
            try InputFiles.ensureInside(folder, folder + "/" + file, line: number, file: file)
            let source = try InputFiles.read(folder + "/" + file, limit: LedgerLimits.maxSourceBytes, what: "source file (line \(number))")
            return .source(metadata.draft(bytes: source, defaultMediaType: InputFiles.mediaType(forPath: file)), ref: ref)
        case .claim(let c): return .claim(c)
        case .status(let s): return .status(s)
        case .draft(let d): return d
        }
    }
}
