import ClaimLedgerServer
import Testing

@Suite struct SelectionOffsetsTests {
    let text = Newsroom.article
    var bytes: [UInt8] { Array(text.utf8) }

    /// Byte offsets of each occurrence of `needle`, and the UTF-16 position JavaScript would report.
    func occurrences(_ needle: String) -> [(byte: Int, utf16: Int)] {
        var found = [(Int, Int)]()
        var search = text.startIndex..<text.endIndex
        while let r = text.range(of: needle, range: search) {
            found.append((text.utf8.distance(from: text.startIndex, to: r.lowerBound), text.utf16.distance(from: text.startIndex, to: r.lowerBound)))
            search = r.upperBound..<text.endIndex
        }
        return found
    }

    @Test func utf16PositionsOfFrenchTextBecomeByteOffsets() throws {
        // "é", "à", "«", "–" are 2 or 3 bytes but one UTF-16 unit: the two counts drift apart.
        let summit = try #require(occurrences(Newsroom.summitQuote).first)
        #expect(summit.byte > summit.utf16)
        #expect(SelectionOffsets.byteOffset(utf16: summit.utf16, in: bytes) == summit.byte)
        #expect(SelectionOffsets.utf16Position(ofByte: summit.byte, in: bytes) == summit.utf16)
    }

    @Test func aQuoteOccurringTwiceResolvesToTheSelectedOne() throws {
        let both = occurrences(Newsroom.twiceQuote)
        try #require(both.count == 2)
        for o in both {
            let range = try SelectionOffsets.locate(quote: Newsroom.twiceQuote, at: o.utf16, in: bytes)
            #expect(range.lowerBound == o.byte)
            #expect(Array(bytes[range]) == Array(Newsroom.twiceQuote.utf8))
            // A rendering that shifts the count a little (a visible marker, a dropped newline) still finds it.
            #expect(try SelectionOffsets.locate(quote: Newsroom.twiceQuote, at: o.utf16 + 8, in: bytes).lowerBound == o.byte)
            #expect(try SelectionOffsets.locate(quote: Newsroom.twiceQuote, at: max(0, o.utf16 - 3), in: bytes).lowerBound == o.byte)
        }
        #expect(throws: SelectionOffsets.Failure.self) { try SelectionOffsets.locate(quote: Newsroom.twiceQuote, at: nil, in: bytes) }
    }

    @Test func aQuoteNotInTheSourceIsRefused() {
        #expect(throws: SelectionOffsets.Failure.self) { try SelectionOffsets.locate(quote: "n’a eu lieu", at: 0, in: bytes) }
        #expect(throws: SelectionOffsets.Failure.self) { try SelectionOffsets.locate(quote: "", at: 0, in: bytes) }
    }

    @Test func surrogatePairsAndInvalidBytesCountAsTheBrowserSeesThem() {
        // "a😀b": 😀 is 4 bytes and 2 UTF-16 units; an invalid byte 0xFF decodes to one U+FFFD.
        let bytes: [UInt8] = Array("a😀b".utf8) + [0xFF] + Array("c".utf8)
        #expect(SelectionOffsets.byteOffset(utf16: 1, in: bytes) == 1)
        #expect(SelectionOffsets.byteOffset(utf16: 2, in: bytes) == 1)  // inside the pair: the scalar's start
        #expect(SelectionOffsets.byteOffset(utf16: 3, in: bytes) == 5)
        #expect(SelectionOffsets.byteOffset(utf16: 4, in: bytes) == 6)
        #expect(SelectionOffsets.byteOffset(utf16: 5, in: bytes) == 7)
        #expect(SelectionOffsets.byteOffset(utf16: 99, in: bytes) == 8)
    }

    @Test func byteRangesMustBeWholeCharactersInsideTheSource() throws {
        let o = try #require(occurrences(Newsroom.summitQuote).first)
        #expect(try SelectionOffsets.quote(start: o.byte, end: o.byte + Newsroom.summitQuote.utf8.count, in: bytes) == Newsroom.summitQuote)
        let e = try #require(text.utf8.firstIndex(of: 0xC3))  // the first byte of an "é"
        let mid = text.utf8.distance(from: text.utf8.startIndex, to: e) + 1
        #expect(throws: SelectionOffsets.Failure.self) { try SelectionOffsets.quote(start: mid, end: mid + 4, in: bytes) }
        #expect(throws: SelectionOffsets.Failure.self) { try SelectionOffsets.quote(start: 10, end: 10, in: bytes) }
        #expect(throws: SelectionOffsets.Failure.self) { try SelectionOffsets.quote(start: -1, end: 3, in: bytes) }
        #expect(throws: SelectionOffsets.Failure.self) { try SelectionOffsets.quote(start: 0, end: bytes.count + 1, in: bytes) }
    }

    @Test func crlfSourcesMatchASelectionWithLineFeeds() throws {
        let crlf = Array("Première ligne.\r\nDeuxième ligne.".utf8)
        let range = try SelectionOffsets.locate(quote: "ligne.\nDeuxième", at: 9, in: crlf)
        #expect(String(decoding: crlf[range], as: UTF8.self) == "ligne.\r\nDeuxième")
    }
}
