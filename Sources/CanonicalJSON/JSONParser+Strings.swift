extension ParserCore {
    /// Parses the string starting at the `"` at `pos` (RFC 8259 section 7) and leaves `pos` after
    /// the closing quote. Raw bytes must be well-formed UTF-8 (RFC 3629 section 4) and not control
    /// characters; `\u` escapes must not produce lone surrogates (RFC 7493 section 2.1).
    mutating func parseString() throws(JSONParseError) -> String {
        let quote = pos
        pos += 1
        let start = pos
        while pos < end {
            skipPlainASCII()
            guard pos < end else { break }
            let byte = base[pos]
            if byte == ASCII.quote {
                let length = pos - start
                try checkStringLength(length, stringAt: quote)
                pos += 1
                return String(decoding: UnsafeBufferPointer(start: base + start, count: length), as: UTF8.self)
            }
            if byte == ASCII.backslash {
                return try parseEscapedString(quote: quote, start: start)
            }
            try advanceStringByte(byte)
        }
        throw fail(.syntax, at: quote, "unterminated string")
    }

    /// Slow path once the first escape is seen: decodes into `scratch`.
    private mutating func parseEscapedString(quote: Int, start: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        var segment = start
        while pos < end {
            skipPlainASCII()
            guard pos < end else { break }
            let byte = base[pos]
            if byte == ASCII.quote {
                appendSegment(from: segment)
                try checkStringLength(scratch.count, stringAt: quote)
                pos += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte == ASCII.backslash {
                appendSegment(from: segment)
                try decodeEscape(quote: quote)
                segment = pos
                try checkStringLength(scratch.count, stringAt: quote)
            } else {
                try advanceStringByte(byte)
            }
        }
        throw fail(.syntax, at: quote, "unterminated string")
    }

    /// Advances over 8-byte words containing only printable ASCII other than `"` and `\`.
    @inline(__always)
    private mutating func skipPlainASCII() {
        while pos + 8 <= end {
            let word = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self)
            if SWAR.needsAttention(word, highBit: true) { return }
            pos += 8
        }
    }

    @inline(__always)
    private mutating func advanceStringByte(_ byte: UInt8) throws(JSONParseError) {
        if byte >= 0x80 {
            try validateUTF8Sequence()
        } else if byte < 0x20 {
            throw fail(.controlCharacter, at: pos,
                       "unescaped control character 0x\(hex(byte)) in string (RFC 8259 section 7)")
        } else {
            pos += 1
        }
    }

    private mutating func appendSegment(from segment: Int) {
        if pos > segment {
            scratch.append(contentsOf: UnsafeBufferPointer(start: base + segment, count: pos - segment))
        }
    }

    private func checkStringLength(_ length: Int, stringAt quote: Int) throws(JSONParseError) {
        guard length <= limits.maxStringBytes else {
            throw fail(.stringTooLong, at: quote,
                       "string of \(length) bytes exceeds limit \(limits.maxStringBytes)")
        }
    }

    /// Decodes the escape at `pos` (a backslash) into `scratch` and advances past it.
    private mutating func decodeEscape(quote: Int) throws(JSONParseError) {
        let escape = pos
        guard pos + 1 < end else { throw fail(.syntax, at: quote, "unterminated string") }
        let decoded: UInt8
        switch base[pos + 1] {
        case ASCII.quote: decoded = ASCII.quote
        case ASCII.backslash: decoded = ASCII.backslash
        case ASCII.slash: decoded = ASCII.slash
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"):
            try decodeUnicodeEscape()
            return
        default:
            let what = base[pos + 1]
            let shown = what >= 0x20 && what < 0x7F
                ? "'\\\(String(decoding: CollectionOfOne(what), as: UTF8.self))'" : "byte 0x\(hex(what))"
            throw fail(.invalidEscape, at: escape, "invalid escape \(shown)")
        }
        scratch.append(decoded)
        pos += 2
    }

    /// `\uXXXX`, or a `\uD8xx\uDCxx` surrogate pair (RFC 8259 section 7), appended as UTF-8.
    private mutating func decodeUnicodeEscape() throws(JSONParseError) {
        let escape = pos
        let unit = try hex4(at: pos + 2, escape: escape)
        pos += 6
        var scalar = unit
        if unit >= 0xD800 && unit <= 0xDBFF {
            guard pos + 1 < end, base[pos] == ASCII.backslash, base[pos + 1] == UInt8(ascii: "u") else {
                throw fail(.loneSurrogate, at: escape,
                           "high surrogate \\u\(hex16(unit)) is not followed by a low surrogate escape")
            }
            let low = try hex4(at: pos + 2, escape: pos)
            guard low >= 0xDC00 && low <= 0xDFFF else {
                throw fail(.loneSurrogate, at: escape,
                           "high surrogate \\u\(hex16(unit)) is followed by \\u\(hex16(low)), not a low surrogate")
            }
            pos += 6
            scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        } else if unit >= 0xDC00 && unit <= 0xDFFF {
            throw fail(.loneSurrogate, at: escape, "low surrogate \\u\(hex16(unit)) without a preceding high surrogate")
        }
        appendUTF8(scalar)
    }

    private func hex4(at offset: Int, escape: Int) throws(JSONParseError) -> UInt32 {
        guard offset + 4 <= end else {
            throw fail(.invalidEscape, at: escape, "truncated \\u escape")
        }
        var value: UInt32 = 0
        for i in 0..<4 {
            let byte = base[offset + i]
            let digit: UInt8
            switch byte {
            case ASCII.zero...ASCII.nine: digit = byte - ASCII.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail(.invalidEscape, at: escape, "\\u escape requires four hexadecimal digits")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private func hex16(_ unit: UInt32) -> String {
        hex(UInt8(unit >> 8)) + hex(UInt8(unit & 0xFF))
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Validates one multi-byte UTF-8 sequence whose lead byte is at `pos` against the
    /// well-formed byte sequences of RFC 3629 section 4, and advances past it.
    mutating func validateUTF8Sequence() throws(JSONParseError) {
        let lead = base[pos]
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        let continuations: Int
        switch lead {
        case 0xC2...0xDF: continuations = 1
        case 0xE0: continuations = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: continuations = 2
        case 0xED: continuations = 2; high = 0x9F
        case 0xF0: continuations = 3; low = 0x90
        case 0xF1...0xF3: continuations = 3
        case 0xF4: continuations = 3; high = 0x8F
        case 0x80...0xBF:
            throw fail(.invalidUTF8, at: pos, "invalid UTF-8: unexpected continuation byte 0x\(hex(lead))")
        case 0xC0, 0xC1:
            throw fail(.invalidUTF8, at: pos, "invalid UTF-8: overlong encoding (lead byte 0x\(hex(lead)))")
        default:
            throw fail(.invalidUTF8, at: pos, "invalid UTF-8: byte 0x\(hex(lead)) cannot start a sequence")
        }
        guard pos + continuations < end else {
            throw fail(.invalidUTF8, at: pos, "invalid UTF-8: truncated sequence")
        }
        let second = base[pos + 1]
        guard second >= low && second <= high else {
            let reason: String
            switch (lead, second) {
            case (_, ..<0x80), (_, 0xC0...): reason = "truncated sequence"
            case (0xE0, _), (0xF0, _): reason = "overlong encoding"
            case (0xED, _): reason = "encoded surrogate"
            default: reason = "code point above U+10FFFF"
            }
            throw fail(.invalidUTF8, at: pos, "invalid UTF-8: \(reason)")
        }
        var index = 2
        while index <= continuations {
            guard base[pos + index] & 0xC0 == 0x80 else {
                throw fail(.invalidUTF8, at: pos, "invalid UTF-8: truncated sequence")
            }
            index += 1
        }
        pos += continuations + 1
    }
}

/// Word-at-a-time byte classification (exact for "some byte matches"; endianness-independent).
public enum SWAR {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

    /// True if some byte of `word` is `byte`: the "has a zero byte" test on the word XOR the byte repeated,
    /// which has no false positives as a whole.
    @inlinable @inline(__always)
    public static func contains(_ word: UInt64, byte: UInt8) -> Bool {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs != 0
    }

    /// True if some byte of `word` is `"`, `\\`, below 0x20, or (with `highBit`) at least 0x80.
    @inline(__always)
    static func needsAttention(_ word: UInt64, highBit: Bool) -> Bool {
        let control = (word &- ones &* 0x20) & ~word
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hits = control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
        return (hits | (highBit ? word : 0)) & highs != 0
    }
}
