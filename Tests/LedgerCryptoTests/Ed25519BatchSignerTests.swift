import LedgerCrypto
import Testing

/// One signing context reused for many messages gives, message by message, the signature of a context
/// initialised for each (Ed25519 is deterministic, RFC 8032 section 5.1.6), and each verifies.
@Suite struct Ed25519BatchSignerTests {
    @Test func reusedContextSignsAsAFreshOne() throws {
        let key = try Ed25519PrivateKey(seed: [UInt8](repeating: 0x5A, count: 32))
        let signer = Ed25519BatchSigner(key)
        for n in 0..<200 {
            let message = (0..<(n * 7 % 900)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n) }
            let batch = try signer.signature(for: message)
            #expect(batch == (try key.signature(for: message)), "message \(n)")
            #expect(key.publicKey.isValidSignature(batch, for: message), "message \(n)")
        }
    }
}
