import CLinuxFiles
import ClaimLedgerCore
import Glibc
import LedgerCrypto

/// Bytes of a batch kept between its checking pass and its writing pass, so that neither holds the batch
/// in memory and the import file is read once: a temporary file in the ledger's own directory (the same
/// file system as the ledger, which must take those bytes anyway; `/tmp` may be memory), unlinked as soon
/// as it is created, so that a crash leaves nothing behind. Appended through a buffer, read back in order.
final class BatchSpillFile {
    static let bufferSize = 1 << 20

    private let file: PosixFile
    private var buffer = [UInt8]()
    private(set) var length = 0
    /// Set by `forEachRead`: its pieces are punched out as they are read, so a second read would get zeros.
    private var readAlready = false

    init(directory: String, purpose: String) throws(StoreError) {
        let path = directory + "/.tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))-\(purpose)"
        file = try PosixFile(path: path, flags: O_RDWR | O_CREAT | O_EXCL, mode: 0o600)
        unlink(path)
        buffer.reserveCapacity(Self.bufferSize)
    }

    func append(_ bytes: [UInt8]) throws(StoreError) {
        buffer += bytes
        if buffer.count >= Self.bufferSize { try flush() }
    }

    func flush() throws(StoreError) {
        try file.write(buffer, at: length)
        length += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with the file's bytes in order, `size` at a time (the last read may be shorter), and
    /// gives each piece's pages back to the kernel once `body` has taken it (a hole punched in the file),
    /// so that what `body` writes can reuse them. At 1,000,000 claims the lines are 1.1 GB; on a virtual
    /// machine whose balloon takes back free memory (this project's), writing to pages the kernel has not
    /// used lately costs about 1 ms of system time a MiB more (PERFORMANCE.md, "Fifth pass").
    /// Call `flush()` first; the file is read once.
    func forEachRead(size: Int = bufferSize, _ body: ([UInt8]) throws -> Void) throws {
        guard !readAlready else { throw StoreError(.io, "the import's temporary file was read already: its pages are given back") }
        readAlready = true
        var offset = 0
        while offset < length {
            let bytes = try file.read(at: offset, count: min(size, length - offset))
            guard !bytes.isEmpty else { throw StoreError(.io, "the import's temporary file ends at byte \(offset), not \(length)") }
            try body(bytes)
            // Only memory is at stake: a file system without holes keeps the pages until the file is closed.
            _ = claimledger_fallocate(file.fd, CLAIMLEDGER_FALLOC_FL_PUNCH_HOLE | CLAIMLEDGER_FALLOC_FL_KEEP_SIZE,
                                      Int64(offset), Int64(bytes.count))
            offset += bytes.count
        }
    }
}

/// What the tree and the writers' index need of one entry of a streamed batch, in a fixed-size record
/// (little-endian): line length u32 (LF excluded), type code u8, status code u8 (255: none), claim key
/// (16 bytes, zero when none), hash (32 bytes).
struct SpilledEntry {
    static let size = 4 + 1 + 1 + 1 + 16 + 32

    var lineLength: Int
    var hash: SHA256Digest
    var type: EntryType
    /// For the entries of a claim's history: the claim's key; for status entries, the status; for
    /// amend entries, whether it retracts (AppendedEntry).
    var claim: ClaimKey?
    var status: ClaimStatus?
    var amend: Bool?

    init(_ entry: SignedEntry) {
        lineLength = entry.canonicalBytes.count + StreamedBatch.lineOverhead
        hash = entry.hash
        type = entry.entry.type
        (claim, status, amend) = AppendedEntry.history(of: entry.entry.payload)
    }

    func encode(into out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: lineLength >> shift)) }
        out.append(UInt8(EntryIndexFile.typeCodes.firstIndex(of: type)!))
        out.append(status.map { UInt8(ClaimTable.statusCodes.firstIndex(of: $0)!) } ?? 255)
        out.append(claim == nil ? 0 : amend.map { $0 ? 3 : 2 } ?? 1)
        ClaimTable.append(claim?.high ?? 0, to: &out)
        ClaimTable.append(claim?.low ?? 0, to: &out)
        hash.withUnsafeBytes { out += $0 }
    }

    init(decoding bytes: [UInt8], at: Int) {
        lineLength = Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        type = EntryIndexFile.typeCodes[Int(bytes[at + 4])]
        status = bytes[at + 5] == 255 ? nil : ClaimTable.statusCodes[Int(bytes[at + 5])]
        let history = bytes[at + 6]
        claim = history == 0 ? nil : ClaimKey(high: ClaimTable.u64(bytes, at + 7), low: ClaimTable.u64(bytes, at + 15))
        amend = history >= 2 ? history == 3 : nil
        hash = bytes.withUnsafeBytes { SHA256Digest(bytes: UnsafeRawBufferPointer(rebasing: $0[(at + 23)..<(at + 55)])) }!
    }
}
