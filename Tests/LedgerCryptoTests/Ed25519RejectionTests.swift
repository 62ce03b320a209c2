import LedgerCrypto
import Testing

/// Signatures that must not verify: mutations of a valid one, wrong lengths, non-canonical S,
/// and keys that are no curve point or have small order.
@Suite struct Ed25519RejectionTests {
    struct NonCanonical: Decodable { let publicKey, message, canonicalSignature, nonCanonicalSignature: String }
    struct NotOnCurve: Decodable { let message, signature: String; let publicKeys: [String] }
    struct SmallOrder: Decodable {
        struct Case: Decodable { let point: String; let order: Int; let publicKey, messageAscii, signature: String }
        let cases: [Case]
    }

    // RFC 8032 section 7.1 TEST 3: a two-byte message.
    let publicKey = "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025"
    let message = "af82"
    let signature = "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"

    @Test func everySingleBitFlipFails() throws {
        let key = try [UInt8](hex: publicKey), msg = try [UInt8](hex: message), sig = try [UInt8](hex: signature)
        let verifier = try Ed25519PublicKey(rawRepresentation: key)
        #expect(verifier.isValidSignature(sig, for: msg))
        for bit in 0..<(sig.count * 8) {
            var flipped = sig
            flipped[bit / 8] ^= 1 << (bit % 8)
            #expect(!verifier.isValidSignature(flipped, for: msg), "signature bit \(bit)")
        }
        for bit in 0..<(msg.count * 8) {
            var flipped = msg
            flipped[bit / 8] ^= 1 << (bit % 8)
            #expect(!verifier.isValidSignature(sig, for: flipped), "message bit \(bit)")
        }
        for bit in 0..<(key.count * 8) {
            var flipped = key
            flipped[bit / 8] ^= 1 << (bit % 8)
            let other = try Ed25519PublicKey(rawRepresentation: flipped)
            #expect(!other.isValidSignature(sig, for: msg), "key bit \(bit)")
        }
        // The reused per-thread context still verifies after all those failures.
        #expect(verifier.isValidSignature(sig, for: msg))
    }

    @Test func signatureLengthMustBe64() throws {
        let verifier = try Ed25519PublicKey(rawRepresentation: [UInt8](hex: publicKey))
        let msg = try [UInt8](hex: message), sig = try [UInt8](hex: signature)
        #expect(!verifier.isValidSignature(Array(sig.dropLast()), for: msg))
        #expect(!verifier.isValidSignature(sig + [0], for: msg))
        #expect(!verifier.isValidSignature([], for: msg))
        #expect(!verifier.isValidSignature(sig + sig, for: msg))
    }

    @Test func nonCanonicalSPlusLFails() throws {
        let vector = try Vectors.json(NonCanonical.self, "ed25519-non-canonical-s-plus-l.json")
        let verifier = try Ed25519PublicKey(rawRepresentation: [UInt8](hex: vector.publicKey))
        let canonical = try [UInt8](hex: vector.canonicalSignature)
        let nonCanonical = try [UInt8](hex: vector.nonCanonicalSignature)
        #expect(Self.addL(toScalarOf: canonical) == nonCanonical)
        #expect(verifier.isValidSignature(canonical, for: []))
        #expect(!verifier.isValidSignature(nonCanonical, for: []))
    }

    @Test func bytesThatAreNoCurvePointVerifyNothing() throws {
        let vector = try Vectors.json(NotOnCurve.self, "ed25519-public-keys-not-on-curve.json")
        let signature = try [UInt8](hex: vector.signature), message = try [UInt8](hex: vector.message)
        for hex in vector.publicKeys {
            // Observed: OpenSSL 3.0.19 makes the key (it does not check the point) ...
            let key = try Ed25519PublicKey(rawRepresentation: [UInt8](hex: hex))
            // ... and refuses every signature under it.
            #expect(!key.isValidSignature(signature, for: message), "\(hex)")
        }
    }

    @Test func smallOrderKeysVerifyNothingThoughOpenSSLAcceptsTheForgeries() throws {
        let vectors = try Vectors.json(SmallOrder.self, "ed25519-small-order-public-keys-forged-signatures.json")
        #expect(vectors.cases.count == 14)
        for vector in vectors.cases {
            let key = try Ed25519PublicKey(rawRepresentation: [UInt8](hex: vector.publicKey))
            let forged = try [UInt8](hex: vector.signature)
            #expect(!key.isValidSignature(forged, for: Array(vector.messageAscii.utf8)), "\(vector.point)")
        }
    }

    @Test(.enabled(if: OpenSSLTool.isAvailable, "needs the openssl command"))
    func theOpenSSLCommandAcceptsTheSmallOrderForgeries() throws {
        // Documents why Ed25519SmallOrder exists: OpenSSL's verifier accepts all 14.
        let vectors = try Vectors.json(SmallOrder.self, "ed25519-small-order-public-keys-forged-signatures.json")
        let directory = try TemporaryDirectory()
        for (index, vector) in vectors.cases.enumerated() {
            let spki = try [UInt8](hex: "302a300506032b6570032100" + vector.publicKey)  // RFC 8410 section 4
            let keyFile = try directory.write("k\(index).der", spki)
            let messageFile = try directory.write("m\(index)", Array(vector.messageAscii.utf8))
            let signatureFile = try directory.write("s\(index)", try [UInt8](hex: vector.signature))
            let result = try OpenSSLTool.run([
                "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey", keyFile,
                "-rawin", "-in", messageFile, "-sigfile", signatureFile,
            ])
            #expect(result.status == 0, "\(vector.point): \(result.stderr)")
        }
    }

    /// Adds L = 2^252 + 27742317777372353535851937790883648493 to S, the little-endian second
    /// half of an RFC 8032 signature.
    static func addL(toScalarOf signature: [UInt8]) -> [UInt8] {
        let l: [UInt8] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ]
        var result = signature
        var carry = 0
        for index in 0..<32 {
            let sum = Int(signature[32 + index]) + Int(l[index]) + carry
            result[32 + index] = UInt8(sum & 0xff)
            carry = sum >> 8
        }
        return result
    }
}
