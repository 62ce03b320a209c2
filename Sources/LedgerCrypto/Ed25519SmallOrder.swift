/// Encodings of points of small order. RFC 8032 section 5.1.7 does not exclude them, and OpenSSL
/// 3.0.19 accepts signatures under them that anyone can make (R = identity, S = 0 verifies
/// whenever 8 divides h), including under non-canonical encodings (y >= p, or x = 0 with the
/// sign bit set), and it accepts a small-order R. Such a point proves nothing, so the acceptance
/// rule (`Ed25519Rule`) refuses it as a public key A and as a signature's R.
enum Ed25519SmallOrder {
    /// The y-coordinates (little-endian, sign bit cleared) of every encoding that OpenSSL
    /// decodes to a point of order 1, 2, 4 or 8: y = 0, 1, p - 1, the two order-8 values, and
    /// the non-canonical y = p and p + 1. The same seven values libsodium blocks.
    private static let encodings: [[UInt8]] = [
        "0000000000000000000000000000000000000000000000000000000000000000", // y = 0, order 4
        "0100000000000000000000000000000000000000000000000000000000000000", // identity
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p - 1, order 2
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p (means 0)
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p + 1 (means 1)
    ].map(bytes(hex:))

    /// True if `encoded` (32 bytes) is one of the 14 encodings of a small-order point (each of
    /// the seven y values above with either sign bit).
    static func contains(_ encoded: some RandomAccessCollection<UInt8>) -> Bool {
        precondition(encoded.count == 32)
        return encodings.contains { y in
            zip(y, encoded).enumerated().allSatisfy { index, pair in
                pair.0 == (index == 31 ? pair.1 & 0x7f : pair.1)
            }
        }
    }

    private static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }
}
