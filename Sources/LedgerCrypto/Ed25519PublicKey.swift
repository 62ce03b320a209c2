import COpenSSL

/// An Ed25519 public key (RFC 8032 section 5.1.5). Immutable; the EVP_PKEY it owns is only
/// read after init, which OpenSSL allows from many threads at once.
public final class Ed25519PublicKey: Hashable, @unchecked Sendable {
    public static let byteCount = 32
    /// The length of every Ed25519 signature (RFC 8032 section 5.1.6).
    public static let signatureByteCount = 64

    let pkey: OpaquePointer
    public let rawRepresentation: [UInt8]
    /// SHA-256 of the raw 32 bytes.
    public let keyID: SHA256Digest
    /// Why this key verifies nothing under the acceptance rule (non-canonical or small order), if it does not.
    public let keyRejection: Ed25519Rejection?

    /// True for the 14 encodings of small-order points (7.6 of docs/FORMAT.md): such a key can verify
    /// forged signatures in OpenSSL, so ledgers refuse to admit it (this type already makes every
    /// verification under it fail).
    public var isSmallOrder: Bool { Ed25519SmallOrder.contains(rawRepresentation) }

    /// Exactly 32 bytes, the encoded point A. Like OpenSSL, init does not check the point: an
    /// encoding that is not a curve point, not canonical (y >= p) or of small order fails every
    /// verification.
    public convenience init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
        let raw = Array(rawRepresentation)
        guard raw.count == Self.byteCount else {
            throw CryptoError(code: .invalidKeyLength, detail: "Ed25519 public key must be 32 bytes, got \(raw.count)")
        }
        guard let pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, raw, raw.count) else {
            throw .openSSL(.internalError, "EVP_PKEY_new_raw_public_key")
        }
        self.init(owning: pkey, raw: raw)
    }

    /// An SPKI "-----BEGIN PUBLIC KEY-----" block (RFC 8410 section 4) holding an Ed25519 key;
    /// other key types throw `.wrongKeyType`, anything else that is not one such block `.invalidPEM`.
    public convenience init(pem: String) throws(CryptoError) {
        let pkey = try PEMBlock.withDecodedBlock(pem) { label, _, der throws(CryptoError) -> OpaquePointer in
            guard label == "PUBLIC KEY" else {
                throw CryptoError(code: .invalidPEM, detail: "expected a PUBLIC KEY block, found \(label)")
            }
            return try PEMBlock.decodeDER(der, "d2i_PUBKEY", { d2i_PUBKEY(nil, $0, $1) }, free: EVP_PKEY_free)
        }
        try self.init(adopting: pkey)
    }

    /// Takes ownership of `pkey` (freed here on failure); throws unless it is an Ed25519 key.
    private convenience init(adopting pkey: OpaquePointer) throws(CryptoError) {
        let raw: [UInt8]
        do {
            raw = try Self.rawPublicKey(of: pkey)
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
        self.init(owning: pkey, raw: raw)
    }

    /// The 32-byte public point of `pkey` (public or private); `.wrongKeyType` unless Ed25519.
    static func rawPublicKey(of pkey: OpaquePointer) throws(CryptoError) -> [UInt8] {
        guard EVP_PKEY_is_a(pkey, "ED25519") == 1 else {
            let type = EVP_PKEY_get0_type_name(pkey).map { String(cString: $0) } ?? "unknown"
            throw CryptoError(code: .wrongKeyType, detail: "expected an Ed25519 key, found \(type)")
        }
        var raw = [UInt8](repeating: 0, count: byteCount)
        var length = raw.count
        guard EVP_PKEY_get_raw_public_key(pkey, &raw, &length) == 1, length == byteCount else {
            throw .openSSL(.internalError, "EVP_PKEY_get_raw_public_key")
        }
        return raw
    }

    /// `raw` is the 32-byte encoding of `pkey`'s public point; takes ownership of `pkey`.
    private init(owning pkey: OpaquePointer, raw: [UInt8]) {
        self.pkey = pkey
        self.rawRepresentation = raw
        self.keyID = SHA256.hash(raw)
        self.keyRejection = Ed25519Rule.keyRejection(raw)
    }

    deinit { EVP_PKEY_free(pkey) }

    /// SPKI PEM, byte for byte as `openssl pkey -pubout` writes it.
    public func pemRepresentation() throws(CryptoError) -> String {
        try PEMBlock.encode("PEM_write_bio_PUBKEY") { PEM_write_bio_PUBKEY($0, pkey) }
    }

    /// ClaimLedger's Ed25519 acceptance rule (docs/FORMAT.md section 7.6): true only if the key and
    /// the signature pass every check of `rejection(of:for:)`. Never throws.
    public func isValidSignature(_ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer) -> Bool {
        rejection(of: signature, for: message) == nil
    }

    /// Nil if `signature` is valid for `message` under this key, else the first check that refuses
    /// it: A and R must be canonical encodings (y < p) of points not of small order, S < L, then
    /// RFC 8032 pure Ed25519 verification by EVP_DigestVerify (NULL digest; the cofactorless
    /// equation). The byte checks come first, so OpenSSL only sees what the rule allows. Leaves
    /// this thread's OpenSSL error queue empty.
    public func rejection(of signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer) -> Ed25519Rejection? {
        if signature.count != Self.signatureByteCount { return .signatureLength }
        if let keyRejection { return keyRejection }
        if let reason = Ed25519Rule.signatureRejection(signature) { return reason }
        guard let signatureBytes = signature.baseAddress,
              let context = ThreadEVPContexts.current.verifyContext(for: pkey)
        else {
            ERR_clear_error()
            return .equation
        }
        let rc = EVP_DigestVerify(
            context, signatureBytes.assumingMemoryBound(to: UInt8.self), signature.count,
            message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count)
        guard rc == 1 else {
            ERR_clear_error()
            return .equation
        }
        return nil
    }

    public func rejection(of signature: [UInt8], for message: [UInt8]) -> Ed25519Rejection? {
        signature.withUnsafeBytes { signature in
            message.withUnsafeBytes { message in rejection(of: signature, for: message) }
        }
    }

    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        signature.withUnsafeBytes { signature in
            message.withUnsafeBytes { message in isValidSignature(signature, for: message) }
        }
    }

    public static func == (lhs: Ed25519PublicKey, rhs: Ed25519PublicKey) -> Bool {
        lhs.rawRepresentation == rhs.rawRepresentation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rawRepresentation)
    }
}
