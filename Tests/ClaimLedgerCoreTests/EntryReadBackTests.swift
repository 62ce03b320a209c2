@testable import ClaimLedgerCore
import LedgerCrypto
import Testing

/// `EntryAppender.ensureReadable`: a new line is refused unless `verify` would read it back as the entry
/// it was made from. The envelope is compared byte for byte and only the entry's bytes are parsed, so each
/// test also checks that `SignedEntry.parse(line:)`, the reader of `verify`, agrees with the read-back.
@Suite struct EntryReadBackTests {
    let fixture: LedgerFixture
    let signed: SignedEntry

    init() throws {
        fixture = try LedgerFixture()
        signed = try fixture.next(.claim(fixture.claimPayload(id: "read-back-claim")), key: fixture.journalist)
    }

    /// `signed` with its fields replaced.
    func variant(entry: Entry? = nil, canonical: [UInt8]? = nil, line: [UInt8]? = nil) -> SignedEntry {
        SignedEntry(entry: entry ?? signed.entry, hash: signed.hash, signature: signed.signature,
                    canonicalBytes: canonical ?? signed.canonicalBytes, line: line ?? signed.line)
    }

    /// The line `withSignature` writes around `canonical`.
    func line(around canonical: [UInt8]) -> [UInt8] {
        let suffix = signed.line[(9 + signed.canonicalBytes.count)...]
        return Array(#"{"entry":"#.utf8) + canonical + suffix
    }

    @Test func anEntryAsSignedReadsBackAndVerifyReadsTheSame() throws {
        try EntryAppender.ensureReadable(signed)
        let parsed = try SignedEntry.parse(line: signed.line)
        #expect(parsed.entry == signed.entry && parsed.hash == signed.hash && parsed.signature == signed.signature)
    }

    /// Where the envelope's parts are in `signed.line`: `{"entry":` at 0, `,"hash":"` after the entry's
    /// bytes, the hash, `","signature":"`, the signature, `"}`.
    var hashMemberAt: Int { 9 + signed.canonicalBytes.count }
    var signatureMemberAt: Int { hashMemberAt + 9 + 64 }

    /// One byte changed, so that the line keeps its length: in each part of the envelope, and in the entry's
    /// bytes within the line (the signed bytes are then not those written). `verify` refuses each line.
    @Test(arguments: [
        ("entry member name", 3),          // {"eotry":
        ("hash member name", 5),           // ,"hasi":"
        ("signature member name", 11),     // ","signaturd":"
        ("the line's last byte", -1),      // "]
        ("the entry's bytes", 40),
    ])
    func oneByteChangedInTheEnvelopeOrTheEntryIsRefused(part: String, at: Int) throws {
        let index: Int
        switch part {
        case "hash member name": index = hashMemberAt + at
        case "signature member name": index = signatureMemberAt + at
        case "the line's last byte": index = signed.line.count - 1
        default: index = at
        }
        var changed = signed.line
        changed[index] = part == "the line's last byte" ? UInt8(ascii: "]") : changed[index] ^ 0x01
        #expect(changed.count == signed.line.count && changed != signed.line)
        try expectRefusedBoth(variant(line: changed))
    }

    /// Changes that also change the line's length.
    @Test(arguments: [
        (#","hash":""#, #","hash": ""#),            // a space after a colon
        (#"{"entry":"#, #"{"entry":{"a":1},"x":"#),  // another member before the entry's bytes
    ])
    func anEnvelopeOfAnotherLengthIsRefused(from: String, to: String) throws {
        let changed = signed.line.replacingFirst(Array(from.utf8), with: Array(to.utf8))
        #expect(changed != signed.line)
        try expectRefusedBoth(variant(line: changed))
    }

    /// An entry read on its own may nest one level less than a line allows: 7 levels parse (and fail as
    /// an entry), 8 are refused by the parser, as the line around them is by `verify`'s reader.
    @Test func anEntryMayNestOneLevelLessThanALine() throws {
        func nested(_ depth: Int) -> [UInt8] {
            Array((String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)).utf8)
        }
        #expect(LedgerLimits.maxDepth == 8)
        for (depth, parses) in [(7, true), (8, false)] {
            let alone = #expect(throws: LedgerError.self) { try SignedEntry.readEntry(canonical: nested(depth)) }
            let inLine = #expect(throws: LedgerError.self) { try SignedEntry.parse(line: line(around: nested(depth))) }
            #expect((alone?.code == .json) == !parses, "\(depth): \(alone?.description ?? "")")
            #expect((inLine?.code == .json) == !parses, "\(depth): \(inLine?.description ?? "")")
        }
    }

    @Test func aHashOrSignatureThatDecodesToOtherBytesIsRefused() throws {
        let hashAt = 9 + signed.canonicalBytes.count + 9
        // An upper-case digit, a letter past f, another digit, another base64 digit (the line ends `=="}`).
        let changes = [(hashAt, UInt8(ascii: "A")), (hashAt + 63, UInt8(ascii: "g")), (hashAt + 10, UInt8(ascii: "1")),
                       (signed.line.count - 6, UInt8(ascii: "B"))]
        for (at, replacement) in changes {
            var changed = signed.line
            changed[at] = changed[at] == replacement ? UInt8(ascii: "0") : replacement
            try expectRefusedBoth(variant(line: changed), verifyMayRead: true)
        }
    }

    /// The signature's last base64 digit (the line ends `XY=="}`) carries 4 bits no byte uses: with one of
    /// them set, the digits still decode to the same 64 bytes by a lenient decoder, but they are not the
    /// canonical encoding, which `verify`'s reader requires (FORMAT.md 1.5 and 3), and neither is the line.
    @Test func aSignatureInNonCanonicalBase64IsRefused() throws {
        let at = signed.line.count - 5
        var changed = signed.line
        let digits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let value = digits.firstIndex(of: changed[at])!
        #expect(value & 0x0F == 0)  // canonical: the unused bits are zero
        changed[at] = digits[value | 0x01]
        let error = #expect(throws: LedgerError.self) { try EntryAppender.ensureReadable(variant(line: changed)) }
        #expect(error?.code == .invalidInput)
        #expect(throws: LedgerError.self) { try SignedEntry.parse(line: changed) }
    }

    /// Canonical bytes of another entry under this entry: the read-back compares what it parsed.
    @Test func bytesThatReadAsAnotherEntryAreRefused() throws {
        let other = try fixture.next(.claim(fixture.claimPayload(id: "another-claim")), key: fixture.journalist)
        let swapped = variant(canonical: other.canonicalBytes, line: line(around: other.canonicalBytes))
        let error = #expect(throws: LedgerError.self) { try EntryAppender.ensureReadable(swapped) }
        #expect(error?.code == .invalidInput && error?.reason.contains("does not read back as written") == true)
    }

    /// Bytes that are valid JSON for the same entry but not its RFC 8785 form.
    @Test func entryBytesNotInCanonicalFormAreRefused() throws {
        let spaced = Array("{ ".utf8) + signed.canonicalBytes.dropFirst()
        let error = #expect(throws: LedgerError.self) {
            try EntryAppender.ensureReadable(variant(canonical: spaced, line: line(around: spaced)))
        }
        #expect(error?.code == .notCanonical, "\(error?.description ?? "")")
        #expect(throws: LedgerError.self) { try SignedEntry.parse(line: line(around: spaced)) }
    }

    /// A text longer than the parser lets a line hold: `limit-exceeded`, as before the read-back parsed
    /// the entry alone.
    @Test func aTextOverTheParsersLimitIsLimitExceeded() throws {
        var claim = fixture.claimPayload(id: "long-statement")
        claim.statement = String(repeating: "é", count: LedgerLimits.maxTextBytes / 2 + 1)
        let long = try fixture.next(.claim(claim), key: fixture.journalist)
        let error = #expect(throws: LedgerError.self) { try EntryAppender.ensureReadable(long) }
        #expect(error?.code == .limitExceeded, "\(error?.description ?? "")")
        #expect(error?.reason.contains("would not be readable") == true)
        #expect(throws: LedgerError.self) { try SignedEntry.parse(line: long.line) }
    }

    /// Refused by the read-back with `invalid-input`; `verify`'s reader refuses the line too, unless
    /// `verifyMayRead` (a changed hash or signature parses, and is caught by checks 13 and 14).
    func expectRefusedBoth(_ entry: SignedEntry, verifyMayRead: Bool = false,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = #expect(throws: LedgerError.self, sourceLocation: sourceLocation) { try EntryAppender.ensureReadable(entry) }
        #expect(error?.code == .invalidInput, "\(error?.description ?? "")", sourceLocation: sourceLocation)
        if let parsed = try? SignedEntry.parse(line: entry.line) {
            #expect(verifyMayRead, "verify read \(parsed.entry.seq)", sourceLocation: sourceLocation)
            #expect(parsed.hash != signed.hash || parsed.signature != signed.signature, sourceLocation: sourceLocation)
        }
    }
}

extension [UInt8] {
    /// The array with the first occurrence of `target` replaced.
    func replacingFirst(_ target: [UInt8], with replacement: [UInt8]) -> [UInt8] {
        guard let start = indices.first(where: { self[$0...].starts(with: target) }) else { return self }
        return Array(self[..<start]) + replacement + self[(start + target.count)...]
    }
}
