import CanonicalJSON
import Testing

@Suite("JSONLimits boundaries")
struct ParserLimitTests {
    private func limits(
        maxBytes: Int = 1 << 20, maxDepth: Int = 32, maxStringBytes: Int = 256 << 10, maxContainerCount: Int = 10_000
    ) -> JSONLimits {
        JSONLimits(maxBytes: maxBytes, maxDepth: maxDepth, maxStringBytes: maxStringBytes,
                   maxContainerCount: maxContainerCount)
    }

    private func code(_ text: String, _ limits: JSONLimits) -> JSONParseError.Code? {
        do {
            _ = try JSONParser.parse(text, limits: limits)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func defaults() {
        #expect(JSONLimits.default == limits())
        #expect(JSONLimits.default.maxBytes == 1_048_576)
        #expect(JSONLimits.default.maxDepth == 32)
        #expect(JSONLimits.default.maxStringBytes == 262_144)
        #expect(JSONLimits.default.maxContainerCount == 10_000)
    }

    @Test func maxBytesIsInclusive() {
        #expect(code("[1,2]", limits(maxBytes: 5)) == nil)
        #expect(code("[1,2] ", limits(maxBytes: 5)) == .tooLarge)
    }

    @Test func maxDepthIsInclusive() {
        let depth32 = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect(code(depth32, .default) == nil)
        #expect(code("[" + depth32 + "]", .default) == .depthExceeded)
        #expect(code(#"{"a":[{}]}"#, limits(maxDepth: 3)) == nil)
        #expect(code(#"{"a":[{}]}"#, limits(maxDepth: 2)) == .depthExceeded)
        #expect(code("1", limits(maxDepth: 0)) == nil)
        #expect(code("[]", limits(maxDepth: 0)) == .depthExceeded)
    }

    @Test func maxStringBytesCountsDecodedUTF8() {
        #expect(code(#"["12345678"]"#, limits(maxStringBytes: 8)) == nil)
        #expect(code(#"["123456789"]"#, limits(maxStringBytes: 8)) == .stringTooLong)
        // Four 2-byte scalars: 8 decoded bytes although the escaped text is 24 bytes long.
        #expect(code(#"["\u00e9\u00e9\u00e9\u00e9"]"#, limits(maxStringBytes: 8)) == nil)
        #expect(code(#"["\u00e9\u00e9\u00e9\u00e9a"]"#, limits(maxStringBytes: 8)) == .stringTooLong)
        #expect(code("[\"\u{1F600}\u{1F600}\"]", limits(maxStringBytes: 8)) == nil)
        #expect(code(#"{"abcdefgh":"abcdefgh"}"#, limits(maxStringBytes: 8)) == nil)
        #expect(code(#"{"abcdefghi":1}"#, limits(maxStringBytes: 8)) == .stringTooLong)
    }

    @Test func maxContainerCountIsInclusive() {
        #expect(code("[1,2,3]", limits(maxContainerCount: 3)) == nil)
        #expect(code("[1,2,3,4]", limits(maxContainerCount: 3)) == .tooManyMembers)
        #expect(code(#"{"a":1,"b":2,"c":3}"#, limits(maxContainerCount: 3)) == nil)
        #expect(code(#"{"a":1,"b":2,"c":3,"d":4}"#, limits(maxContainerCount: 3)) == .tooManyMembers)
        #expect(code("[]", limits(maxContainerCount: 0)) == nil)
        #expect(code("[0]", limits(maxContainerCount: 0)) == .tooManyMembers)
        let tenThousand = "[" + Array(repeating: "0", count: 10_000).joined(separator: ",") + "]"
        #expect(code(tenThousand, .default) == nil)
    }
}
