import LedgerCrypto
import SignedNote
import Testing

/// Note and checkpoint signatures follow the same Ed25519 acceptance rule as ledger entries
/// (docs/FORMAT.md 7.6): S < L, R canonical and not of small order, A likewise.
@Suite struct NoteSignatureRuleTests {
    /// The group order L, little-endian.
    static let order: [UInt8] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ]

    /// The note with its first signature replaced by `change(signature)`.
    static func respliced(_ bytes: [UInt8], _ change: ([UInt8]) -> [UInt8]) throws -> [UInt8] {
        let note = try SignedNoteDocument(parsing: bytes)
        let first = try #require(note.signatures.first)
        let text = String(decoding: bytes, as: UTF8.self)
        let id = [UInt8(first.keyID >> 24), UInt8((first.keyID >> 16) & 0xff), UInt8((first.keyID >> 8) & 0xff), UInt8(first.keyID & 0xff)]
        return Array(text.replacingOccurrences(of: Base64.encode(id + first.signature),
                                               with: Base64.encode(id + change(first.signature))).utf8)
    }

    static func failure(_ note: [UInt8], _ log: NoteSigner) -> NoteError.Code? {
        do {
            _ = try Checkpoint.open(note, verifier: log.verifierKey, origin: origin)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func aCheckpointSignatureWithSPlusLIsInvalid() throws {
        let log = try freshSigner(origin)
        let bytes = try Checkpoint(origin: origin, treeSize: 3, rootHash: sampleRoot).sign(signers: [log])
        let malleated = try Self.respliced(bytes) { signature in
            var out = signature, carry = 0
            for i in 0..<32 {
                let sum = Int(signature[32 + i]) + Int(Self.order[i]) + carry
                out[32 + i] = UInt8(sum & 0xff)
                carry = sum >> 8
            }
            return out
        }
        #expect(Self.failure(malleated, log) == .invalidSignature)
        #expect(Self.failure(bytes, log) == nil)
    }

    @Test func aCheckpointSignatureWithASmallOrderOrNonCanonicalRIsInvalid() throws {
        let log = try freshSigner(origin)
        let bytes = try Checkpoint(origin: origin, treeSize: 3, rootHash: sampleRoot).sign(signers: [log])
        let identity = [UInt8(1)] + [UInt8](repeating: 0, count: 31)
        let nonCanonical = [UInt8](repeating: 0xff, count: 31) + [0x7f]  // y = 2^255 - 1 >= p
        for r in [identity, nonCanonical] {
            let spoiled = try Self.respliced(bytes) { r + $0.suffix(32) }
            #expect(Self.failure(spoiled, log) == .invalidSignature)
        }
    }
}
