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

    /// Calls `body` with the key section of the union of `earlier` (may be nil) and `more` (sorted by
    /// `precedes`), 64 Ki keys at a time, in order; a key in both is given once.
    static func merge(_ earlier: SortedClaimKeys?, _ more: [ClaimKey], _ body: ([UInt8]) throws -> Void) rethrows {
        let old = earlier?.bytes ?? []
        let n = old.count / width
        var out = [UInt8]()
        out.reserveCapacity(65_536 * width)
        var i = 0, j = 0
        while i < n || j < more.count {
            if j == more.count || (i < n && order(old, i) < order(more[j])) {
                out += old[(i * width)..<((i + 1) * width)]
                i += 1
            } else {
                if i < n && order(old, i) == order(more[j]) { i += 1 }
                append(more[j], to: &out)
                j += 1
            }
            if out.count >= 65_536 * width {
                try body(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if !out.isEmpty { try body(out) }
    }

    /// The order of key sections: by the keys' bytes.
    static func precedes(_ a: ClaimKey, _ b: ClaimKey) -> Bool { order(a) < order(b) }

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
