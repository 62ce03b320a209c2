/// A SHA-256 output (FIPS 180-4), stored inline so that making or copying one never allocates.
/// Ordered by unsigned lexicographic comparison of the 32 bytes.
public struct SHA256Digest: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let byteCount = 32
    public static let zero = SHA256Digest(storage: (0, 0, 0, 0))

    /// The 32 bytes in order, as four words in memory order (not host integers).
    private var storage: (UInt64, UInt64, UInt64, UInt64)

    private init(storage: (UInt64, UInt64, UInt64, UInt64)) {
        self.storage = storage
    }

    /// Nil unless `bytes` holds exactly 32 bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        self = .zero
        withUnsafeMutableBytes { $0.copyBytes(from: bytes) }
    }

    /// `init?(bytes:)` for raw bytes: four loads, no generic copy.
    public init?(bytes raw: UnsafeRawBufferPointer) {
        guard raw.count == Self.byteCount else { return nil }
        self.init(storage: (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                            raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
    }

    /// Nil unless `hex` is exactly 64 lowercase hexadecimal digits; uppercase is rejected so
    /// that each digest has one text form. The concrete overloads below take the same text faster.
    public init?(hex: some StringProtocol) {
        let utf8 = hex.utf8
        guard utf8.count == 2 * Self.byteCount else { return nil }
        var result = SHA256Digest.zero
        let parsed: Bool = result.withUnsafeMutableBytes { destination in
            var index = utf8.startIndex
            for offset in 0..<Self.byteCount {
                let high = utf8[index]
                utf8.formIndex(after: &index)
                let low = utf8[index]
                utf8.formIndex(after: &index)
                guard let h = Self.lowercaseHexValue(high), let l = Self.lowercaseHexValue(low) else {
                    return false
                }
                destination[offset] = h << 4 | l
            }
            return true
        }
        guard parsed else { return nil }
        self = result
    }

    /// `init?(hex:)` for a `String`, decoded from its contiguous UTF-8 (no generic witness calls).
    public init?(hex: String) {
        var text = hex
        guard let digest = text.withUTF8({ Self.decode(hexUTF8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = digest
    }

    /// `init?(hex:)` for a `Substring`, decoded from its contiguous UTF-8.
    public init?(hex: Substring) {
        var text = hex
        guard let digest = text.withUTF8({ Self.decode(hexUTF8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = digest
    }

    /// `init?(hex:)` for text given as UTF-8 bytes: nil unless exactly 64 lowercase hexadecimal digits.
    public init?(hexUTF8 bytes: UnsafeRawBufferPointer) {
        guard let digest = Self.decode(hexUTF8: bytes) else { return nil }
        self = digest
    }

    private static func decode(hexUTF8 text: UnsafeRawBufferPointer) -> SHA256Digest? {
        guard text.count == 2 * byteCount else { return nil }
        var result = SHA256Digest.zero
        let parsed: Bool = result.withUnsafeMutableBytes { destination in
            var invalid: UInt8 = 0
            for offset in 0..<byteCount {
                let high = nibble(text[2 * offset]), low = nibble(text[2 * offset + 1])
                invalid |= (high | low) & 0xF0
                destination[offset] = high << 4 | (low & 0x0F)
            }
            return invalid == 0
        }
        return parsed ? result : nil
    }

    /// The value of a lowercase hexadecimal digit, or 0xFF for any other byte.
    @inline(__always)
    private static func nibble(_ character: UInt8) -> UInt8 {
        let digit = character &- UInt8(ascii: "0")
        if digit < 10 { return digit }
        let letter = character &- UInt8(ascii: "a")
        return letter < 6 ? letter + 10 : 0xFF
    }

    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// 64 lowercase hexadecimal digits.
    public var hex: String {
        withUnsafeBytes { source in
            String(unsafeUninitializedCapacity: 2 * Self.byteCount) { text in
                let digits: StaticString = "0123456789abcdef"
                let table = digits.utf8Start
                for (offset, byte) in source.enumerated() {
                    text[2 * offset] = table[Int(byte >> 4)]
                    text[2 * offset + 1] = table[Int(byte & 0x0f)]
                }
                return 2 * Self.byteCount
            }
        }
    }

    /// Appends the 64 lowercase hexadecimal digits of `hex` to `out`, as bytes.
    public func appendHex(to out: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        let table = digits.utf8Start
        withUnsafeBytes { source in
            for byte in source {
                out.append(table[Int(byte >> 4)])
                out.append(table[Int(byte & 0x0f)])
            }
        }
    }

    public var description: String { hex }

    /// Calls `body` with the 32 bytes; the buffer is valid only during the call.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage, body)
    }

    /// Calls `body` with the 32 bytes, writable (filled in by a hash finalisation).
    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeMutableBytes(of: &storage, body)
    }

    public static func == (lhs: SHA256Digest, rhs: SHA256Digest) -> Bool {
        lhs.storage.0 == rhs.storage.0 && lhs.storage.1 == rhs.storage.1
            && lhs.storage.2 == rhs.storage.2 && lhs.storage.3 == rhs.storage.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
    }

    /// Byte-wise lexicographic order: each word read big-endian compares as its 8 bytes do.
    public static func < (lhs: SHA256Digest, rhs: SHA256Digest) -> Bool {
        let l = (lhs.storage.0.bigEndian, lhs.storage.1.bigEndian, lhs.storage.2.bigEndian, lhs.storage.3.bigEndian)
        let r = (rhs.storage.0.bigEndian, rhs.storage.1.bigEndian, rhs.storage.2.bigEndian, rhs.storage.3.bigEndian)
        return l < r
    }

    private static func lowercaseHexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
