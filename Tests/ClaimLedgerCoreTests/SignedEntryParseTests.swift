import CanonicalJSON
import ClaimLedgerCore
import LedgerCrypto
import Testing

/// `SignedEntry.parse`: a line is accepted only in its one RFC 8785 form, with the right shape and hash.
@Suite struct SignedEntryParseTests {
    let f: LedgerFixture
    /// The source entry (seq 2): its URL holds slashes, its title non-ASCII letters.
    let signed: SignedEntry
    var text: String { String(decoding: signed.line, as: UTF8.self) }

    init() throws {
        f = try LedgerFixture()
        signed = f.entries[2]
    }

    func parse(_ text: String) throws(LedgerError) -> SignedEntry {
        try SignedEntry.parse(line: Array(text.utf8))
    }

    /// The line as a JSON object, changed by `edit`, re-encoded canonically.
    func canonicalVariant(_ edit: (inout [String: JSONValue]) -> Void) throws -> String {
        var top = try #require(try JSONParser.parse(signed.line).objectValue)
        edit(&top)
        return String(decoding: try JCS.canonicalize(.object(top)), as: UTF8.self)
    }

    func entryVariant(_ edit: (inout [String: JSONValue]) -> Void) throws -> String {
        try canonicalVariant { top in
            var entry = top["entry"]?.objectValue ?? [:]
            edit(&entry)
            top["entry"] = .object(entry)
        }
    }

    func expectCode(_ code: LedgerError.Code, for line: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: LedgerError.self, sourceLocation: sourceLocation) { try parse(line) }
        #expect(error?.code == code, "\(error?.description ?? "accepted")", sourceLocation: sourceLocation)
    }

    @Test func parsesItsOwnLineBackToTheSameEntry() throws {
        let parsed = try SignedEntry.parse(line: signed.line)
        #expect(parsed.entry == signed.entry)
        #expect(parsed.hash == signed.hash)
        #expect(parsed.signature == signed.signature)
        #expect(parsed.canonicalBytes == signed.entry.canonicalBytes())
        #expect(parsed.canonicalBytes == (try JCS.canonicalize(signed.entry.json)))
        #expect(parsed.hash == SHA256.hash([0x00] + parsed.canonicalBytes))
        #expect(f.journalist.publicKey.isValidSignature(parsed.signature, for: parsed.canonicalBytes))
    }

    @Test func reorderedMembersAreNotCanonical() throws {
        let hash = try #require(text.firstRange(of: #","hash":"#))
        let entry = text[text.index(text.startIndex, offsetBy: 9)..<hash.lowerBound]
        let hashAndSignature = text[hash.upperBound...].dropLast()
        let reordered = #"{"hash":"# + hashAndSignature + #","entry":"# + entry + "}"
        #expect(reordered.utf8.count == text.utf8.count)
        expectCode(.notCanonical, for: reordered)
    }

    @Test(arguments: [
        (#"{"entry":"#, #"{"entry": "#),                 // whitespace after a colon
        (#"{"entry":"#, #" {"entry":"#),                 // leading whitespace
        ("https://", #"https:\/\/"#),                     // escaped solidus
        (#""seq":2,"#, #""seq":2.0,"#),                   // number written 2.0
        (#""seq":2,"#, #""seq":2e0,"#),                   // number written 2e0
        (#""publisher":"AFP""#, #""publisher":"\u0041FP""#), // needless unicode escape
    ])
    func nonCanonicalSpellingsAreRefused(original: String, replacement: String) throws {
        #expect(text.contains(original))
        expectCode(.notCanonical, for: text.replacingFirst(original, with: replacement))
    }

    @Test func trailingWhitespaceIsNotCanonical() {
        expectCode(.notCanonical, for: text + " ")
    }

    @Test func invalidJSONIsRefused() {
        expectCode(.json, for: String(text.dropLast()))
        expectCode(.json, for: text.replacingFirst(#""title":"#, with: #""title"::"#))
    }

    @Test func upperCaseHexIsRefused() throws {
        expectCode(.malformedLine, for: try canonicalVariant { $0["hash"] = .string(f.entries[2].hash.hex.uppercased()) })
        expectCode(.invalidEntry, for: try entryVariant { $0["prev"] = .string(f.entries[1].hash.hex.uppercased()) })
        expectCode(.invalidEntry, for: try entryVariant { $0["signer"] = .string(f.journalist.publicKey.keyID.hex.uppercased()) })
    }

    @Test func statedHashThatDiffersIsAHashMismatch() throws {
        let other = f.entries[1].hash.hex
        expectCode(.hashMismatch, for: try canonicalVariant { $0["hash"] = .string(other) })
    }

    @Test func changedLetterInTheEntryIsAHashMismatch() {
        let changed = text.replacingFirst("Dépêche", with: "Dépêchf")
        #expect(changed != text)
        expectCode(.hashMismatch, for: changed)
    }

    @Test func extraLineMemberIsRefused() throws {
        expectCode(.malformedLine, for: try canonicalVariant { $0["note"] = "reviewed" })
    }

    @Test func missingLineMemberIsRefused() throws {
        expectCode(.malformedLine, for: try canonicalVariant { $0["signature"] = nil })
        expectCode(.malformedLine, for: try canonicalVariant { $0["hash"] = 42 })
    }

    @Test func signatureOtherThanTheCanonicalBase64Of64BytesIsRefused() throws {
        let short = Base64.encode(Array(signed.signature.dropLast()))
        expectCode(.malformedLine, for: try canonicalVariant { $0["signature"] = .string(short) })
        let long = Base64.encode(signed.signature + [0])
        expectCode(.malformedLine, for: try canonicalVariant { $0["signature"] = .string(long) })
        let unpadded = String(Base64.encode(signed.signature).dropLast(2))
        expectCode(.malformedLine, for: try canonicalVariant { $0["signature"] = .string(unpadded) })
    }

    @Test func entryFieldsAreCheckedStrictly() throws {
        expectCode(.invalidEntry, for: try entryVariant { $0["time"] = "2026-01-06t09:02:00Z" })
        expectCode(.invalidEntry, for: try entryVariant { $0["type"] = "comment" })
        expectCode(.invalidEntry, for: try entryVariant { $0["author"] = "me" })
        expectCode(.invalidEntry, for: try entryVariant { $0["seq"] = -1 })
        expectCode(.invalidEntry, for: try entryVariant { $0["seq"] = "2" })
        expectCode(.invalidPayload, for: try entryVariant { $0["type"] = "claim" })
    }

    @Test func linesThatAreNotOneObjectAreRefused() {
        expectCode(.malformedLine, for: "")
        expectCode(.malformedLine, for: "[]")
        expectCode(.malformedLine, for: #""entry""#)
    }

    @Test func lineOverTheLimitIsRefusedBeforeParsing() {
        let huge = [UInt8](repeating: 0x20, count: LedgerLimits.maxLineBytes + 1)
        let error = #expect(throws: LedgerError.self) { try SignedEntry.parse(line: huge) }
        #expect(error?.code == .lineTooLong)
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced (unchanged when absent).
    func replacingFirst(_ target: String, with replacement: String) -> String {
        replacing(target, with: replacement, maxReplacements: 1)
    }
}
