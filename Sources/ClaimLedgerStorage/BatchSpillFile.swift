import ClaimLedgerCore
import Glibc
import LedgerCrypto

/// What the writing pass and the index need of one chained entry of a streamed batch.
struct SpilledEntry {
    var canonical: ArraySlice<UInt8>
    var hash: SHA256Digest
    var type: EntryType
    /// For claim and status entries: the claim's key; for status entries, the status.
    var claim: ClaimKey?
    var status: ClaimStatus?

    var lineLength: Int { canonical.count + StreamedBatch.lineOverhead }
}

/// The chained entries of a batch between its checking pass and its writing pass, so that neither holds
/// the batch in memory and the import file is parsed once. It is a temporary file in the ledger's own
/// directory (the same file system as the ledger, which must take those bytes anyway; `/tmp` may be
/// memory), unlinked as soon as it is created: a crash leaves nothing behind.
///
/// Records, little-endian: canonical length u32, type code u8, status code u8 (255: none), claim key
/// (16 bytes, zero when none), hash (32 bytes), canonical bytes.
final class BatchSpillFile {
    static let headerSize = 4 + 1 + 1 + 16 + 32
    static let readSize = 1 << 20

    private let file: PosixFile
    private var buffer = [UInt8]()
    private(set) var length = 0

    init(directory: String) throws(StoreError) {
        let path = directory + "/.tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))-import"
        file = try PosixFile(path: path, flags: O_RDWR | O_CREAT | O_EXCL, mode: 0o600)
        unlink(path)
    }

    func append(_ entry: SignedEntry) throws(StoreError) {
        var claim: ClaimKey?, status: ClaimStatus?
        switch entry.entry.payload {
        case .claim(let c): claim = ClaimKey(c.id)
        case .status(let s): (claim, status) = (ClaimKey(s.claim), s.status)
        default: break
        }
        let count = entry.canonicalBytes.count
        for shift in stride(from: 0, to: 32, by: 8) { buffer.append(UInt8(truncatingIfNeeded: count >> shift)) }
        buffer.append(UInt8(EntryIndexFile.typeCodes.firstIndex(of: entry.entry.type)!))
        buffer.append(status.map { UInt8(ClaimTable.statusCodes.firstIndex(of: $0)!) } ?? 255)
        ClaimTable.append(claim?.high ?? 0, to: &buffer)
        ClaimTable.append(claim?.low ?? 0, to: &buffer)
        entry.hash.withUnsafeBytes { buffer += $0 }
        buffer += entry.canonicalBytes
        if buffer.count >= Self.readSize { try flush() }
    }

    func flush() throws(StoreError) {
        try file.write(buffer, at: length)
        length += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with the records in order, a read (about 1 MiB) at a time. Call `flush()` first.
    func forEachChunk(_ body: ([SpilledEntry]) throws -> Void) throws {
        var offset = 0
        while offset < length {
            let bytes = try file.read(at: offset, count: min(Self.readSize + LedgerLimits.maxLineBytes + Self.headerSize, length - offset))
            var chunk = [SpilledEntry]()
            var at = 0
            while at + Self.headerSize <= bytes.count {
                let count = Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
                let end = at + Self.headerSize + count
                guard end <= bytes.count else { break }
                let type = EntryIndexFile.typeCodes[Int(bytes[at + 4])]
                let status = bytes[at + 5] == 255 ? nil : ClaimTable.statusCodes[Int(bytes[at + 5])]
                let claim = type == .claim || type == .status
                    ? ClaimKey(high: ClaimTable.u64(bytes, at + 6), low: ClaimTable.u64(bytes, at + 14)) : nil
                chunk.append(SpilledEntry(canonical: bytes[(at + Self.headerSize)..<end],
                                          hash: SHA256Digest(bytes: bytes[(at + 22)..<(at + 54)])!,
                                          type: type, claim: claim, status: status))
                at = end
                if at >= Self.readSize { break }
            }
            guard at > 0 else { throw StoreError(.io, "the import's temporary file is damaged at byte \(offset)") }
            try body(chunk)
            offset += at
        }
    }
}
