import ClaimLedgerCore
import LedgerCrypto
import Testing

/// `QuoteLocator`: quotes match the source byte for byte, and their offsets count UTF-8 bytes.
@Suite struct QuoteLocatorTests {
    static let article = "L'Élysée a déclaré : « la réunion a eu lieu ». Le Kremlin dément. « la réunion a eu lieu », répète-t-il."
    let bytes = Array(QuoteLocatorTests.article.utf8)
    let source = SHA256.hash(Array(QuoteLocatorTests.article.utf8))

    func byteOffset(of prefix: String) -> Int { prefix.utf8.count }

    func locate(_ text: String, offset: Int? = nil) throws(LedgerError) -> Quote {
        try QuoteLocator.locate(text, in: bytes, source: source, offset: offset)
    }

    @Test func uniqueQuoteIsFoundAtItsByteOffsets() throws {
        let quote = try locate("Le Kremlin dément")
        let start = byteOffset(of: "L'Élysée a déclaré : « la réunion a eu lieu ». ")
        #expect(quote == Quote(source: source, text: "Le Kremlin dément", start: start, end: start + "Le Kremlin dément".utf8.count))
        #expect(Array(bytes[quote.start..<quote.end]) == Array("Le Kremlin dément".utf8))
    }

    @Test func offsetsAreBytesNotCharacters() throws {
        let quote = try locate("déclaré")
        let characters = "L'Élysée a ".count
        #expect(quote.start == "L'Élysée a ".utf8.count)
        #expect(quote.start == characters + 2)       // É and é take two bytes each
        #expect(quote.end - quote.start == 9)          // "déclaré": 7 characters, 9 bytes
    }

    @Test func absentQuoteIsNotFound() {
        let error = #expect(throws: LedgerError.self) { try locate("la réunion n'a pas eu lieu") }
        #expect(error?.code == .quoteNotFound)
    }

    @Test func quoteMustMatchByteForByte() {
        // Same characters for Swift's String ==, other bytes: decomposed é (e + U+0301).
        let decomposed = "d\u{65}\u{301}clar\u{65}\u{301}"
        #expect(decomposed == "déclaré")
        let error = #expect(throws: LedgerError.self) { try locate(decomposed) }
        #expect(error?.code == .quoteNotFound)
        #expect((try? locate("Kremlin Dément")) == nil)
    }

    @Test func ambiguousQuoteListsEveryOffset() throws {
        let first = byteOffset(of: "L'Élysée a déclaré : « ")
        let second = byteOffset(of: "L'Élysée a déclaré : « la réunion a eu lieu ». Le Kremlin dément. « ")
        #expect(QuoteLocator.occurrences(of: "la réunion a eu lieu", in: bytes) == [first, second])
        let error = #expect(throws: LedgerError.self) { try locate("la réunion a eu lieu") }
        #expect(error?.code == .quoteAmbiguous)
        #expect(error?.reason.contains("\(first), \(second)") == true, "\(error?.reason ?? "")")
    }

    @Test func givenOffsetPicksOneOccurrence() throws {
        let second = byteOffset(of: "L'Élysée a déclaré : « la réunion a eu lieu ». Le Kremlin dément. « ")
        let quote = try locate("la réunion a eu lieu", offset: second)
        #expect(quote.start == second)
        #expect(quote.end == second + "la réunion a eu lieu".utf8.count)
    }

    @Test(arguments: [0, 1, 25, 1_000_000, -1])
    func wrongOffsetIsNotFound(offset: Int) {
        let error = #expect(throws: LedgerError.self) { try locate("la réunion a eu lieu", offset: offset) }
        #expect(error?.code == .quoteNotFound)
    }

    @Test func offsetInsideAMultiByteCharacterIsNotFound() {
        let start = byteOffset(of: "L'")
        #expect(throws: LedgerError.self) { try locate("Élysée", offset: start + 1) }
        #expect((try? locate("Élysée", offset: start))?.start == start)
    }

    @Test func emptyQuoteIsInvalidInput() {
        let error = #expect(throws: LedgerError.self) { try locate("") }
        #expect(error?.code == .invalidInput)
    }

    @Test func overlappingOccurrencesAreAllFound() {
        #expect(QuoteLocator.occurrences(of: "aa", in: Array("aaaa".utf8)) == [0, 1, 2])
        #expect(QuoteLocator.occurrences(of: "aaaaa", in: Array("aaaa".utf8)) == [])
    }
}

@Suite struct DefaultClaimIDTests {
    let source = SHA256.hash(Array("source".utf8))

    func id(statement: String = "It happened.", claimant: String = "AFP", start: Int = 10) -> String {
        ClaimDocuments.defaultClaimID(statement: statement, claimant: claimant,
                                      quotes: [Quote(source: source, text: "happened", start: start, end: start + 8)])
    }

    @Test func isStableForTheSameInput() {
        #expect(id() == id())
        #expect(id().hasPrefix("c-"))
        #expect(id().utf8.count == 14)
        #expect(id().dropFirst(2).allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func differsWhenTheQuoteOffsetDiffers() {
        #expect(id(start: 10) != id(start: 11))
    }

    @Test func differsWhenStatementOrClaimantDiffers() {
        #expect(id(statement: "It happened!") != id())
        #expect(id(claimant: "Reuters") != id())
    }

    @Test func isAValidClaimID() throws {
        guard case .claim(var c) = try Payload(type: .claim, json: .object(SamplePayloads.claim)) else {
            Issue.record("not a claim")
            return
        }
        c.id = id()
        #expect(try Payload(type: .claim, json: Payload.claim(c).json) == .claim(c))
    }
}
