import LedgerCrypto

/// A cursor over bytes expected in RFC 8785 form, for `CanonicalEntryReader`. It reads only what RFC 8785
/// writes and what `JSONParser` reads to the same value, and gives nil for anything else, without saying
/// why: the caller then reads the bytes the general way, which finds and words the error.
///
/// - A string is `"`, then raw UTF-8 without control characters, with no escape but `\"`, `\\`, `\n` and
///   `\t` (the forms RFC 8785 writes for those characters), then `"`.
/// - An integer is `0`, or 1 to 15 digits without a leading zero: an exact double that RFC 8785 writes as
///   those digits, and that `JSONValue.integerValue` reads back (no sign: every integer of an entry is at
///   least 0).
/// - A digest is a string of 64 lower-case hex digits.
struct CanonicalCursor {
    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var index: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    var isAtEnd: Bool { index == bytes.count }

    /// Consumes `text` when the bytes at the cursor are exactly it.
    mutating func take(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        let here = UnsafeRawBufferPointer(start: bytes.baseAddress! + index, count: count)
        guard ByteComparison.equal(here, UnsafeRawBufferPointer(start: text.utf8Start, count: count)) else { return false }
        index += count
        return true
    }

    /// Consumes one byte when it is `byte`.
    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// A string of at most `maxBytes` UTF-8 bytes once decoded, not empty unless `allowEmpty`.
    mutating func string(maxBytes: Int, allowEmpty: Bool = false) -> String? {
        guard take(0x22) else { return nil }
        let start = index
        var escapes = 0, ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 { break }
            if byte == 0x5C {
                guard index + 1 < bytes.count else { return nil }
                switch bytes[index + 1] {
                case 0x22, 0x5C, UInt8(ascii: "n"), UInt8(ascii: "t"): escapes += 1
                default: return nil
                }
                index += 2
                continue
            }
            if byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        guard index < bytes.count else { return nil }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
        index += 1  // the closing quote
        let decodedCount = raw.count - escapes
        guard decodedCount <= maxBytes, allowEmpty || decodedCount > 0 else { return nil }
        if escapes == 0 {
            return ascii ? String(decoding: raw, as: UTF8.self) : String(validating: raw, as: UTF8.self)
        }
        var decoded = [UInt8]()
        decoded.reserveCapacity(decodedCount)
        var i = 0
        while i < raw.count {
            guard raw[i] == 0x5C else {
                decoded.append(raw[i])
                i += 1
                continue
            }
            switch raw[i + 1] {
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case let quoteOrBackslash: decoded.append(quoteOrBackslash)
            }
            i += 2
        }
        return ascii ? String(decoding: decoded, as: UTF8.self) : String(validating: decoded, as: UTF8.self)
    }

    /// A non-negative integer as RFC 8785 writes it: `0`, or 1 to 15 digits without a leading zero.
    mutating func integer() -> Int? {
        let start = index
        var value = 0
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
            value = value * 10 + Int(bytes[index] - 0x30)
            index += 1
            guard index - start <= 15 else { return nil }
        }
        let digits = index - start
        guard digits >= 1, !(digits > 1 && bytes[start] == 0x30) else { return nil }
        // A fraction or an exponent would follow the digits; the caller's next `take` refuses both, but a
        // number is refused here whole so that a cursor never stops inside one.
        guard index == bytes.count || (bytes[index] != 0x2E && bytes[index] | 0x20 != UInt8(ascii: "e")) else { return nil }
        return value
    }

    /// A string of 64 lower-case hex digits, as `SHA256Digest(hex:)` reads them.
    mutating func digest() -> SHA256Digest? {
        guard bytes.count - index >= 66, bytes[index] == 0x22, bytes[index + 65] == 0x22,
              let digest = SHA256Digest(hexUTF8: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[(index + 1)..<(index + 65)])))
        else { return nil }
        index += 66
        return digest
    }
}
