extension ParserCore {
    /// `name` collided with a member of `object`: the same string, or one that Swift's
    /// `String` considers equal (canonically equivalent), which a dictionary cannot hold apart.
    func duplicateKey(_ name: String, at offset: Int, in object: [String: JSONValue]) -> JSONParseError {
        if let index = object.index(forKey: name), !JSONValue.exactlyEqual(object[index].key, name) {
            let earlier = object[index].key
            return fail(.duplicateKey, at: offset,
                        "key \(quoted(name)) (\(scalars(name))) is canonically equivalent to earlier key "
                            + "\(quoted(earlier)) (\(scalars(earlier)))")
        }
        return fail(.duplicateKey, at: offset, "duplicate key \(quoted(name))")
    }

    /// Error for an unexpected byte at `pos`; invalid UTF-8 there is reported as such.
    func unexpected(expecting: String) -> JSONParseError {
        guard pos < end else {
            return fail(.syntax, at: pos, "unexpected end of input, expected \(expecting)")
        }
        let byte = base[pos]
        if byte >= 0x80 {
            var probe = self
            do throws(JSONParseError) {
                try probe.validateUTF8Sequence()
            } catch {
                return error
            }
            return fail(.syntax, at: pos, "unexpected non-ASCII character, expected \(expecting)")
        }
        if byte < 0x20 || byte == 0x7F {
            return fail(.syntax, at: pos, "unexpected byte 0x\(hex(byte)), expected \(expecting)")
        }
        let shown = String(decoding: CollectionOfOne(byte), as: UTF8.self)
        return fail(.syntax, at: pos, "unexpected '\(shown)', expected \(expecting)")
    }

    func fail(_ code: JSONParseError.Code, at offset: Int, _ detail: String) -> JSONParseError {
        JSONParseError(code: code, offset: offset, detail: detail)
    }

    func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
    }

    /// "U+0065 U+0301", at most 16 scalars, for error details.
    func scalars(_ text: String) -> String {
        let shown = text.unicodeScalars.prefix(16).map { scalar in
            let digits = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }
        return shown.joined(separator: " ") + (text.unicodeScalars.count > 16 ? " …" : "")
    }

    /// Debug-quoted, truncated to 64 characters, for error details.
    func quoted(_ text: String) -> String {
        text.count > 64 ? String(reflecting: String(text.prefix(64)) + "…") : String(reflecting: text)
    }
}
