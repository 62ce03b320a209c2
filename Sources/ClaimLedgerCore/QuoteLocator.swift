import LedgerCrypto

/// Finds a quote in a source's bytes (FORMAT.md "Quotes").
public enum QuoteLocator {
    /// Byte offsets of every occurrence of `text` in `bytes` (overlapping ones included), in increasing
    /// order. With `index` (built from the same bytes) a quote of 8 bytes or more is looked up instead of
    /// searched for.
    public static func occurrences(of text: String, in bytes: [UInt8], index: QuoteIndex? = nil) -> [Int] {
        let needle = Array(text.utf8)
        if let index, let found = index.occurrences(of: needle) { return found }
        return scan(for: needle, in: bytes)
    }

    /// Every occurrence by Horspool's algorithm: a mismatch skips ahead by the distance from the window's
    /// last byte to its last occurrence in the needle, so a search reads a fraction of the source.
    public static func scan(for needle: [UInt8], in bytes: [UInt8]) -> [Int] {
        let m = needle.count, n = bytes.count
        guard m > 0, m <= n else { return [] }
        var shift = [Int](repeating: m, count: 256)
        for i in 0..<(m - 1) { shift[Int(needle[i])] = m - 1 - i }
        var found = [Int]()
        bytes.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { pattern in
                shift.withUnsafeBufferPointer { shift in
                    let last = pattern[m - 1]
                    var i = 0
                    while i <= n - m {
                        let c = haystack[i + m - 1]
                        if c == last && equal(haystack, at: i, pattern, count: m - 1) { found.append(i) }
                        i += shift[Int(c)]
                    }
                }
            }
        }
        return found
    }

    /// The reference search: the needle compared at every byte offset. The oracle of the tests.
    public static func naiveOccurrences(of needle: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard !needle.isEmpty, needle.count <= bytes.count else { return [] }
        return (0...(bytes.count - needle.count)).filter { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    @inline(__always)
    static func equal(_ haystack: UnsafeBufferPointer<UInt8>, at start: Int, _ pattern: UnsafeBufferPointer<UInt8>,
                      count: Int) -> Bool {
        var k = 0
        while k < count {
            if haystack[start + k] != pattern[k] { return false }
            k += 1
        }
        return true
    }

    /// The quote of `text` in source `digest`: its only occurrence, or the one at `offset`. `index`, when
    /// given, must be built from `bytes`.
    public static func locate(_ text: String, in bytes: [UInt8], source digest: SHA256Digest, offset: Int?,
                              index: QuoteIndex? = nil) throws(LedgerError) -> Quote
    {
        guard !text.isEmpty else { throw LedgerError(.invalidInput, "the quote is empty") }
        if let offset {
            let count = text.utf8.count
            guard offset >= 0, offset <= bytes.count, count <= bytes.count - offset,
                  bytes[offset..<(offset + count)].elementsEqual(text.utf8) else {
                throw LedgerError(.quoteNotFound, "the quote is not at byte offset \(offset) of source \(digest.hex.prefix(16))")
            }
            return Quote(source: digest, text: text, start: offset, end: offset + count)
        }
        let found = occurrences(of: text, in: bytes, index: index)
        switch found.count {
        case 0:
            throw LedgerError(.quoteNotFound, "the quote \"\(text.prefix(60))\" does not occur in source \(digest.hex.prefix(16)) (it must match byte for byte)")
        case 1:
            return Quote(source: digest, text: text, start: found[0], end: found[0] + text.utf8.count)
        default:
            let list = found.prefix(10).map(String.init).joined(separator: ", ")
            throw LedgerError(.quoteAmbiguous, "the quote occurs \(found.count) times in source \(digest.hex.prefix(16)), at byte offsets \(list): choose one with --offset")
        }
    }
}

/// An index of one source's bytes, built once, in which a quote is found in about
/// O(quote length × log(source length)) instead of a search through the whole source.
///
/// Every offset p of an 8-byte window is listed as `h << 22 | p`, where h is a 42-bit hash of the window's
/// bytes, and the list is sorted. A quote of 8 bytes or more is looked up by the hash of its rarest
/// window among up to 16 spread over it; each candidate is then compared byte for byte, so hash collisions
/// cost time, never a wrong answer. 8 bytes of memory per source byte: sources over 4 MiB get no index.
public struct QuoteIndex: Sendable {
    public static let maxSourceBytes = 1 << positionBits
    static let window = 8
    static let positionBits = 22
    static let windowsTried = 16

    private let bytes: [UInt8]
    private let keys: [UInt64]

    /// Nil when the source is shorter than a window or longer than `maxSourceBytes`.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count >= Self.window, bytes.count <= Self.maxSourceBytes else { return nil }
        self.bytes = bytes
        var keys = [UInt64](repeating: 0, count: bytes.count - Self.window + 1)
        bytes.withUnsafeBytes { raw in
            for p in 0..<keys.count { keys[p] = Self.hash(raw.loadUnaligned(fromByteOffset: p, as: UInt64.self)) << Self.positionBits | UInt64(p) }
        }
        keys.sort()
        self.keys = keys
    }

    /// 42 bits of the window, mixed (Fibonacci hashing).
    @inline(__always)
    static func hash(_ window: UInt64) -> UInt64 { (window &* 0x9E37_79B9_7F4A_7C15) >> UInt64(Self.positionBits) }

    /// Every occurrence of `needle`, in increasing order; nil when it is shorter than a window.
    public func occurrences(of needle: [UInt8]) -> [Int]? {
        let m = needle.count
        guard m >= Self.window else { return nil }
        guard m <= bytes.count else { return [] }
        return keys.withUnsafeBufferPointer { keys in
            needle.withUnsafeBytes { raw in
                // The rarest of up to `windowsTried` windows spread evenly over the needle.
                let span = m - Self.window
                let tried = min(Self.windowsTried, span + 1)
                var best = (offset: 0, range: 0..<0)
                for t in 0..<tried {
                    let j = tried == 1 ? 0 : t * span / (tried - 1)
                    let range = Self.range(of: Self.hash(raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)), in: keys)
                    if t == 0 || range.count < best.range.count { best = (j, range) }
                    if range.isEmpty { break }
                }
                var found = [Int]()
                bytes.withUnsafeBufferPointer { haystack in
                    needle.withUnsafeBufferPointer { pattern in
                        let mask = UInt64(1) << UInt64(Self.positionBits) - 1
                        for k in best.range {
                            let start = Int(keys[k] & mask) - best.offset
                            if start >= 0, start + m <= haystack.count,
                               QuoteLocator.equal(haystack, at: start, pattern, count: m) { found.append(start) }
                        }
                    }
                }
                return found  // one hash value: its positions are already in increasing order
            }
        }
    }

    /// The keys whose hash is `h`.
    private static func range(of h: UInt64, in keys: UnsafeBufferPointer<UInt64>) -> Range<Int> {
        let low = h << UInt64(positionBits), high = low | (UInt64(1) << UInt64(positionBits) - 1)
        return lowerBound(low, keys)..<upperBound(high, keys)
    }

    private static func lowerBound(_ value: UInt64, _ keys: UnsafeBufferPointer<UInt64>) -> Int {
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if keys[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private static func upperBound(_ value: UInt64, _ keys: UnsafeBufferPointer<UInt64>) -> Int {
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if keys[mid] <= value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
