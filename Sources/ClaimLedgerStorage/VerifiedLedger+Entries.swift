import ClaimLedgerCore
import LedgerCrypto

/// An entry as tiles publish it (FORMAT.md 16): its canonical bytes, which its leaf hash covers, and its
/// signature, which nothing in the tree covers.
public struct PublishedEntry: Sendable, Equatable {
    public let seq: Int
    /// The entry's canonical bytes (FORMAT.md 4.2).
    public let canonicalBytes: [UInt8]
    /// The 64-byte Ed25519 signature over `canonicalBytes` (FORMAT.md 4.4).
    public let signature: [UInt8]

    public init(seq: Int, canonicalBytes: [UInt8], signature: [UInt8]) {
        self.seq = seq
        self.canonicalBytes = canonicalBytes
        self.signature = signature
    }
}

extension VerifiedLedger {
    /// Entries `range`, cut from their lines with the shortcut of FORMAT.md 4.2 (every line was verified
    /// canonical moments ago): the lines are found through the writers' index and read with one `pread`.
    /// The caller checks what it relies on against `tree`: the leaf hash of each entry's canonical bytes
    /// must be the stored one, which also shows that the index pointed at the right lines.
    /// Requires `0 <= range.lowerBound <= range.upperBound <= state.size`.
    public func publishedEntries(_ range: Range<Int>) throws -> [PublishedEntry] {
        guard range.lowerBound >= 0, range.upperBound <= state.size else {
            throw StoreError(.invalidLedger, "entries \(range) are not all among the \(state.size) verified entries")
        }
        if range.isEmpty { return [] }
        guard let entryIndex = index.entryIndex else { throw StoreError(.invalidLedger, "the writers' index has no entry records") }
        let start = try entryIndex.record(range.lowerBound).lineStart
        let end = range.upperBound < state.size ? try entryIndex.record(range.upperBound).lineStart : index.offset
        guard start >= 0, start < end, end <= index.offset else {
            throw StoreError(.invalidLedger, "the writers' index places entries \(range) at bytes \(start)..<\(end)")
        }
        let bytes = try file.read(at: start, count: end - start)
        guard bytes.count == end - start, bytes.last == 0x0A else {
            throw StoreError(.invalidLedger, "entries \(range) do not end at byte \(end) of entries.jsonl")
        }
        var entries = [PublishedEntry]()
        entries.reserveCapacity(range.count)
        var lineStart = 0
        for seq in range {
            guard let nl = bytes[lineStart...].firstIndex(of: 0x0A) else {
                throw StoreError(.invalidLedger, "entry \(seq) is not where the writers' index says")
            }
            entries.append(try Self.published(seq, line: bytes[lineStart..<nl]))
            lineStart = nl + 1
        }
        guard lineStart == bytes.count else {
            throw StoreError(.invalidLedger, "entries \(range) are not where the writers' index says (more lines follow)")
        }
        return entries
    }

    /// The entry with the most canonical bytes (FORMAT.md 4.2) among the first `n`, the first such one when
    /// several tie; nil for `n == 0`. Found from the writers' index alone: a line of `L` bytes (LF excluded)
    /// holds `L - 187` canonical bytes. Requires `0 <= n <= state.size`.
    public func largestEntry(among n: Int) throws -> (seq: Int, canonicalBytes: Int)? {
        guard n >= 0, n <= state.size else { throw StoreError(.invalidLedger, "the ledger has \(state.size) entries, not \(n)") }
        guard n > 0 else { return nil }
        guard let entryIndex = index.entryIndex else { throw StoreError(.invalidLedger, "the writers' index has no entry records") }
        var starts = try entryIndex.lineStarts(in: 0..<n)
        starts.append(n < state.size ? try entryIndex.record(n).lineStart : index.offset)
        var largest = (seq: 0, canonicalBytes: -1)
        for seq in 0..<n {
            let size = starts[seq + 1] - starts[seq] - 1 - StreamedBatch.lineOverhead
            if size > largest.canonicalBytes { largest = (seq, size) }
        }
        return largest
    }

    /// `{"entry":` + canonical bytes + `,"hash":"<64 hex>","signature":"<88 base64>"}` (FORMAT.md 4.2).
    private static func published(_ seq: Int, line: ArraySlice<UInt8>) throws -> PublishedEntry {
        let l = line.startIndex, n = line.count
        guard n > 9 + 178, line[l..<(l + 9)].elementsEqual(#"{"entry":"#.utf8),
              let signature = Base64.decode(String(decoding: line[(l + n - 90)..<(l + n - 2)], as: UTF8.self)), signature.count == 64
        else { throw StoreError(.invalidLedger, "entry \(seq)'s line is not a canonical line") }
        return PublishedEntry(seq: seq, canonicalBytes: Array(line[(l + 9)..<(l + n - 178)]), signature: signature)
    }
}
