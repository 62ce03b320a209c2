extension ParserCore {
    /// Exact powers of ten representable in binary64: 10^0 ... 10^22.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Validates `[ minus ] int [ frac ] [ exp ]` (RFC 8259 section 6) at `pos` and returns the
    /// nearest binary64 value (round-half-even), leaving `pos` after the lexeme. Values whose
    /// magnitude rounds to infinity are `.numberOutOfRange` (RFC 7493 section 2.2); underflow
    /// rounds to (signed) zero like any other correctly rounded conversion.
    mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = pos
        let negative = base[pos] == ASCII.minus
        if negative { pos += 1 }
        guard pos < end, isDigit(base[pos]) else {
            throw fail(.invalidNumber, at: start, "expected a digit after '-'")
        }

        var mantissa: UInt64 = 0
        var significantDigits = 0
        var fractionDigits = 0
        if base[pos] == ASCII.zero {
            pos += 1
            if pos < end, isDigit(base[pos]) {
                throw fail(.invalidNumber, at: start, "leading zeros are not allowed")
            }
        } else {
            while pos < end, isDigit(base[pos]) {
                accumulate(&mantissa, &significantDigits)
            }
        }
        if pos < end, base[pos] == ASCII.dot {
            pos += 1
            guard pos < end, isDigit(base[pos]) else {
                throw fail(.invalidNumber, at: start, "expected a digit after the decimal point")
            }
            while pos < end, isDigit(base[pos]) {
                accumulate(&mantissa, &significantDigits)
                fractionDigits += 1
            }
        }
        var exponent = 0
        if pos < end, base[pos] | 0x20 == UInt8(ascii: "e") {
            pos += 1
            var exponentNegative = false
            if pos < end, base[pos] == ASCII.minus || base[pos] == ASCII.plus {
                exponentNegative = base[pos] == ASCII.minus
                pos += 1
            }
            guard pos < end, isDigit(base[pos]) else {
                throw fail(.invalidNumber, at: start, "expected a digit in the exponent")
            }
            while pos < end, isDigit(base[pos]) {
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(base[pos] - ASCII.zero) }
                pos += 1
            }
            if exponentNegative { exponent = -exponent }
        }

        // Clinger's fast path: an integer below 2^53 times or divided by an exact power of ten
        // is one correctly rounded IEEE 754 operation.
        if significantDigits <= 15 {
            if mantissa == 0 { return negative ? -0.0 : 0.0 }
            let scale = exponent - fractionDigits
            if scale >= -22 && scale <= 22 {
                let magnitude = Double(mantissa)
                let value = scale < 0 ? magnitude / Self.exactPowersOfTen[-scale]
                                      : magnitude * Self.exactPowersOfTen[scale]
                return negative ? -value : value
            }
        }

        let lexeme = String(decoding: UnsafeBufferPointer(start: base + start, count: pos - start), as: UTF8.self)
        guard let value = Double(lexeme) else {
            throw fail(.invalidNumber, at: start, "unparseable number")
        }
        guard value.isFinite else {
            let shown = lexeme.utf8.count > 40 ? String(lexeme.prefix(40)) + "…" : lexeme
            throw fail(.numberOutOfRange, at: start, "number \(shown) overflows IEEE 754 double precision")
        }
        return value
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- ASCII.zero < 10
    }

    /// Consumes the digit at `pos`; keeps the first 19 significant digits in `mantissa`.
    @inline(__always)
    private mutating func accumulate(_ mantissa: inout UInt64, _ significantDigits: inout Int) {
        let digit = base[pos] &- ASCII.zero
        if significantDigits > 0 || digit != 0 {
            significantDigits += 1
            if significantDigits <= 19 { mantissa = mantissa &* 10 &+ UInt64(digit) }
        }
        pos += 1
    }
}
