import Foundation
import LedgerCrypto
import Testing

/// Key files: the committed `openssl genpkey` keys, wrong key types, encrypted and broken PEM.
@Suite struct PEMTests {
    /// The code `body` throws, or nil if it throws nothing (another error type fails the test).
    static func code(_ body: () throws -> Void) -> CryptoError.Code? {
        do {
            try body()
            return nil
        } catch let error as CryptoError {
            return error.code
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func opensslGeneratedKeyPairLoadsAndMatches() throws {
        let privateKey = try Ed25519PrivateKey(pem: Vectors.text("openssl-ed25519-test-only.key.pem"))
        let publicKey = try Ed25519PublicKey(pem: Vectors.text("openssl-ed25519-test-only.pub.pem"))
        #expect(privateKey.publicKey == publicKey)
        #expect(privateKey.publicKey.keyID == publicKey.keyID)
    }

    @Test func pemOutputIsByteForByteWhatOpenSSLWrote() throws {
        // The .pub.pem was written by `openssl pkey -pubout`, the .key.pem by `openssl genpkey`
        // (the same bytes `openssl pkey` writes for it).
        let privatePEM = try Vectors.text("openssl-ed25519-test-only.key.pem")
        let publicPEM = try Vectors.text("openssl-ed25519-test-only.pub.pem")
        let privateKey = try Ed25519PrivateKey(pem: privatePEM)
        #expect(try privateKey.pkcs8PEM() == privatePEM)
        #expect(try privateKey.publicKey.pemRepresentation() == publicPEM)
        #expect(try Ed25519PublicKey(pem: publicPEM).pemRepresentation() == publicPEM)
    }

    @Test func generatedKeyRoundTripsThroughPEM() throws {
        let key = try Ed25519PrivateKey.generate()
        let reloaded = try Ed25519PrivateKey(pem: key.pkcs8PEM())
        #expect(reloaded.publicKey == key.publicKey)
        let message = Array("round trip".utf8)
        #expect(try reloaded.signature(for: message) == key.signature(for: message))
        let publicKey = try Ed25519PublicKey(pem: key.publicKey.pemRepresentation())
        #expect(publicKey == key.publicKey)
        #expect(publicKey.rawRepresentation == key.publicKey.rawRepresentation)
    }

    @Test(arguments: ["openssl-rsa2048-test-only", "openssl-ec-p256-test-only", "openssl-x25519-test-only"])
    func otherKeyTypesAreWrongKeyType(_ name: String) throws {
        let privatePEM = try Vectors.text("\(name).key.pem")
        let publicPEM = try Vectors.text("\(name).pub.pem")
        #expect(Self.code { _ = try Ed25519PrivateKey(pem: privatePEM) } == .wrongKeyType)
        #expect(Self.code { _ = try Ed25519PublicKey(pem: publicPEM) } == .wrongKeyType)
    }

    @Test(arguments: [
        "openssl-ed25519-encrypted-pass-x-test-only.key.pem",
        "openssl-rsa2048-traditional-encrypted-pass-x-test-only.key.pem",
    ])
    func encryptedKeysAreRefusedWithoutPrompting(_ name: String) throws {
        let pem = try Vectors.text(name)
        #expect(Self.code { _ = try Ed25519PrivateKey(pem: pem) } == .encryptedKey)
    }

    @Test func garbageIsInvalidPEM() throws {
        let publicPEM = try Vectors.text("openssl-ed25519-test-only.pub.pem")
        let privatePEM = try Vectors.text("openssl-ed25519-test-only.key.pem")
        let inputs: [(String, String)] = [
            ("empty", ""),
            ("not PEM", try Vectors.text("not-pem.txt")),
            ("corrupt base64", try Vectors.text("pem-corrupt-base64.pem")),
            ("truncated SPKI", try Vectors.text("pem-truncated-der.pem")),
            ("two blocks", try Vectors.text("pem-two-public-key-blocks.pem")),
            ("text before", "key:\n" + publicPEM),
            ("indented BEGIN line", "  " + publicPEM),
            ("text after", publicPEM + "trailing\n"),
            ("no END line", String(publicPEM.split(separator: "\n").dropLast().joined(separator: "\n"))),
            ("private key given", privatePEM),
        ]
        for (what, text) in inputs {
            #expect(Self.code { _ = try Ed25519PublicKey(pem: text) } == .invalidPEM, "\(what)")
        }
        let privateInputs: [(String, String)] = [
            ("empty", ""),
            ("not PEM", try Vectors.text("not-pem.txt")),
            ("truncated PKCS#8", try Vectors.text("pem-truncated-pkcs8.pem")),
            ("public key given", publicPEM),
            ("text after", privatePEM + privatePEM),
        ]
        for (what, text) in privateInputs {
            #expect(Self.code { _ = try Ed25519PrivateKey(pem: text) } == .invalidPEM, "\(what)")
        }
    }

    @Test func surroundingWhitespaceIsAccepted() throws {
        let publicPEM = try Vectors.text("openssl-ed25519-test-only.pub.pem")
        #expect(throws: Never.self) { try Ed25519PublicKey(pem: "\n\r\n" + publicPEM + "\n \t\r\n") }
    }

    @Test func errorsCarryOpenSSLReasonsButNoKeyMaterial() throws {
        let truncated = try Vectors.text("pem-truncated-pkcs8.pem")
        do {
            _ = try Ed25519PrivateKey(pem: truncated)
            Issue.record("truncated key loaded")
        } catch {
            #expect(error.code == .invalidPEM)
            #expect(error.detail.contains("d2i_PKCS8_PRIV_KEY_INFO"))
            #expect(error.description.hasPrefix("invalid-pem: "))
            let body = truncated.split(separator: "\n")[1]
            #expect(!error.detail.contains(body))
        }
    }

    @Test func privateKeyDescriptionShowsNoKeyMaterial() throws {
        let pem = try Vectors.text("openssl-ed25519-test-only.key.pem")
        let key = try Ed25519PrivateKey(pem: pem)
        let text = key.description
        #expect(text == "Ed25519PrivateKey(keyID: \(key.publicKey.keyID.hex))")
        #expect("\(key)" == text && String(describing: key) == text)
        let body = String(pem.split(separator: "\n")[1])
        #expect(!text.contains(body))
        // The PKCS#8 DER ends with the 32-byte seed (RFC 8410 section 7); look for it in hex.
        let der = try #require(Array(base64Encoded: body))
        let seed = Array(der.suffix(32))
        #expect(!text.contains(seed.hex))
        #expect(!text.contains(key.publicKey.rawRepresentation.hex))
    }
}

extension Array where Element == UInt8 {
    init?(base64Encoded text: String) {
        guard let data = Data(base64Encoded: text) else { return nil }
        self = Array(data)
    }
}

