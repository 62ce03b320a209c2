import ClaimLedgerCore

/// Claim keys as a sorted run of 16-byte values (each the first 16 bytes of SHA-256 of a claim id, in
/// byte order): the key section of an audit state (FORMAT.md section 15). Looked up by binary search.
final class SortedClaimKeys: ClaimKeyLookup {
    static let width = 16
    let bytes: [UInt8]

    var count: Int { bytes.count / Self.width }

    /// `bytes` must hold whole keys in strictly ascending order (`init?(checking:)` checks it).
    private init(trusted bytes: [UInt8]) { self.bytes = bytes }

    /// Nil unless `bytes` is a whole number of keys in strictly ascending order.
    convenience init?(checking bytes: [UInt8]) {
        guard bytes.count % Self.width == 0 else { return nil }
        self.init(trusted: bytes)
        for i in 1..<max(1, count) where !(Self.order(bytes, i - 1) < Self.order(bytes, i)) { return nil }
    }

    func contains(_ key: ClaimKey) -> Bool {
        let wanted = Self.order(key)
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            let here = Self.order(bytes, mid)
            if here == wanted { return true }
            if here < wanted { low = mid + 1 } else { high = mid }
        }
        return false
    }

    /// The union of `earlier` (may be nil) and `more`, sorted, as the bytes of a key section.
    static func merged(_ earlier: SortedClaimKeys?, _ more: some Sequence<ClaimKey>) -> [UInt8] {
        let extra = more.map { (order($0), $0) }.sorted { $0.0 < $1.0 }
        let old = earlier?.bytes ?? []
        var out = [UInt8]()
        out.reserveCapacity(old.count + extra.count * width)
        var i = 0, j = 0
        let n = old.count / width
        while i < n || j < extra.count {
            if j == extra.count || (i < n && order(old, i) < extra[j].0) {
                out += old[(i * width)..<((i + 1) * width)]
                i += 1
            } else {
                if i < n && order(old, i) == extra[j].0 { i += 1 }  // the same key in both: once
                append(extra[j].1, to: &out)
                j += 1
            }
        }
        return out
    }

    /// A key's bytes are its two words as they lie in memory (the digest's first 16 bytes); its order
    /// is that of those bytes, i.e. of the words read big-endian.
    private static func order(_ key: ClaimKey) -> (UInt64, UInt64) { (UInt64(bigEndian: key.high), UInt64(bigEndian: key.low)) }

    private static func order(_ bytes: [UInt8], _ index: Int) -> (UInt64, UInt64) {
        bytes.withUnsafeBytes { raw in
            (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: index * width, as: UInt64.self)),
             UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: index * width + 8, as: UInt64.self)))
        }
    }

    private static func append(_ key: ClaimKey, to out: inout [UInt8]) {
        withUnsafeBytes(of: key.high) { out += $0 }
        withUnsafeBytes(of: key.low) { out += $0 }
    }
}
