import LedgerCrypto
import ClaimLedgerCore
import Testing

/// Base64 as the ledger uses it (RFC 4648 section 4, padded); decoding accepts only the one
/// canonical encoding of each byte string.
@Suite struct Base64Tests {
    /// RFC 4648 section 10 test vectors.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test(arguments: [
        "Zh==",        // "f" with non-zero unused bits
        "Zm9=",        // "fo" with non-zero unused bits
        "Zg",          // missing padding
        "Zg=",         // short padding
        "Zg===",       // extra padding
        "Zm8",         // missing padding
        "Zm9v\n",      // trailing newline
        " Zm9v",       // leading space
        "Zm 9v",       // inner space
        "Zm9v\r\nYmFy",
        "Zg==Zm9v",    // '=' in the middle
        "Z=g=",
        "Zm=v",
        "====",
        "-_8=",        // base64url alphabet
        "Zm9vYmFy=",
        "Zm9vY.Fy",
    ])
    func rejectsNonCanonicalEncodings(text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test func everyByteValueRoundTrips() {
        let all = (0...255).map(UInt8.init)
        let encoded = Base64.encode(all)
        #expect(encoded.utf8.count == 344)
        #expect(Base64.decode(encoded) == all)
    }

    @Test func everyLengthUpToSixtyFiveRoundTrips() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...65 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Base64.encode(bytes)
            #expect(encoded.utf8.count == (length + 2) / 3 * 4)
            #expect(Base64.decode(encoded) == bytes, "length \(length)")
        }
    }
}
