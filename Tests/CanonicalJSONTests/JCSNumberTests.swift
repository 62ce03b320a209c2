import CanonicalJSON
import Testing

@Suite("RFC 8785 section 3.2.2.3 number serialization")
struct JCSNumberTests {
    /// RFC 8785 Appendix B; "error" marks NaN and Infinity.
    @Test func appendixB() throws {
        let table = try Vectors.numberTable("rfc8785-appendix-b-numbers.txt")
        #expect(table.count == 26)
        for (bits, expected) in table {
            let value = Double(bitPattern: bits)
            if expected == "error" {
                #expect(throws: JCSError.self, "0x\(String(bits, radix: 16))") { try JCS.formatNumber(value) }
                #expect(throws: JCSError.self) { try JCS.canonicalize(.number(value)) }
            } else {
                #expect(try JCS.formatNumber(value) == expected, "0x\(String(bits, radix: 16))")
                #expect(try JCS.canonicalize([.number(value)]) == Array("[\(expected)]".utf8))
            }
        }
    }

    /// Random doubles with Node.js `String(x)` as the oracle; parsing the text must give the same bits.
    @Test func matchesECMAScriptOnRandomValues() throws {
        let table = try Vectors.numberTable("es-number-tostring-random.txt")
        #expect(table.count == 2000)
        for (bits, expected) in table {
            let value = Double(bitPattern: bits)
            #expect(try JCS.formatNumber(value) == expected, "0x\(String(bits, radix: 16))")
            let parsed = try JSONParser.parse(expected).doubleValue
            #expect(parsed?.bitPattern == bits, "parse(\(expected))")
        }
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-1.5, "-1.5"), (1e20, "100000000000000000000"),
        (1e21, "1e+21"), (-1e21, "-1e+21"), (123e20, "1.23e+22"), (1e-6, "0.000001"),
        (1.5e-6, "0.0000015"), (1e-7, "1e-7"), (1.5e-7, "1.5e-7"), (-1.25e-10, "-1.25e-10"),
        (0.1, "0.1"), (100.25, "100.25"), (9007199254740991.0, "9007199254740991"),
        (9007199254740992.0, "9007199254740992"), (18014398509481984.0, "18014398509481984"),
        (4.35, "4.35"), (0.3, "0.3"), (Double(bitPattern: 4), "2e-323"), (1e308, "1e+308"),
    ])
    func layout(_ value: Double, _ expected: String) throws {
        #expect(try JCS.formatNumber(value) == expected)
    }

    @Test func nonFiniteValuesAreRejected() {
        for value in [Double.nan, -.nan, .signalingNaN, .infinity, -.infinity] {
            #expect(throws: JCSError.self) { try JCS.formatNumber(value) }
        }
        #expect(throws: JCSError(detail: "Infinity is not representable in RFC 8785 JSON")) {
            try JCS.canonicalize(["x": .number(.infinity)])
        }
    }
}
