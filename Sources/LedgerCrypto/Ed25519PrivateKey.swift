import COpenSSL

/// An Ed25519 private key (RFC 8032 section 5.1.5). Immutable after init; signing uses a
/// per-thread context, so one key may sign on many threads at once. Key bytes leave only
/// through `pkcs8PEM()`.
public final class Ed25519PrivateKey: @unchecked Sendable, CustomStringConvertible {
    let pkey: OpaquePointer
    public let publicKey: Ed25519PublicKey

    /// A new random key (EVP_PKEY_keygen(3) from OpenSSL's default DRBG).
    public static func generate() throws(CryptoError) -> Ed25519PrivateKey {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else {
            throw .openSSL(.keyGenerationFailed, "EVP_PKEY_CTX_new_id(ED25519)")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &pkey) == 1, let pkey else {
            throw .openSSL(.keyGenerationFailed, "EVP_PKEY_keygen(ED25519)")
        }
        return try Ed25519PrivateKey(adopting: pkey)
    }

    /// An unencrypted PKCS#8 "-----BEGIN PRIVATE KEY-----" block (RFC 8410 section 7), as
    /// `openssl genpkey -algorithm ED25519` writes it. Encrypted keys ("ENCRYPTED PRIVATE KEY",
    /// or legacy "Proc-Type: 4,ENCRYPTED" headers) throw `.encryptedKey` without prompting for
    /// a password; other key types `.wrongKeyType`; anything else `.invalidPEM`.
    public convenience init(pem: String) throws(CryptoError) {
        let pkey = try PEMBlock.withDecodedBlock(pem) { label, headers, der throws(CryptoError) -> OpaquePointer in
            if label == "ENCRYPTED PRIVATE KEY" || headers.contains("ENCRYPTED") {
                throw CryptoError(code: .encryptedKey, detail: "\(label) is encrypted; decrypt it with `openssl pkey` first")
            }
            switch label {
            case "PRIVATE KEY": break
            case "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY":
                throw CryptoError(code: .wrongKeyType, detail: "expected an Ed25519 PRIVATE KEY block, found \(label)")
            default:
                throw CryptoError(code: .invalidPEM, detail: "expected a PRIVATE KEY block, found \(label)")
            }
            let info = try PEMBlock.decodeDER(
                der, "d2i_PKCS8_PRIV_KEY_INFO", { d2i_PKCS8_PRIV_KEY_INFO(nil, $0, $1) }, free: PKCS8_PRIV_KEY_INFO_free)
            defer { PKCS8_PRIV_KEY_INFO_free(info) }
            guard let pkey = EVP_PKCS82PKEY(info) else {
                throw .openSSL(.invalidPEM, "EVP_PKCS82PKEY")
            }
            return pkey
        }
        try self.init(adopting: pkey)
    }

    /// The RFC 8032 32-byte private key (the seed that SHA-512 expands, section 5.1.5).
    public convenience init(seed: some Collection<UInt8>) throws(CryptoError) {
        guard seed.count == 32 else {
            throw CryptoError(code: .invalidKeyLength, detail: "Ed25519 private key must be 32 bytes, got \(seed.count)")
        }
        let pkey = withUnsafeTemporaryAllocation(byteCount: 32, alignment: 1) { buffer -> OpaquePointer? in
            buffer.copyBytes(from: seed)
            defer { OPENSSL_cleanse(buffer.baseAddress, buffer.count) }
            return EVP_PKEY_new_raw_private_key(
                EVP_PKEY_ED25519, nil, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count)
        }
        guard let pkey else { throw .openSSL(.internalError, "EVP_PKEY_new_raw_private_key") }
        try self.init(adopting: pkey)
    }

    /// Takes ownership of `pkey` (freed here on failure); throws unless it is an Ed25519 key.
    private init(adopting pkey: OpaquePointer) throws(CryptoError) {
        do {
            // The public half gets its own EVP_PKEY, holding no private material.
            publicKey = try Ed25519PublicKey(rawRepresentation: Ed25519PublicKey.rawPublicKey(of: pkey))
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
        self.pkey = pkey
    }

    deinit { EVP_PKEY_free(pkey) }

    /// The 64-byte RFC 8032 section 5.1.6 signature of `message` (pure Ed25519, no prehash).
    public func signature(for message: UnsafeRawBufferPointer) throws(CryptoError) -> [UInt8] {
        try sign(message).get()
    }

    public func signature(for message: [UInt8]) throws(CryptoError) -> [UInt8] {
        try message.withUnsafeBytes { sign($0) }.get()
    }

    private func sign(_ message: UnsafeRawBufferPointer) -> Result<[UInt8], CryptoError> {
        let context = ThreadEVPContexts.current.signing.pointer
        // Reset after every signature, so no thread's context keeps a reference to this key.
        defer { EVP_MD_CTX_reset(context) }
        guard EVP_DigestSignInit(context, nil, nil, nil, pkey) == 1 else {
            return .failure(.openSSL(.signFailed, "EVP_DigestSignInit"))
        }
        var length = Ed25519PublicKey.signatureByteCount
        let signature = [UInt8](unsafeUninitializedCapacity: length) { output, initialized in
            let rc = EVP_DigestSign(
                context, output.baseAddress, &length,
                message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count)
            initialized = rc == 1 ? length : 0
        }
        guard signature.count == Ed25519PublicKey.signatureByteCount else {
            return .failure(.openSSL(.signFailed, "EVP_DigestSign"))
        }
        return .success(signature)
    }

    /// Unencrypted PKCS#8 PEM, byte for byte as `openssl pkey` writes it: for writing a key
    /// file (mode 0600 is the caller's job). The only way key bytes leave this type.
    public func pkcs8PEM() throws(CryptoError) -> String {
        try PEMBlock.encode("PEM_write_bio_PrivateKey") {
            PEM_write_bio_PrivateKey($0, pkey, nil, nil, 0, nil, nil)
        }
    }

    /// Names the key by its public key's ID; never shows key material.
    public var description: String { "Ed25519PrivateKey(keyID: \(publicKey.keyID.hex))" }
}
