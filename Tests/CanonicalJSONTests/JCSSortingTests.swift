import CanonicalJSON
import Testing

@Suite("RFC 8785 section 3.2.3 member ordering")
struct JCSSortingTests {
    /// U+10000 is D800 DC00 in UTF-16, so it sorts before U+FB33 although Swift's `<`
    /// (code point order) says otherwise.
    @Test func supplementarySortsBeforeHighBMP() throws {
        #expect("\u{FB33}" < "\u{10000}")
        #expect(JCS.precedesInUTF16Order("\u{10000}", "\u{FB33}"))
        #expect(!JCS.precedesInUTF16Order("\u{FB33}", "\u{10000}"))
        let canonical = try JCS.canonicalize(["\u{FB33}": 1, "\u{10000}": 2])
        #expect(String(decoding: canonical, as: UTF8.self) == "{\"\u{10000}\":2,\"\u{FB33}\":1}")
    }

    @Test func prefixSortsFirst() {
        #expect(JCS.precedesInUTF16Order("a", "a\u{10000}"))
        #expect(JCS.precedesInUTF16Order("", "\u{0}"))
        #expect(!JCS.precedesInUTF16Order("ab", "ab"))
    }

    /// The UTF-8 comparator agrees with direct UTF-16 code unit comparison.
    @Test func agreesWithUTF16CodeUnitComparison() {
        let alphabet: [Unicode.Scalar] = [
            "\u{0}", "\u{1F}", "A", "a", "\u{7F}", "\u{80}", "\u{7FF}", "\u{800}", "\u{D7FF}",
            "\u{E000}", "\u{F8FF}", "\u{FB33}", "\u{FFFD}", "\u{FFFF}", "\u{10000}", "\u{1F600}",
            "\u{10FFFF}", "\u{301}", "\u{E9}",
        ]
        var generator = SplitMix64(seed: 0x8785)
        func randomString() -> String {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int(generator.next() % 4) {
                scalars.append(alphabet[Int(generator.next() % UInt64(alphabet.count))])
            }
            return String(scalars)
        }
        var disagreements = 0
        for _ in 0..<20_000 {
            let a = randomString(), b = randomString()
            if JCS.precedesInUTF16Order(a, b) != a.utf16.lexicographicallyPrecedes(b.utf16) {
                disagreements += 1
            }
        }
        #expect(disagreements == 0)
    }

    @Test func nestedObjectsAreSortedAndArraysKeepOrder() throws {
        let value: JSONValue = ["b": [["d": 1, "c": 2], 3, 1], "a": ["z": nil, "y": false]]
        let text = String(decoding: try JCS.canonicalize(value), as: UTF8.self)
        #expect(text == #"{"a":{"y":false,"z":null},"b":[{"c":2,"d":1},3,1]}"#)
    }
}

/// Deterministic generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
