import CanonicalJSON
import Testing

@Suite("JSONValue accessors, literals and equality")
struct JSONValueTests {
    @Test func literals() {
        let value: JSONValue = ["s": "x", "i": 3, "f": 2.5, "b": true, "n": nil, "a": [1, "y"]]
        #expect(value["s"] == .string("x"))
        #expect(value["i"] == .number(3))
        #expect(value["f"] == .number(2.5))
        #expect(value["b"] == .bool(true))
        #expect(value["n"] == .null)
        #expect(value["a"] == .array([.number(1), .string("y")]))
        #expect(value["missing"] == nil)
        #expect(JSONValue.string("x")["s"] == nil)
    }

    @Test func typedAccessors() {
        let value: JSONValue = ["k": 1]
        #expect(JSONValue.string("x").stringValue == "x")
        #expect(JSONValue.bool(false).boolValue == false)
        #expect(JSONValue.array([nil]).arrayValue == [.null])
        #expect(value.objectValue == ["k": .number(1)])
        #expect(JSONValue.number(1.5).doubleValue == 1.5)
        #expect(JSONValue.null.stringValue == nil)
        #expect(JSONValue.number(1).stringValue == nil)
        #expect(JSONValue.string("1").doubleValue == nil)
        #expect(JSONValue.string("1").integerValue == nil)
    }

    @Test func integerValueRange() {
        #expect(JSONValue.number(9_007_199_254_740_991).integerValue == 9_007_199_254_740_991)
        #expect(JSONValue.number(-9_007_199_254_740_991).integerValue == -9_007_199_254_740_991)
        #expect(JSONValue.number(9_007_199_254_740_992).integerValue == nil)
        #expect(JSONValue.number(-9_007_199_254_740_992).integerValue == nil)
        #expect(JSONValue.number(1.5).integerValue == nil)
        #expect(JSONValue.number(-0.0).integerValue == 0)
        #expect(JSONValue.number(1e300).integerValue == nil)
        #expect(JSONValue.number(.nan).integerValue == nil)
        #expect(JSONValue.number(.infinity).integerValue == nil)
    }

    @Test func kindNames() {
        let kinds: [JSONValue] = [nil, true, 1, "s", [], [:]]
        #expect(kinds.map(\.kindName) == ["null", "boolean", "number", "string", "array", "object"])
    }

    /// Swift's `String ==` treats canonically equivalent strings as equal; JSONValue does not,
    /// because their canonical bytes differ.
    @Test func equalityIsExact() throws {
        #expect("\u{E9}" == "e\u{301}")
        #expect(JSONValue.string("\u{E9}") != JSONValue.string("e\u{301}"))
        #expect(JSONValue.object(["\u{E9}": 1]) != JSONValue.object(["e\u{301}": 1]))
        #expect(try JCS.canonicalize(.string("\u{E9}")) != (try JCS.canonicalize(.string("e\u{301}"))))
        #expect(JSONValue.number(0) == JSONValue.number(-0.0))
        #expect(JSONValue.object(["a": 1, "b": [nil]]) == JSONValue.object(["b": [nil], "a": 1]))
        #expect(JSONValue.object(["a": 1]) != JSONValue.object(["a": 1, "b": 2]))
        #expect(JSONValue.array([1, 2]) != JSONValue.array([2, 1]))
        #expect(JSONValue.number(1) != JSONValue.string("1"))
        #expect(JSONValue.bool(true) != JSONValue.number(1))
    }
}
