import CanonicalJSON
import Testing

@Suite("Parsing valid RFC 8259 documents")
struct ParserAcceptanceTests {
    @Test func topLevelScalarsAndSurroundingWhitespace() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse(" \t\r\ntrue\n") == true)
        #expect(try JSONParser.parse("false") == false)
        #expect(try JSONParser.parse("\"x\"") == "x")
        #expect(try JSONParser.parse("-12.5e1") == -125)
        #expect(try JSONParser.parse("[]") == [])
        #expect(try JSONParser.parse("{ }") == [:])
    }

    @Test func escapesDecode() throws {
        let value = try JSONParser.parse(#"["\"\\\/\b\f\n\r\t", "\u0041\u00e9\u20AC\ud83d\ude00", "\u0000", "a\u0000b"]"#)
        #expect(value == ["\"\\/\u{8}\u{C}\n\r\t", "A\u{E9}\u{20AC}\u{1F600}", "\u{0}", "a\u{0}b"])
    }

    @Test func rawUTF8AtEncodingBoundaries() throws {
        let scalars = ["\u{7F}", "\u{80}", "\u{7FF}", "\u{800}", "\u{D7FF}", "\u{E000}", "\u{FFFF}",
                       "\u{10000}", "\u{10FFFF}", "\u{2028}\u{2029}", "e\u{301}"]
        for scalar in scalars {
            let value = try JSONParser.parse(Array("[\"\(scalar)\"]".utf8))
            #expect(value == .array([.string(scalar)]))
        }
    }

    @Test func numbersAreCorrectlyRounded() throws {
        let lexemes = [
            "0", "-0", "1", "-1", "0.1", "0.2", "0.30000000000000004", "123456789012345678901234567890",
            "9007199254740993", "9007199254740995", "2.2250738585072011e-308", "2.2250738585072014e-308",
            "4.9406564584124654e-324", "2.4703282292062328e-324", "1.7976931348623157e308",
            "1.7976931348623158e308", "1e-400", "-1e-400", "0.000000000000000000000000001", "1E30",
            "4.50", "2e-3", "333333333.33333329", "1e22", "1e23", "123.456e-2", "1e0", "1E+2", "1e-2",
            "0.1e1", "100000000000000000000000e-2", "3.14159265358979323846264338327950288",
        ]
        for lexeme in lexemes {
            let parsed = try #require(try JSONParser.parse(lexeme).doubleValue)
            let reference = try #require(Double(lexeme))
            #expect(parsed.bitPattern == reference.bitPattern, "\(lexeme)")
        }
        #expect(try JSONParser.parse("-0").doubleValue?.sign == .minus)
    }

    @Test func entryPointsAgree() throws {
        let text = #"{"claim":"Ünïcödé \u00e9","seq":42,"refs":[1.5,null,{"k":true}]}"#
        let bytes = Array(text.utf8)
        let fromString = try JSONParser.parse(text)
        let fromBytes = try JSONParser.parse(bytes)
        let fromRaw = try bytes.withUnsafeBytes { raw throws(JSONParseError) in try JSONParser.parse(raw) }
        #expect(fromString == fromBytes)
        #expect(fromBytes == fromRaw)
        #expect(fromString["seq"]?.integerValue == 42)
        #expect(fromString["claim"]?.stringValue == "Ünïcödé é")
    }

    @Test func stringWithEscapesAfterLongPlainPrefix() throws {
        let plain = String(repeating: "abcdefgh", count: 1000)
        let value = try JSONParser.parse("[\"\(plain)\\n\(plain)\", \"\(plain)\"]")
        #expect(value == [.string(plain + "\n" + plain), .string(plain)])
    }

    /// Special bytes at every position relative to the 8-byte scanning window.
    @Test func specialBytesAtEveryWordOffset() throws {
        for position in 0..<24 {
            let prefix = String(repeating: "a", count: position)
            let suffix = String(repeating: "b", count: 24 - position)
            for special in ["\u{1F}", "\"", "\\", "\u{E9}", "\u{1F600}", "\u{7F}"] {
                let value = JSONValue.string(prefix + special + suffix)
                let canonical = try JCS.canonicalize(value)
                #expect(try JSONParser.parse(canonical) == value)
            }
            let raw = Array("\"\(prefix)\u{1F}\(suffix)\"".utf8)
            #expect(throws: JSONParseError.self) { try JSONParser.parse(raw) }
            do {
                _ = try JSONParser.parse(raw)
            } catch {
                #expect(error.code == .controlCharacter)
                #expect(error.offset == 1 + position)
            }
        }
    }

    @Test func distinctKeysThatShareAPrefixAreKept() throws {
        let value = try JSONParser.parse(#"{"a":1,"ab":2,"a\u0000":3,"A":4}"#)
        #expect(value.objectValue?.count == 4)
    }

    @Test func ledgerSizedLinesParseRepeatedly() throws {
        let line = #"{"v":1,"seq":123456,"prev":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","#
            + #""ts":"2024-06-01T12:00:00Z","claim":{"text":"The river \u00e9tait high","sources":["https://example.org/a","#
            + #""https://example.org/b"],"verdict":"mostly-true","score":0.85},"sig":"MEUCIQDx"}"#
        let expected = try JSONParser.parse(line)
        for _ in 0..<1_000 {
            #expect(try JSONParser.parse(line) == expected)
        }
    }
}
