import ClaimLedgerCore
import LedgerCrypto
import Testing

/// The fast quote searches (the window index, the Horspool scan) against the naive search, which compares
/// the quote at every byte offset: on random texts over small and large alphabets, with quotes cut from
/// the text (often repeated, overlapping) and random ones (mostly absent).
@Suite struct QuoteSearchDifferentialTests {
    /// SplitMix64: a fixed seed gives the same cases on every run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: [2, 4, 26, 256])
    func fastSearchesEqualTheNaiveSearch(alphabet: Int) {
        var rng = SeededGenerator(state: UInt64(alphabet))
        var compared = 0, found = 0
        for round in 0..<20 {
            let length = Int.random(in: 8...2_500, using: &rng)
            let text = (0..<length).map { _ in UInt8(0x41 + Int.random(in: 0..<alphabet, using: &rng) % 190) }
            let index = QuoteIndex(text)
            #expect(index != nil, "a text of \(length) bytes gets an index")
            for q in 0..<60 {
                let count = Int.random(in: 1...(q % 3 == 0 ? 64 : 16), using: &rng)
                let needle: [UInt8]
                if q % 4 == 3 || count > text.count {
                    needle = (0..<count).map { _ in UInt8(0x41 + Int.random(in: 0..<alphabet, using: &rng) % 190) }
                } else {
                    let start = Int.random(in: 0...(text.count - count), using: &rng)
                    needle = Array(text[start..<(start + count)])
                }
                let expected = QuoteLocator.naiveOccurrences(of: needle, in: text)
                #expect(QuoteLocator.scan(for: needle, in: text) == expected, "round \(round) quote \(q): scan")
                if let index, needle.count >= 8 {
                    #expect(index.occurrences(of: needle) == expected, "round \(round) quote \(q): index")
                }
                compared += 1
                found += expected.count
            }
        }
        print("QUOTES alphabet \(alphabet): \(compared) quotes compared, \(found) occurrences")
    }

    @Test func ambiguousQuoteIsRefusedWithBothOffsetsThroughTheIndex() throws {
        let text = Array("Le ministre a déclaré que la trêve tiendrait. Puis : la trêve tiendrait, a-t-il répété.".utf8)
        let index = try #require(QuoteIndex(text))
        let first = Array("Le ministre a déclaré que ".utf8).count
        let second = Array("Le ministre a déclaré que la trêve tiendrait. Puis : ".utf8).count
        #expect(index.occurrences(of: Array("la trêve tiendrait".utf8)) == [first, second])
        let error = #expect(throws: LedgerError.self) {
            try QuoteLocator.locate("la trêve tiendrait", in: text, source: SHA256.hash(text), offset: nil, index: index)
        }
        #expect(error?.code == .quoteAmbiguous)
        #expect(error?.reason.contains("2 times") == true && error?.reason.contains("\(first), \(second)") == true, "\(error?.reason ?? "")")
    }

    @Test func tooShortOrTooLargeSourcesGetNoIndex() {
        #expect(QuoteIndex(Array("short".utf8)) == nil)
        #expect(QuoteIndex([UInt8](repeating: 0x61, count: QuoteIndex.maxSourceBytes + 1)) == nil)
        let index = QuoteIndex(Array("aaaaaaaaaaaa".utf8))
        #expect(index?.occurrences(of: Array("aaaa".utf8)) == nil, "quotes under 8 bytes are scanned")
        #expect(index?.occurrences(of: Array("aaaaaaaaaa".utf8)) == [0, 1, 2])
    }
}
