import CanonicalJSON
import Testing

@Suite("RFC 8785 canonicalization vectors")
struct JCSVectorTests {
    static let inputs = Vectors.names(suffix: ".input.json")

    @Test func allVectorsArePresent() {
        #expect(Self.inputs.count == 13)
        for input in Self.inputs {
            let expected = input.replacingOccurrences(of: ".input.json", with: ".expected.json")
            #expect(Vectors.names(suffix: ".expected.json").contains(expected), "\(input) has no expected file")
        }
    }

    @Test(arguments: inputs)
    func canonicalizesToExpected(_ input: String) throws {
        let expected = try Vectors.bytes(input.replacingOccurrences(of: ".input.json", with: ".expected.json"))
        let value = try JSONParser.parse(try Vectors.bytes(input))
        let canonical = try JCS.canonicalize(value)
        #expect(String(decoding: canonical, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        #expect(canonical == expected)
    }

    @Test(arguments: inputs)
    func canonicalFormRoundTrips(_ input: String) throws {
        let canonical = try Vectors.bytes(input.replacingOccurrences(of: ".input.json", with: ".expected.json"))
        let reparsed = try JSONParser.parse(canonical)
        #expect(try JCS.canonicalize(reparsed) == canonical)
        #expect(reparsed == (try JSONParser.parse(try Vectors.bytes(input))))
    }

    /// RFC 8785 section 3.2.4: the UTF-8 bytes of the section 3.2.2 sample, as printed in the RFC.
    @Test func section324Bytes() throws {
        let hex = """
            7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61 6c 73 65 5d 2c
            22 6e 75 6d 62 65 72 73 22 3a 5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
            65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37 5d 2c 22 73 74 72 69 6e 67 22
            3a 22 e2 82 ac 24 5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d
            """
        let expected = hex.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { UInt8($0, radix: 16)! }
        let value = try JSONParser.parse(try Vectors.bytes("rfc8785-3.2.2-sample.input.json"))
        #expect(try JCS.canonicalize(value) == expected)
    }

    /// RFC 8785 section 3.2.3: the member values listed in the order the RFC gives.
    @Test func section323SortOrder() throws {
        let canonical = try Vectors.bytes("rfc8785-3.2.3-sorting.expected.json")
        let value = try JSONParser.parse(try Vectors.bytes("rfc8785-3.2.3-sorting.input.json"))
        #expect(try JCS.canonicalize(value) == canonical)
        let order = [
            "Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis",
            "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh",
        ]
        var positions: [Int] = []
        let text = String(decoding: canonical, as: UTF8.self)
        for name in order {
            let range = try #require(text.range(of: "\"\(name)\""))
            positions.append(text.distance(from: text.startIndex, to: range.lowerBound))
        }
        #expect(positions == positions.sorted())
    }

    @Test func canonicalizeIntoAppendsAndRestoresOnError() throws {
        var output = Array("prefix:".utf8)
        try JCS.canonicalize(["b": 1, "a": [true, nil, "x"]], into: &output)
        #expect(String(decoding: output, as: UTF8.self) == #"prefix:{"a":[true,null,"x"],"b":1}"#)

        let before = output
        #expect(throws: JCSError.self) {
            try JCS.canonicalize(["a": [1, 2, .number(.nan)]], into: &output)
        }
        #expect(output == before)
    }
}
