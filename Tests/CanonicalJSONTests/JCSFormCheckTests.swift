import CanonicalJSON
import Testing

/// `JCS.isCertainlyCanonical`: true only for text equal to its canonical form, and true for the canonical
/// text of ordinary documents (so that the re-serialisation it spares is actually spared).
@Suite struct JCSFormCheckTests {
    static func check(_ text: [UInt8]) -> Bool { text.withUnsafeBytes(JCS.isCertainlyCanonical) }

    /// Whether `text` parses and equals its canonical form: what the check must never overstate.
    static func isCanonical(_ text: [UInt8]) -> Bool? {
        guard let value = try? JSONParser.parse(text) else { return nil }
        return (try? JCS.canonicalize(value)) == text
    }

    static let line = #"{"entry":{"payload":{"claim":"c-1","evidence":[],"n":-12,"rationale":"Say \"no\"\\\n\tok é 𝄞 \#u{7F}","z":[true,false,null,0,{}]},"seq":123456789012345,"type":"status"},"hash":"ab","signature":"x/y+=="}"#

    @Test("canonical text of ordinary documents is recognised")
    func recognisesCanonicalText() throws {
        for text in [Self.line, "{}", "[]", "0", "-7", "\"\"", "true", "null", #"{"a":[1,2,{"b":"c"}],"b":{}}"#,
                     #"{"\#u{10000}":2,"\#u{FB33}":1}"#, #"["\b\f\n\r\t\"\\"]"#] {
            let bytes = Array(text.utf8)
            #expect(Self.isCanonical(bytes) == true, "\(text)")
            #expect(Self.check(bytes), "\(text)")
        }
    }

    @Test("non-canonical or doubtful forms are not certified")
    func refusesOtherForms() {
        for text in [#"{"b":1,"a":2}"#, #"{ "a":1}"#, #"{"a":1} "#, #"[1, 2]"#, #"[1.0]"#, #"[1e2]"#, #"[-0]"#, #"[0.5]"#,
                     #"[1234567890123456]"#, #"["\/"]"#, #"["\u0041"]"#, #"["\u001f"]"#, #"{"\n":1}"#, #"{"\u0061":1}"#,
                     #"{"\#u{FB33}":1,"\#u{10000}":2}"#, "[\n1]"] {
            #expect(!Self.check(Array(text.utf8)), "\(text)")
        }
        // Canonical, but outside what the scan certifies: re-serialising decides.
        #expect(Self.isCanonical(Array(#"["\u001f"]"#.utf8)) == true)
        #expect(Self.isCanonical(Array(#"[0.5]"#.utf8)) == true)
    }

    @Test("random mutations: whenever the check says canonical, the text is its canonical form")
    func neverOverstates() {
        var generator = SplitMix64(seed: 0x6A_C5_0F)
        let bases = [Self.line, #"{"a":[1,2,{"b":"c","d":-3}],"b":{"x":"\"q\""},"c":"é𝄞"}"#].map { Array($0.utf8) }
        let alphabet = Array(#" {}[]":,\-+.0123456789eEabcnrtuf/"#.utf8) + [0x0A, 0x09, 0xC3, 0xA9, 0x80]
        var certified = 0, parsed = 0
        for n in 0..<40_000 {
            var text = bases[n % bases.count]
            for _ in 0...(n % 3) {
                let p = Int.random(in: 0..<text.count, using: &generator)
                let byte = alphabet.randomElement(using: &generator)!
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: text[p] = byte
                case 1: text.insert(byte, at: p)
                default: text.remove(at: p)
                }
            }
            guard let canonical = Self.isCanonical(text) else { continue }
            parsed += 1
            if Self.check(text) {
                certified += 1
                #expect(canonical, "certified but not canonical: \(String(decoding: text, as: UTF8.self))")
            }
        }
        #expect(parsed > 1000 && certified > 100, "parsed \(parsed), certified \(certified)")
    }
}
