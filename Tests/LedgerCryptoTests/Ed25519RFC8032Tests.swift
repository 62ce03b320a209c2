import LedgerCrypto
import Testing

/// RFC 8032 section 7.1 test vectors: public key from seed, deterministic signature, verification.
@Suite struct Ed25519RFC8032Tests {
    struct Vector: Decodable, CustomTestStringConvertible {
        let name, secretKey, publicKey, message, signature: String
        var testDescription: String { name }
    }

    struct File: Decodable { let cases: [Vector] }

    static let vectors: [Vector] = (try? Vectors.json(File.self, "rfc8032-section-7.1-ed25519.json").cases) ?? []

    @Test func allFiveVectorsLoad() {
        #expect(Self.vectors.map(\.name) == ["TEST 1", "TEST 2", "TEST 3", "TEST 1024", "TEST SHA(abc)"])
    }

    @Test(arguments: vectors)
    func publicKeySignatureAndVerification(_ vector: Vector) throws {
        let key = try Ed25519PrivateKey(seed: [UInt8](hex: vector.secretKey))
        let message = try [UInt8](hex: vector.message)
        let expectedSignature = try [UInt8](hex: vector.signature)
        #expect(key.publicKey.rawRepresentation.hex == vector.publicKey)
        #expect(try key.signature(for: message) == expectedSignature)
        #expect(try message.withUnsafeBytes { try key.signature(for: $0) } == expectedSignature)

        let publicKey = try Ed25519PublicKey(rawRepresentation: [UInt8](hex: vector.publicKey))
        #expect(publicKey == key.publicKey)
        #expect(publicKey.keyID == SHA256.hash(try [UInt8](hex: vector.publicKey)))
        #expect(publicKey.isValidSignature(expectedSignature, for: message))
        expectedSignature.withUnsafeBytes { signature in
            message.withUnsafeBytes { #expect(publicKey.isValidSignature(signature, for: $0)) }
        }
    }

    @Test func emptyMessageWithNilBaseAddress() throws {
        let vector = try #require(Self.vectors.first)
        let key = try Ed25519PrivateKey(seed: [UInt8](hex: vector.secretKey))
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        let signature = try key.signature(for: empty)
        #expect(signature.hex == vector.signature)
        signature.withUnsafeBytes { #expect(key.publicKey.isValidSignature($0, for: empty)) }
    }

    @Test func generatedKeysSignAndVerify() throws {
        let key = try Ed25519PrivateKey.generate()
        let other = try Ed25519PrivateKey.generate()
        #expect(key.publicKey != other.publicKey)
        let message = Array("a claim".utf8)
        let signature = try key.signature(for: message)
        #expect(signature.count == Ed25519PublicKey.signatureByteCount)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!other.publicKey.isValidSignature(signature, for: message))
    }

    @Test func keyLengthsAreExact() {
        for count in [0, 31, 33, 64] {
            let bytes = [UInt8](repeating: 1, count: count)
            #expect(throws: CryptoError.self) { try Ed25519PrivateKey(seed: bytes) }
            #expect(throws: CryptoError.self) { try Ed25519PublicKey(rawRepresentation: bytes) }
            do {
                _ = try Ed25519PublicKey(rawRepresentation: bytes)
            } catch {
                #expect(error.code == .invalidKeyLength)
            }
            do {
                _ = try Ed25519PrivateKey(seed: bytes)
            } catch {
                #expect(error.code == .invalidKeyLength)
            }
        }
    }
}
