extension JCS {
    /// True only when `text`, which `JSONParser` has accepted, is certainly already in RFC 8785 form, that
    /// is equal to `canonicalize(parse(text))`; false means "not known": re-serialise to decide. One pass
    /// over the bytes, without building anything, for the common case of text written canonically.
    ///
    /// It answers true only for text where:
    /// - no whitespace stands outside strings;
    /// - strings use only the escapes RFC 8785 writes for themselves (`\"`, `\\`, `\b`, `\t`, `\n`, `\f`,
    ///   `\r`), and member names none at all; the parser has rejected raw control characters and invalid
    ///   UTF-8, which JCS would otherwise have changed;
    /// - numbers are `0` or integers of at most 15 digits without a leading zero or `-0` (exact doubles,
    ///   which ECMAScript formats as those digits);
    /// - each object's member names strictly increase in UTF-16 order.
    ///
    /// Anything else (`\u` escapes, fractions, exponents, longer integers, escaped names) gets false.
    public static func isCertainlyCanonical(_ text: UnsafeRawBufferPointer) -> Bool {
        let bytes = text.assumingMemoryBound(to: UInt8.self)
        var index = 0
        // The open containers, innermost last, each with the previous member name of an object.
        var frames: [NameFrame] = []
        // True when the next string is a member name: just after `{`, or after `,` in an object.
        var expectingName = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case ASCII.openBrace, ASCII.openBracket:
                frames.append(NameFrame(isObject: byte == ASCII.openBrace))
                expectingName = byte == ASCII.openBrace
                index += 1
            case ASCII.closeBrace, ASCII.closeBracket:
                guard !frames.isEmpty else { return false }
                frames.removeLast()
                expectingName = false
                index += 1
            case ASCII.comma:
                expectingName = frames.last?.isObject == true
                index += 1
            case ASCII.colon:
                expectingName = false
                index += 1
            case ASCII.quote:
                let start = index + 1
                guard let close = endOfString(bytes, from: start, allowEscapes: !expectingName) else { return false }
                if expectingName {
                    guard !frames.isEmpty else { return false }
                    let name = UnsafeBufferPointer(rebasing: bytes[start..<close])
                    if let previous = frames[frames.count - 1].previousName {
                        let before = UnsafeBufferPointer(rebasing: bytes[previous])
                        guard utf8PrecedesInUTF16Order(before, name) else { return false }
                    }
                    frames[frames.count - 1].previousName = start..<close
                    expectingName = false
                }
                index = close + 1
            case ASCII.minus, ASCII.zero...ASCII.nine:
                guard let next = endOfCanonicalInteger(bytes, from: index) else { return false }
                index = next
            case UInt8(ascii: "t"), UInt8(ascii: "n"):
                index += 4  // `true`, `null`: the parser accepted the text, so these are the literal's letters
            case UInt8(ascii: "f"):
                index += 5  // `false`
            default:
                return false  // whitespace, or anything the parser would not have accepted
            }
        }
        return frames.isEmpty
    }

    /// An open container of `isCertainlyCanonical`, and the byte range of its last member name so far.
    private struct NameFrame {
        let isObject: Bool
        var previousName: Range<Int>?

        init(isObject: Bool) {
            self.isObject = isObject
        }
    }

    /// The index of the closing quote of the string whose contents start at `start`, or nil when it holds an
    /// escape RFC 8785 would not write (any escape at all when `allowEscapes` is false).
    private static func endOfString(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, allowEscapes: Bool) -> Int? {
        var index = start
        while index < bytes.count {
            if index + 8 <= bytes.count,
               !SWAR.needsAttention(UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self), highBit: false) {
                index += 8  // no quote or backslash among these 8 bytes (nor a control character)
                continue
            }
            switch bytes[index] {
            case ASCII.quote:
                return index
            case ASCII.backslash:
                guard allowEscapes, index + 1 < bytes.count else { return nil }
                switch bytes[index + 1] {
                case ASCII.quote, ASCII.backslash, UInt8(ascii: "b"), UInt8(ascii: "t"), UInt8(ascii: "n"),
                     UInt8(ascii: "f"), UInt8(ascii: "r"):
                    index += 2
                default:
                    return nil
                }
            default:
                index += 1
            }
        }
        return nil
    }

    /// The index after the number starting at `start` when it is `0` or an integer of 1 to 15 digits with
    /// no leading zero (and not `-0`); nil for any other number.
    private static func endOfCanonicalInteger(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        if bytes[index] == ASCII.minus { index += 1 }
        let digitsStart = index
        while index < bytes.count, (ASCII.zero...ASCII.nine).contains(bytes[index]) { index += 1 }
        let digits = index - digitsStart
        guard digits >= 1, digits <= 15 else { return nil }
        if bytes[digitsStart] == ASCII.zero && (digits > 1 || digitsStart > start) { return nil }
        if index < bytes.count, bytes[index] == ASCII.dot || bytes[index] | 0x20 == UInt8(ascii: "e") { return nil }
        return index
    }
}
