import ClaimLedgerCore
import Glibc

/// `index/entries` (FORMAT.md section 2.3): where each entry's line starts in `entries.jsonl`, and the
/// links of each claim's history, so that any entry is one `pread` away.
///
/// Layout, little-endian: the 16 ASCII bytes `claimledger-ei/1`, then 16 bytes per entry in seq order:
/// the byte offset of the line's start (u64) and a u64 whose high byte is the entry's type (`typeCodes`)
/// and whose low 56 bits are a link: for an entry of a claim's history chain (status, amend, position,
/// review, and link for its `from` claim), the seq + 1 of the entry before it in that chain (the
/// previous chained entry, or the claim entry); 0 otherwise.
struct EntryIndexFile {
    static let magic = Array("claimledger-ei/1".utf8)
    static let recordSize = 16
    static let typeCodes: [EntryType] = [.genesis, .key, .source, .claim, .status, .scale, .position, .link, .amend, .review, .provenance]

    struct Record: Equatable {
        var lineStart: Int
        var type: EntryType
        /// The previous entry of the same claim's history chain, for chained entries.
        var previous: Int?
    }

    let file: PosixFile

    /// Opens the file when it holds exactly `entries` records; nil otherwise (the index is rebuilt).
    init?(path: String, entries: Int, writable: Bool) {
        guard let f = try? PosixFile(path: path, flags: writable ? O_RDWR : O_RDONLY),
              (try? f.size()) == Self.magic.count + entries * Self.recordSize,
              (try? f.read(at: 0, count: Self.magic.count)) == Self.magic else { return nil }
        file = f
    }

    func record(_ seq: Int) throws(StoreError) -> Record {
        let bytes = try file.read(at: Self.magic.count + seq * Self.recordSize, count: Self.recordSize)
        guard bytes.count == Self.recordSize else { throw StoreError(.invalidLedger, "the writers' index has no record of entry \(seq)") }
        return Self.decode(bytes, 0)
    }

    static func decode(_ bytes: [UInt8], _ at: Int) -> Record {
        let word = ClaimTable.u64(bytes, at + 8), code = Int(word >> 56), link = word & 0x00FF_FFFF_FFFF_FFFF
        return Record(lineStart: Int(truncatingIfNeeded: ClaimTable.u64(bytes, at)),
                      type: code < typeCodes.count ? typeCodes[code] : .genesis, previous: link == 0 ? nil : Int(link - 1))
    }

    /// The seqs of the entries of `type` among `first..<end`, read in chunks of 64 Ki records.
    func seqs(of type: EntryType, in range: Range<Int>) throws(StoreError) -> [Int] {
        var out = [Int]()
        var first = range.lowerBound
        while first < range.upperBound {
            let n = min(65_536, range.upperBound - first)
            let bytes = try file.read(at: Self.magic.count + first * Self.recordSize, count: n * Self.recordSize)
            guard bytes.count == n * Self.recordSize else { throw StoreError(.invalidLedger, "the writers' index has too few records") }
            for i in 0..<n where Self.decode(bytes, i * Self.recordSize).type == type { out.append(first + i) }
            first += n
        }
        return out
    }

    /// Where the lines of `range` start, read in chunks of 64 Ki records.
    func lineStarts(in range: Range<Int>) throws(StoreError) -> [Int] {
        var out = [Int]()
        out.reserveCapacity(range.count)
        var first = range.lowerBound
        while first < range.upperBound {
            let n = min(65_536, range.upperBound - first)
            let bytes = try file.read(at: Self.magic.count + first * Self.recordSize, count: n * Self.recordSize)
            guard bytes.count == n * Self.recordSize else { throw StoreError(.invalidLedger, "the writers' index has too few records") }
            for i in 0..<n { out.append(Self.decode(bytes, i * Self.recordSize).lineStart) }
            first += n
        }
        return out
    }

    /// Appends records for the entries after the `entries` already held.
    func append(_ records: [Record], after entries: Int) throws(StoreError) {
        try file.write(Self.encode(records), at: Self.magic.count + entries * Self.recordSize)
    }

    static func encode(_ records: [Record]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(records.count * recordSize)
        for r in records {
            ClaimTable.append(UInt64(r.lineStart), to: &bytes)
            let code = UInt64(typeCodes.firstIndex(of: r.type)!)
            ClaimTable.append(code << 56 | (r.previous.map { UInt64($0 + 1) } ?? 0), to: &bytes)
        }
        return bytes
    }
}
