/// Why ClaimLedger's Ed25519 acceptance rule (docs/FORMAT.md section 7.6) refuses a signature.
/// The checks run in this order; the first that fails is the reason.
public enum Ed25519Rejection: String, Sendable, CaseIterable {
    /// The signature is not exactly 64 bytes (RFC 8032 section 5.1.6).
    case signatureLength = "signature-length"
    /// A's y (its 255 low bits, little-endian) is p or more: a non-canonical encoding.
    case keyNotCanonical = "key-not-canonical"
    /// A is one of the 14 encodings of a point of order 1, 2, 4 or 8.
    case keySmallOrder = "key-small-order"
    /// R's y is p or more.
    case rNotCanonical = "r-not-canonical"
    /// R is one of the 14 small-order encodings.
    case rSmallOrder = "r-small-order"
    /// S, the little-endian second half, is not below the group order L (RFC 8032 section 5.1.7 step 1).
    case sNotReduced = "s-not-reduced"
    /// OpenSSL's RFC 8032 section 5.1.7 verification refused it: A or R is no curve point, or the
    /// cofactorless equation [S]B = R + [k]A does not hold.
    case equation
}

/// The byte-level checks of the acceptance rule, made before OpenSSL is called, so that the rule
/// does not depend on what a given OpenSSL version happens to check.
enum Ed25519Rule {
    /// The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian.
    private static let order: [UInt8] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ]

    /// The reason to refuse the point encoding `encoded` (32 bytes) as a public key, if any.
    static func keyRejection(_ encoded: some RandomAccessCollection<UInt8>) -> Ed25519Rejection? {
        if !isCanonicalY(encoded) { return .keyNotCanonical }
        if Ed25519SmallOrder.contains(encoded) { return .keySmallOrder }
        return nil
    }

    /// The reason to refuse a 64-byte signature R || S before the curve equation is checked, if any.
    static func signatureRejection(_ signature: UnsafeRawBufferPointer) -> Ed25519Rejection? {
        guard signature.count == Ed25519PublicKey.signatureByteCount else { return .signatureLength }
        let r = signature[0..<32], s = signature[32..<64]
        if !isCanonicalY(r) { return .rNotCanonical }
        if Ed25519SmallOrder.contains(r) { return .rSmallOrder }
        if !isBelowOrder(s) { return .sNotReduced }
        return nil
    }

    /// y < p = 2^255 - 19 for the 255 low bits of a little-endian point encoding (RFC 8032 section
    /// 5.1.3 step 1). The 19 values from p to 2^255 - 1 are ed ff .. ff 7f to ff ff .. ff 7f.
    static func isCanonicalY(_ encoded: some RandomAccessCollection<UInt8>) -> Bool {
        precondition(encoded.count == 32)
        let first = encoded[encoded.startIndex], last = encoded[encoded.index(before: encoded.endIndex)]
        guard last & 0x7f == 0x7f, encoded.dropFirst().dropLast().allSatisfy({ $0 == 0xff }) else { return true }
        return first < 0xed
    }

    /// S < L for a 32-byte little-endian scalar.
    static func isBelowOrder(_ scalar: some RandomAccessCollection<UInt8>) -> Bool {
        precondition(scalar.count == 32)
        for (digit, limit) in zip(scalar.reversed(), order.reversed()) where digit != limit {
            return digit < limit
        }
        return false
    }
}
