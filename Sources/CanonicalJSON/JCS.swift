/// RFC 8785 JSON Canonicalization Scheme.
public enum JCS {
    /// The canonical UTF-8 bytes of `value` (RFC 8785 section 3.2). Throws for NaN or infinite numbers.
    /// Recurses once per nesting level; values from `JSONParser` are bounded by `JSONLimits.maxDepth`.
    public static func canonicalize(_ value: JSONValue) throws(JCSError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        try canonicalize(value, into: &output)
        return output
    }

    /// Appends the canonical bytes of `value` to `output`. On error `output` is left unchanged.
    public static func canonicalize(_ value: JSONValue, into output: inout [UInt8]) throws(JCSError) {
        let mark = output.count
        do {
            try write(value, into: &output)
        } catch {
            output.removeSubrange(mark...)
            throw error
        }
    }

    /// ECMAScript Number::toString (RFC 8785 section 3.2.2.3) for a finite double; -0 -> "0".
    public static func formatNumber(_ value: Double) throws(JCSError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        try appendNumber(value, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the canonical form of the integer `value`: exactly what `canonicalize(.number(Double(value)))`
    /// writes (an integer beyond 2^53 is rounded to a double first, as in the `JSONValue` it would become).
    public static func appendInteger(_ value: Int, into output: inout [UInt8]) {
        // A double converted from an Int is always finite, so this cannot throw.
        try? appendNumber(Double(value), into: &output)
    }

    /// True when `a` sorts before `b` by UTF-16 code units (RFC 8785 section 3.2.3).
    public static func precedesInUTF16Order(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in utf8PrecedesInUTF16Order(x, y) }
        }
        if let result = fast ?? nil { return result }
        return a.utf16.lexicographicallyPrecedes(b.utf16)
    }

    private static func write(_ value: JSONValue, into output: inout [UInt8]) throws(JCSError) {
        switch value {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let flag):
            output.append(contentsOf: flag ? "true".utf8 : "false".utf8)
        case .number(let number):
            try appendNumber(number, into: &output)
        case .string(let string):
            appendString(string, into: &output)
        case .array(let elements):
            output.append(ASCII.openBracket)
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(ASCII.comma) }
                try write(element, into: &output)
            }
            output.append(ASCII.closeBracket)
        case .object(let members):
            output.append(ASCII.openBrace)
            let sorted = members.sorted { precedesInUTF16Order($0.key, $1.key) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { output.append(ASCII.comma) }
                appendString(member.key, into: &output)
                output.append(ASCII.colon)
                try write(member.value, into: &output)
            }
            output.append(ASCII.closeBrace)
        }
    }

    /// Compares well-formed UTF-8 as UTF-16 code unit sequences without transcoding.
    ///
    /// UTF-8 byte order equals code point order, which differs from UTF-16 order only between
    /// U+E000...U+FFFF (lead bytes 0xEE, 0xEF) and supplementary code points (lead bytes
    /// 0xF0...0xF4, encoded as surrogates 0xD800...0xDFFF). At the first differing byte both
    /// strings share a prefix, so that byte is either a continuation byte in both (same lead,
    /// same ordering) or a lead byte in both, where 0xEE/0xEF must sort above 0xF0...0xF4.
    static func utf8PrecedesInUTF16Order(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(a.count, b.count)
        var index = 0
        while index < common {
            let x = a[index], y = b[index]
            if x != y {
                return utf16Weight(x) < utf16Weight(y)
            }
            index += 1
        }
        return a.count < b.count
    }

    @inline(__always)
    private static func utf16Weight(_ byte: UInt8) -> UInt16 {
        byte == 0xEE || byte == 0xEF ? UInt16(byte) &+ 0x10 : UInt16(byte)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// RFC 8785 section 3.2.2.2: escape only `"`, `\` and U+0000...U+001F (short forms for
    /// \b \t \n \f \r, otherwise `\u00xx` in lowercase hex); everything else is emitted as UTF-8.
    public static func appendString(_ string: String, into output: inout [UInt8]) {
        output.append(ASCII.quote)
        if string.utf8.withContiguousStorageIfAvailable({ appendEscaped($0, into: &output) }) == nil {
            var native = string
            native.withUTF8 { appendEscaped($0, into: &output) }
        }
        output.append(ASCII.quote)
    }

    private static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        var run = 0
        var index = 0
        while index < utf8.count {
            if index + 8 <= utf8.count {
                let word = UnsafeRawPointer(utf8.baseAddress! + index).loadUnaligned(as: UInt64.self)
                if !SWAR.needsAttention(word, highBit: false) {
                    index += 8
                    continue
                }
            }
            let byte = utf8[index]
            index += 1
            guard byte < 0x20 || byte == ASCII.quote || byte == ASCII.backslash else { continue }
            if index - 1 > run {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<(index - 1)]))
            }
            run = index
            output.append(ASCII.backslash)
            switch byte {
            case ASCII.quote, ASCII.backslash: output.append(byte)
            case 0x08: output.append(UInt8(ascii: "b"))
            case 0x09: output.append(UInt8(ascii: "t"))
            case 0x0A: output.append(UInt8(ascii: "n"))
            case 0x0C: output.append(UInt8(ascii: "f"))
            case 0x0D: output.append(UInt8(ascii: "r"))
            default:
                output.append(contentsOf: [UInt8(ascii: "u"), ASCII.zero, ASCII.zero,
                                           hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
            }
        }
        if utf8.count > run {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
    }
}
