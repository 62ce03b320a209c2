extension JCS {
    /// Appends ECMAScript Number::toString(value) (ECMA-262 section 6.1.6.1.20, the algorithm
    /// RFC 8785 section 3.2.2.3 requires), with -0 as "0". Throws for NaN and infinities.
    static func appendNumber(_ value: Double, into output: inout [UInt8]) throws(JCSError) {
        guard value.isFinite else {
            let what = value.isNaN ? "NaN" : (value < 0 ? "-Infinity" : "Infinity")
            throw JCSError(detail: "\(what) is not representable in RFC 8785 JSON")
        }
        if value == 0 {
            output.append(ASCII.zero)
            return
        }
        if value < 0 { output.append(ASCII.minus) }
        let magnitude = value.magnitude
        if magnitude < 9_007_199_254_740_992.0, magnitude.rounded(.towardZero) == magnitude {
            // Integers below 2^53 are exact, so their shortest round-trip digits are the integer.
            appendDecimal(UInt64(magnitude), into: &output)
            return
        }
        // Swift's description yields the shortest digit string that round-trips, choosing the
        // one closest to the exact value: the digits s and exponent n of ECMA-262 step 5.
        var text = magnitude.description
        text.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digits in
                let (count, pointPosition) = extractDigits(utf8, into: digits)
                layOut(UnsafeBufferPointer(rebasing: digits[..<count]), pointPosition: pointPosition, into: &output)
            }
        }
    }

    /// Parses Swift's `description` of a positive finite double ("1.5e-07", "0.001", "12.5")
    /// into significant digits without leading/trailing zeros and n, where the value is
    /// 0.d1d2...dk × 10^n.
    private static func extractDigits(
        _ text: UnsafeBufferPointer<UInt8>, into digits: UnsafeMutableBufferPointer<UInt8>
    ) -> (count: Int, pointPosition: Int) {
        var count = 0
        var integerDigits = 0
        var afterPoint = false
        var exponent = 0
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte == ASCII.dot {
                afterPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                var exponentIndex = index + 1
                var negative = false
                if text[exponentIndex] == ASCII.minus || text[exponentIndex] == ASCII.plus {
                    negative = text[exponentIndex] == ASCII.minus
                    exponentIndex += 1
                }
                while exponentIndex < text.count {
                    exponent = exponent * 10 + Int(text[exponentIndex] &- ASCII.zero)
                    exponentIndex += 1
                }
                if negative { exponent = -exponent }
                break
            } else if count == 0 && byte == ASCII.zero {
                if afterPoint { integerDigits -= 1 }
            } else {
                digits[count] = byte
                count += 1
                if !afterPoint { integerDigits += 1 }
            }
            index += 1
        }
        while count > 1 && digits[count - 1] == ASCII.zero { count -= 1 }
        return (count, integerDigits + exponent)
    }

    /// ECMA-262 Number::toString steps 6-10 for digits d1...dk and exponent n.
    private static func layOut(_ digits: UnsafeBufferPointer<UInt8>, pointPosition n: Int, into output: inout [UInt8]) {
        let k = digits.count
        if k <= n && n <= 21 {
            output.append(contentsOf: digits)
            output.append(contentsOf: repeatElement(ASCII.zero, count: n - k))
        } else if 0 < n && n <= 21 {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[..<n]))
            output.append(ASCII.dot)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[n...]))
        } else if -6 < n && n <= 0 {
            output.append(ASCII.zero)
            output.append(ASCII.dot)
            output.append(contentsOf: repeatElement(ASCII.zero, count: -n))
            output.append(contentsOf: digits)
        } else {
            output.append(digits[0])
            if k > 1 {
                output.append(ASCII.dot)
                output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[1...]))
            }
            output.append(UInt8(ascii: "e"))
            let e = n - 1
            output.append(e < 0 ? ASCII.minus : ASCII.plus)
            appendDecimal(UInt64(e.magnitude), into: &output)
        }
    }

    private static func appendDecimal(_ value: UInt64, into output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var remaining = value
            var start = 20
            repeat {
                start -= 1
                buffer[start] = ASCII.zero &+ UInt8(remaining % 10)
                remaining /= 10
            } while remaining > 0
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }
}
