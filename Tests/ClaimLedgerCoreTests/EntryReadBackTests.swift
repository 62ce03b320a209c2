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

    /// Each change to the envelope: `verify` refuses or reads something else, and so does the read-back.
    @Test(arguments: [
        (#","hash":""#, #","hasj":""#),              // a member name
        (#""}"#, #"" }"#),                          // a space before the end: not RFC 8785
        (#","hash":""#, #","hash": ""#),            // a space after a colon
        (#"{"entry":"#, #"{"entry":{"a":1},"x":"#),  // another member before the entry's bytes
    ])
    func anEnvelopeChangedAnywhereIsRefused(from: String, to: String) throws {
        let changed = signed.line.replacingFirst(Array(from.utf8), with: Array(to.utf8))
        #expect(changed != signed.line)
        try expectRefusedBoth(variant(line: changed))
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
    fileprivate func replacingFirst(_ target: [UInt8], with replacement: [UInt8]) -> [UInt8] {
        guard let start = indices.first(where: { self[$0...].starts(with: target) }) else { return self }
        return Array(self[..<start]) + replacement + self[(start + target.count)...]
    }
}
