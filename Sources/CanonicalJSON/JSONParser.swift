/// Strict RFC 8259 parser producing `JSONValue`.
///
/// Accepts exactly `ws value ws` (RFC 8259 section 2: whitespace before and after the single
/// top-level value is allowed, anything else after it is `.trailingBytes`) as UTF-8 without a
/// byte order mark (section 8.1). Following I-JSON (RFC 7493) it also rejects duplicate member
/// names (section 2.3), lone surrogates and invalid UTF-8 (section 2.1) and numbers that overflow
/// IEEE 754 binary64 (section 2.2); Unicode noncharacters are accepted. Member names that Swift's
/// `String` treats as equal (canonically equivalent but not identical) are also `.duplicateKey`,
/// because `[String: JSONValue]` cannot hold both.
///
/// Parsing is a single pass without recursion; the first error found is thrown.
public enum JSONParser {
    public static func parse(
        _ bytes: UnsafeRawBufferPointer, limits: JSONLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else {
            throw JSONParseError(
                code: .tooLarge, offset: limits.maxBytes,
                detail: "document of \(bytes.count) bytes exceeds limit \(limits.maxBytes)")
        }
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw JSONParseError(code: .empty, offset: 0, detail: "empty input")
        }
        var parser = ParserCore(
            base: base.assumingMemoryBound(to: UInt8.self), end: bytes.count, limits: limits)
        return try parser.parseDocument()
    }

    public static func parse(
        _ bytes: [UInt8], limits: JSONLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) in try parse(raw, limits: limits) }
        }
        return try result.get()
    }

    public static func parse(
        _ text: String, limits: JSONLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(JSONParseError) in try parse(UnsafeRawBufferPointer(utf8), limits: limits) }
        }
        return try result.get()
    }
}

enum ASCII {
    static let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C, slash: UInt8 = 0x2F
    static let comma: UInt8 = 0x2C, colon: UInt8 = 0x3A, minus: UInt8 = 0x2D, plus: UInt8 = 0x2B
    static let dot: UInt8 = 0x2E, zero: UInt8 = 0x30, nine: UInt8 = 0x39
    static let openBracket: UInt8 = 0x5B, closeBracket: UInt8 = 0x5D
    static let openBrace: UInt8 = 0x7B, closeBrace: UInt8 = 0x7D
}

/// Single-pass, iterative (non-recursive) parser over a contiguous UTF-8 buffer.
struct ParserCore {
    let base: UnsafePointer<UInt8>
    let end: Int
    let limits: JSONLimits
    var pos = 0
    /// Reused buffer for decoding strings that contain escapes.
    var scratch: [UInt8] = []

    init(base: UnsafePointer<UInt8>, end: Int, limits: JSONLimits) {
        self.base = base
        self.end = end
        self.limits = limits
    }

    private enum Frame { case array, object }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        if end >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF {
            throw fail(.syntax, at: 0, "byte order mark is not allowed (RFC 8259 section 8.1)")
        }
        skipWhitespace()
        guard pos < end else { throw fail(.empty, at: pos, "input contains only whitespace") }

        var frames: [Frame] = []
        var arrays: [[JSONValue]] = []
        var objects: [[String: JSONValue]] = []
        var keys: [(name: String, offset: Int)] = []

        while true {
            var value: JSONValue
            guard pos < end else { throw fail(.syntax, at: pos, "unexpected end of input, expected a value") }
            switch base[pos] {
            case ASCII.openBracket:
                try checkDepth(frames.count + 1)
                pos += 1
                skipWhitespace()
                if pos < end, base[pos] == ASCII.closeBracket {
                    pos += 1
                    value = .array([])
                } else {
                    try checkCount(0, isObject: false)
                    frames.append(.array)
                    arrays.append([])
                    continue
                }
            case ASCII.openBrace:
                try checkDepth(frames.count + 1)
                pos += 1
                skipWhitespace()
                if pos < end, base[pos] == ASCII.closeBrace {
                    pos += 1
                    value = .object([:])
                } else {
                    try checkCount(0, isObject: true)
                    frames.append(.object)
                    // Room for the members of a typical object without growing it member by member.
                    objects.append(Dictionary(minimumCapacity: 8))
                    keys.append(try parseMemberName())
                    continue
                }
            case ASCII.quote:
                value = .string(try parseString())
            case ASCII.minus, ASCII.zero...ASCII.nine:
                value = .number(try parseNumber())
            default:
                value = try parseLiteral()
            }

            attach: while true {
                skipWhitespace()
                guard let frame = frames.last else {
                    guard pos == end else {
                        throw fail(.trailingBytes, at: pos, "unexpected data after the top-level value")
                    }
                    return value
                }
                guard pos < end else {
                    throw fail(.syntax, at: pos, "unexpected end of input inside \(frame == .array ? "array" : "object")")
                }
                let byte = base[pos]
                switch frame {
                case .array:
                    let top = arrays.count - 1
                    arrays[top].append(value)
                    if byte == ASCII.comma {
                        pos += 1
                        skipWhitespace()
                        try checkCount(arrays[top].count, isObject: false)
                        break attach
                    } else if byte == ASCII.closeBracket {
                        pos += 1
                        frames.removeLast()
                        value = .array(arrays.removeLast())
                    } else {
                        throw unexpected(expecting: "',' or ']' after array element")
                    }
                case .object:
                    let top = objects.count - 1
                    let key = keys.removeLast()
                    if objects[top].updateValue(value, forKey: key.name) != nil {
                        throw duplicateKey(key.name, at: key.offset, in: objects[top])
                    }
                    if byte == ASCII.comma {
                        pos += 1
                        skipWhitespace()
                        try checkCount(objects[top].count, isObject: true)
                        keys.append(try parseMemberName())
                        break attach
                    } else if byte == ASCII.closeBrace {
                        pos += 1
                        frames.removeLast()
                        value = .object(objects.removeLast())
                    } else {
                        throw unexpected(expecting: "',' or '}' after object member")
                    }
                }
            }
        }
    }

    /// Parses `string ws ':' ws` at `pos`; returns the name and the offset of its opening quote.
    private mutating func parseMemberName() throws(JSONParseError) -> (name: String, offset: Int) {
        guard pos < end, base[pos] == ASCII.quote else {
            throw unexpected(expecting: "'\"' to start an object member name")
        }
        let start = pos
        let name = try parseString()
        skipWhitespace()
        guard pos < end, base[pos] == ASCII.colon else {
            throw unexpected(expecting: "':' after object member name")
        }
        pos += 1
        skipWhitespace()
        return (name, start)
    }

    private mutating func parseLiteral() throws(JSONParseError) -> JSONValue {
        let start = pos
        switch base[pos] {
        case UInt8(ascii: "t") where matches("true"): pos += 4; return .bool(true)
        case UInt8(ascii: "f") where matches("false"): pos += 5; return .bool(false)
        case UInt8(ascii: "n") where matches("null"): pos += 4; return .null
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            throw fail(.syntax, at: start, "invalid literal (expected true, false or null)")
        case UInt8(ascii: "N"), UInt8(ascii: "I"):
            throw fail(.invalidNumber, at: start, "NaN and Infinity are not valid JSON numbers")
        case ASCII.plus:
            throw fail(.invalidNumber, at: start, "a number must not start with '+'")
        case ASCII.dot:
            throw fail(.invalidNumber, at: start, "a number must start with a digit or '-'")
        default:
            throw unexpected(expecting: "a value")
        }
    }

    private func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard end - pos >= count else { return false }
        let bytes = literal.utf8Start
        for i in 0..<count where base[pos + i] != bytes[i] { return false }
        return true
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < end {
            switch base[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    private func checkDepth(_ depth: Int) throws(JSONParseError) {
        guard depth <= limits.maxDepth else {
            throw fail(.depthExceeded, at: pos, "nesting depth \(depth) exceeds limit \(limits.maxDepth)")
        }
    }

    /// Called before parsing the element that would follow `count` existing ones.
    private func checkCount(_ count: Int, isObject: Bool) throws(JSONParseError) {
        guard count < limits.maxContainerCount else {
            let what = isObject ? "object has more than \(limits.maxContainerCount) members"
                                : "array has more than \(limits.maxContainerCount) elements"
            throw fail(.tooManyMembers, at: pos, what)
        }
    }
}
