import CanonicalJSON
@testable import ClaimLedgerCore
import Foundation
import LedgerCrypto
import Testing

/// `CanonicalEntryReader`, the one-pass reader of claims and statuses, against the general reader
/// (`SignedEntry.readEntryGenerally`, `readUnhashedGenerally`): whatever it accepts, the general reader
/// accepts as the same entry, whose canonical bytes are exactly the bytes read. It may refuse more (the
/// general reader then decides), never less.
@Suite struct CanonicalEntryReaderTests {
    static let source = SHA256Digest(hex: String(repeating: "ab", count: 32))!
    static let other = SHA256Digest(hex: String(repeating: "0c", count: 32))!
    static let signer = SHA256Digest(hex: String(repeating: "7d", count: 32))!
    static let prev = SHA256Digest(hex: String(repeating: "e1", count: 32))!

    static func entry(_ payload: Payload, seq: Int = 12) -> Entry {
        Entry(seq: seq, prev: prev, time: Timestamp(rfc3339: "2026-01-06T09:30:00Z")!, signer: signer, payload: payload)
    }

    static func quote(_ text: String, at start: Int = 120, source: SHA256Digest = source) -> Quote {
        Quote(source: source, text: text, start: start, end: start + text.utf8.count)
    }

    /// Claims and statuses with every optional member present and absent, escapes, and text beyond ASCII.
    static let corpus: [Entry] = [
        entry(.claim(ClaimPayload(id: "drone-strike", statement: "The drone hit a school.", statementLanguage: "en",
                                  claimant: "Ministry", date: CalendarDate(year: 2026, month: 1, day: 6)!,
                                  quotes: [quote("« Nous n'avons rien à cacher »")])), seq: 0),
        entry(.claim(ClaimPayload(id: "quote-two", statement: "Tab\there, \"quoted\", back\\slash\nnext line.", statementLanguage: "fr-FR",
                                  claimant: "Le porte-parole", date: CalendarDate(year: 2025, month: 12, day: 31)!,
                                  quotes: [quote("one"), quote("two \"2\"", at: 9_007, source: other)], kind: .attribution))),
        entry(.status(StatusPayload(claim: "drone-strike", status: .unverified, rationale: "First assessment.", evidence: []))),
        entry(.status(StatusPayload(claim: "drone-strike", status: .refuted, rationale: "Contradicted by\tboth wires — voir la dépêche.",
                                    evidence: [source, other], verdict: "false", spans: [quote("rien", source: other)])), seq: 123_456_789_012_345),
        entry(.status(StatusPayload(claim: "abc", status: .disputed, rationale: "x", evidence: [other]))),
    ]

    @Test func everyEntryOfTheCorpusIsReadAsTheGeneralReaderReadsIt() throws {
        for entry in Self.corpus {
            let bytes = entry.canonicalBytes()
            let fast = bytes.withUnsafeBytes(CanonicalEntryReader.read)
            #expect(fast == entry, "\(String(decoding: bytes, as: UTF8.self))")
            #expect(try SignedEntry.readEntryGenerally(canonical: bytes) == entry)
        }
    }

    /// Bytes that `readEntryGenerally` accepts or refuses, changed so that a rule of the payload is broken
    /// while the JSON stays in RFC 8785 form, or so that the form is one RFC 8785 does not write. The
    /// one-pass reader refuses each; the general reader refuses each too, except the forms it reads in
    /// the general way (these are not entries written by this program, but they must not be misread).
    @Test(arguments: [
        (0, #""id":"drone-strike""#, #""id":"Drone-strike""#),             // not a claim id
        (0, #""lang":"en""#, #""lang":"e""#),                                // not a language tag
        (0, #""date":"2026-01-06""#, #""date":"2026-02-30""#),               // no such day
        (0, #""seq":0"#, #""seq":00"#),                                      // leading zero
        (0, #""seq":0"#, #""seq":-0"#),                                      // a sign
        (0, #""seq":0"#, #""seq":0.5"#),                                     // a fraction
        (0, #""seq":0"#, #""seq":1e2"#),                                     // an exponent
        (0, #""seq":0"#, #""seq":9007199254740993"#),                        // not an exact double
        (0, #""end":"#, #""end":1,"end":"#),                                 // a member twice
        (0, #""claimant":"Ministry""#, #""claimant":"Min\u0069stry""#),     // an escape RFC 8785 does not write
        (0, #""claimant":"Ministry""#, #""claimant":"Min\/stry""#),
        (0, #""claimant":"Ministry""#, #""claimant":"Min\bstry""#),          // a control character
        (0, #""claimant":"Ministry""#, #""claimant":"""#),                   // empty
        (0, #""type":"claim""#, #""type":"claim","zzz":1"#),                 // an unknown member
        (0, #""quotes":[{"end""#, #""quotes":[],"x":[{"end""#),              // no quote, then an unknown member
        (0, #"{"payload""#, #" {"payload""#),                                // whitespace
        (1, #""kind":"attribution""#, #""kind":"opinion""#),                 // no such kind
        (1, #""start":9007,"#, #""start":9006,"#),                           // the span is not the text's length
        (2, #""rationale":"First assessment.""#, #""rationale":"""#),        // empty
        (2, #""status":"unverified""#, #""status":"verified""#),             // no such status
        (2, #""type":"status""#, #""type":"claim""#),                        // a status read as a claim
        (3, #""verdict":"false""#, #""verdict":"F""#),                       // not a label
        (3, #""spans":[{"#, #""spans":[],"x":[{"#),                          // no span
        (3, #""source":"0c0c"#, #""source":"abab"#),                         // the span's source not in the evidence
        (4, #""evidence":["0c0c"#, #""evidence":["0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c","0c0c"#),  // evidence repeated
        (4, #""rationale":"x""#, #""rationale":"x","verdict":"false""#),     // misplaced, and a verdict without a span
    ])
    func aBrokenRuleOrAFormNotWrittenIsRefused(index: Int, from: String, to: String) throws {
        let bytes = Self.corpus[index].canonicalBytes()
        let changed = bytes.replacingFirst(Array(from.utf8), with: Array(to.utf8))
        #expect(changed != bytes, "\(from) is in the entry")
        #expect(changed.withUnsafeBytes(CanonicalEntryReader.read) == nil)
        #expect(throws: LedgerError.self) { try SignedEntry.readEntryGenerally(canonical: changed) }
    }

    /// A status whose span cites a source outside its evidence, and one with a verdict and no span, are
    /// refused by both readers (made from structs, since no single replacement breaks only that rule).
    @Test func aSpanOutsideTheEvidenceAndAVerdictWithoutSpanAreRefused() {
        let outside = Self.entry(.status(StatusPayload(claim: "abc", status: .refuted, rationale: "r", evidence: [Self.source],
                                                      verdict: "false", spans: [Self.quote("x", source: Self.other)])))
        let bare = Self.entry(.status(StatusPayload(claim: "abc", status: .refuted, rationale: "r", evidence: [Self.source],
                                                   verdict: "false", spans: [])))
        for entry in [outside, bare] {
            let bytes = entry.canonicalBytes()
            #expect(bytes.withUnsafeBytes(CanonicalEntryReader.read) == nil)
            #expect(throws: LedgerError.self) { try SignedEntry.readEntryGenerally(canonical: bytes) }
        }
    }

    /// Thousands of random changes to the corpus's bytes (bytes replaced, inserted, removed, tokens put in):
    /// whenever the one-pass reader gives an entry, the general reader gives the same, and its canonical
    /// bytes are the bytes read.
    @Test func randomChangesAreReadAlikeOrRefusedByTheOnePassReader() throws {
        var rng = QuoteSearchDifferentialTests.SeededGenerator(state: 0x5EED)
        var accepted = 0, refusedByBoth = 0
        for entry in Self.corpus {
            let bytes = entry.canonicalBytes()
            for _ in 0..<1_500 {
                let changed = Self.mutate(bytes, using: &rng)
                let general = try? SignedEntry.readEntryGenerally(canonical: changed)
                guard let fast = changed.withUnsafeBytes(CanonicalEntryReader.read) else {
                    if general == nil { refusedByBoth += 1 }
                    continue
                }
                accepted += 1
                #expect(general == fast, "\(String(decoding: changed, as: UTF8.self))")
                #expect(fast.canonicalBytes() == changed)
            }
        }
        // Both outcomes occur, so the comparison above is not vacuous.
        #expect(accepted > 100 && refusedByBoth > 1_000, "accepted \(accepted), refused by both \(refusedByBoth)")
    }

    /// Lines: the envelope read without parsing the line agrees with the general reader, on the lines of
    /// the corpus and on random changes to them (most in the envelope).
    @Test func linesAreReadAlikeOrRefusedByTheOnePassReader() throws {
        let key = try Ed25519PrivateKey(seed: [UInt8](repeating: 9, count: 32))
        var rng = QuoteSearchDifferentialTests.SeededGenerator(state: 0x11FE)
        var accepted = 0
        for entry in Self.corpus {
            let line = try SignedEntry.unsigned(entry).signed(with: key).line
            for round in 0..<1_000 {
                var changed = line
                if round > 0 {
                    let envelopeFrom = Int.random(in: 0...1, using: &rng) == 0 ? 0 : line.count - 180
                    changed = Self.mutate(line, near: envelopeFrom, using: &rng)
                }
                let general = try? SignedEntry.readUnhashedGenerally(changed)
                guard let fast = SignedEntry.readCanonicalLine(changed) else { continue }
                accepted += 1
                #expect(general?.entry == fast.entry && general?.stated == fast.stated
                        && general?.signature == fast.signature && general?.canonical == fast.canonical,
                        "\(String(decoding: changed, as: UTF8.self))")
            }
        }
        #expect(accepted >= Self.corpus.count)
    }

    /// Every line of the committed seed ledger (real text: French, quotation marks, every entry type) is
    /// read by the one-pass reader as the general reader reads it, or left to the general reader.
    @Test func theSeedLedgersLinesAreReadAlike() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("ledger/entries.jsonl")
        let lines = try Data(contentsOf: path).split(separator: 0x0A).map { [UInt8]($0) }
        var read = 0
        for line in lines {
            let general = try SignedEntry.readUnhashedGenerally(line)
            guard let fast = SignedEntry.readCanonicalLine(line) else { continue }
            read += 1
            #expect(fast.entry == general.entry && fast.stated == general.stated && fast.signature == general.signature
                    && fast.canonical == general.canonical, "seq \(general.entry.seq)")
            #expect(fast.entry.canonicalBytes() == Array(line[fast.canonical]))
        }
        #expect(lines.count >= 394 && read > lines.count / 2, "\(read) of \(lines.count) lines read in one pass")
    }

    /// Envelopes of the right length around a readable entry that `verify` must still refuse: a signature
    /// of 88 base64 characters that are not 64 bytes' (66 without padding, 65 with one `=`), a hash in
    /// upper case. Both readers refuse each.
    @Test(arguments: [
        (#"=="}"#, #"AA"}"#), (#"=="}"#, #"A="}"#), (#","hash":"e"#, #","hash":"E"#),
    ])
    func anEnvelopeThatIsNotHashAndSignatureIsRefused(from: String, to: String) throws {
        let key = try Ed25519PrivateKey(seed: [UInt8](repeating: 9, count: 32))
        var line = try SignedEntry.unsigned(Self.corpus[2]).signed(with: key).line
        line[line.count - 178 + 9] = UInt8(ascii: "e")  // the stated hash starts with a letter (not compared here)
        let changed = line.replacingFirst(Array(from.utf8), with: Array(to.utf8))
        #expect(changed != line && changed.count == line.count)
        #expect(SignedEntry.readCanonicalLine(line) != nil, "the line before the change is read")
        #expect(SignedEntry.readCanonicalLine(changed) == nil)
        #expect(throws: LedgerError.self) { try SignedEntry.readUnhashedGenerally(changed) }
    }

    static let tokens: [String] = [
        "\"", "\\", "{", "}", "[", "]", ",", ":", "0", "1", "9", "-", ".", "e", "a", "A", "u", " ",
        "\\u0041", "\\/", "\\b", "\\n", "\\t", "\\\"", "\\\\", "1.0", "1e2", "-1", "00", "9007199254740993",
        "true", "null", "[]", "{}", "\"\"", "\"kind\":\"substance\",", "\"verdict\":\"false\"", ",\"x\":1",
        "\u{202E}", "\u{1F600}",
    ]
    static let bytesToTry: [UInt8] = [0x00, 0x0A, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xA0, 0xF4, 0xFF]

    static func mutate(_ bytes: [UInt8], near: Int? = nil, using rng: inout QuoteSearchDifferentialTests.SeededGenerator) -> [UInt8] {
        var out = bytes
        let at = near.map { min(out.count - 1, max(0, $0 + Int.random(in: 0..<180, using: &rng))) }
            ?? Int.random(in: 0..<out.count, using: &rng)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: out[at] = bytesToTry.randomElement(using: &rng)!
        case 1: out[at] = UInt8.random(in: 0x20...0x7E, using: &rng)
        case 2: out.remove(at: at)
        case 3: out.insert(contentsOf: Array(tokens.randomElement(using: &rng)!.utf8), at: at)
        case 4:
            let count = min(out.count - at, Int.random(in: 1...12, using: &rng))
            out.replaceSubrange(at..<(at + count), with: Array(tokens.randomElement(using: &rng)!.utf8))
        default:
            // a digit changed: lengths, offsets and sequence numbers stay syntactically whole
            if let digit = out[at...].firstIndex(where: { (0x30...0x39).contains($0) }) {
                out[digit] = UInt8.random(in: 0x30...0x39, using: &rng)
            }
        }
        return out
    }
}
