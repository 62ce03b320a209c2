import ClaimLedgerCore

/// Claim keys as a sorted run of fixed-width records: the key section of an audit state (FORMAT.md
/// section 15). In `claimledger-audit/3` a record is the key (the first 16 bytes of SHA-256 of a claim
/// id, in byte order) followed by the claim's facts (`ClaimFacts.encode`, 44 bytes); in
/// `claimledger-audit/2` it is the key alone, and the facts are unknown. Looked up by binary search.
final class SortedClaimKeys: ClaimKeyLookup {
    static let keyWidth = 16
    static let width = keyWidth + ClaimFacts.encodedWidth
    let bytes: [UInt8]
    /// Bytes per record: `width`, or `keyWidth` for a section without facts.
    let recordWidth: Int

    var count: Int { bytes.count / recordWidth }

    private init(trusted bytes: [UInt8], recordWidth: Int) {
        self.bytes = bytes
        self.recordWidth = recordWidth
    }

    /// Nil unless `bytes` is a whole number of records in strictly ascending key order, with valid facts.
    convenience init?(checking bytes: [UInt8], withFacts: Bool = true) {
        let w = withFacts ? Self.width : Self.keyWidth
        guard bytes.count % w == 0 else { return nil }
        self.init(trusted: bytes, recordWidth: w)
        for i in 1..<max(1, count) where !(order(i - 1) < order(i)) { return nil }
        if withFacts {
            let valid = bytes.withUnsafeBytes { raw in
                (0..<count).allSatisfy { ClaimFacts(decoding: raw, at: $0 * w + Self.keyWidth) != nil }
            }
            if !valid { return nil }
        }
    }

    func contains(_ key: ClaimKey) -> Bool { find(key) != nil }

    func facts(of key: ClaimKey) -> ClaimFacts? {
        guard let i = find(key) else { return nil }
        guard recordWidth == Self.width else { return .unknown }
        return bytes.withUnsafeBytes { ClaimFacts(decoding: $0, at: i * recordWidth + Self.keyWidth) }
    }

    private func find(_ key: ClaimKey) -> Int? {
        let wanted = Self.order(key)
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            let here = order(mid)
            if here == wanted { return mid }
            if here < wanted { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    /// Calls `body` with the key section (records with facts) of the union of `earlier` (may be nil)
    /// and `more` (sorted by `precedes`), 64 Ki records at a time, in order. A key in both is given
    /// once, with the facts of `more`; an earlier key's facts are replaced by `changed`'s when it has them.
    static func merge(_ earlier: SortedClaimKeys?, _ more: [(ClaimKey, ClaimFacts)], changed: [ClaimKey: ClaimFacts],
                      _ body: ([UInt8]) throws -> Void) rethrows {
        let n = earlier?.count ?? 0
        var out = [UInt8]()
        out.reserveCapacity(65_536 * width)
        var i = 0, j = 0
        while i < n || j < more.count {
            if j == more.count || (i < n && earlier!.order(i) < order(more[j].0)) {
                let key = earlier!.key(i)
                append(key, changed[key] ?? earlier!.facts(of: key) ?? .unknown, to: &out)
                i += 1
            } else {
                if i < n && earlier!.order(i) == order(more[j].0) { i += 1 }
                append(more[j].0, more[j].1, to: &out)
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

    private func order(_ index: Int) -> (UInt64, UInt64) {
        let k = key(index)
        return Self.order(k)
    }

    private func key(_ index: Int) -> ClaimKey {
        bytes.withUnsafeBytes { raw in
            ClaimKey(high: raw.loadUnaligned(fromByteOffset: index * recordWidth, as: UInt64.self),
                     low: raw.loadUnaligned(fromByteOffset: index * recordWidth + 8, as: UInt64.self))
        }
    }

    private static func append(_ key: ClaimKey, _ facts: ClaimFacts, to out: inout [UInt8]) {
        withUnsafeBytes(of: key.high) { out += $0 }
        withUnsafeBytes(of: key.low) { out += $0 }
        facts.encode(into: &out)
    }
}
