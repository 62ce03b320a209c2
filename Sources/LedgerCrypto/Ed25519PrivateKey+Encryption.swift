import COpenSSL

/// How a private key is encrypted in PKCS#8 (RFC 5958 section 3, EncryptedPrivateKeyInfo): PBES2
/// (RFC 8018 section 6.2) with AES-256-CBC and a 16-byte random salt, under one of two key
/// derivations. Both are what `openssl pkcs8 -topk8 -v2 aes-256-cbc [-scrypt]` writes and what
/// `openssl pkey -passin` reads.
public enum KeyEncryption: Sendable, Equatable {
    /// scrypt (RFC 7914 section 7): for a human password. OpenSSL reads scrypt-protected keys with
    /// at most 32 MiB of memory, so 128 * r * 2^log2N must stay under that (log2N <= 14 with r = 8).
    case scrypt(log2N: Int, r: Int, p: Int)
    /// PBKDF2 with HMAC-SHA-256 (RFC 8018 section 5.2): for a high-entropy secret such as an API
    /// token, where a slow derivation adds nothing.
    case pbkdf2(iterations: Int)

    /// For a password: N = 2^14, r = 8, p = 1 (16 MiB), `openssl pkcs8 -scrypt`'s own choice.
    public static let password = KeyEncryption.scrypt(log2N: 14, r: 8, p: 1)
    /// For a secret of 128 bits or more of entropy: PBKDF2-SHA-256 with 2,048 iterations (OpenSSL's default).
    public static let highEntropySecret = KeyEncryption.pbkdf2(iterations: 2048)
}

extension Ed25519PrivateKey {
    static let maxPassphraseBytes = 1024

    /// An "-----BEGIN ENCRYPTED PRIVATE KEY-----" block (RFC 7468 section 11) holding this key
    /// under `passphrase` (its UTF-8 bytes, as `openssl pkey -passin pass:...` uses them).
    public func encryptedPKCS8PEM(passphrase: String, encryption: KeyEncryption = .password) throws(CryptoError) -> String {
        try Self.checkPassphrase(passphrase)
        guard let info = EVP_PKEY2PKCS8(pkey) else { throw .openSSL(.encodeFailed, "EVP_PKEY2PKCS8") }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        var salt = try SecureRandom.bytes(16)
        let algorithm: UnsafeMutablePointer<X509_ALGOR>? = salt.withUnsafeMutableBufferPointer { salt in
            switch encryption {
            case .scrypt(let log2N, let r, let p):
                guard (1...14).contains(log2N), (1...32).contains(r), (1...16).contains(p) else { return nil }
                return PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), salt.baseAddress, Int32(salt.count), nil,
                                             UInt64(1) << UInt64(log2N), UInt64(r), UInt64(p))
            case .pbkdf2(let iterations):
                guard (1...10_000_000).contains(iterations) else { return nil }
                return PKCS5_pbe2_set_iv(EVP_aes_256_cbc(), Int32(iterations), salt.baseAddress, Int32(salt.count),
                                         nil, NID_hmacWithSHA256)
            }
        }
        guard let algorithm else { throw .openSSL(.encodeFailed, "PKCS5_pbe2_set (\(encryption))") }
        var passphrase = passphrase
        let sealed: OpaquePointer? = passphrase.withUTF8 { pass in
            pass.withMemoryRebound(to: CChar.self) { PKCS8_set0_pbe($0.baseAddress, Int32($0.count), info, algorithm) }
        }
        // PKCS8_set0_pbe owns `algorithm` only when it succeeds.
        guard let sealed else {
            X509_ALGOR_free(algorithm)
            throw .openSSL(.encodeFailed, "PKCS8_set0_pbe")
        }
        defer { X509_SIG_free(sealed) }
        return try PEMBlock.encode("PEM_write_bio_PKCS8") { PEM_write_bio_PKCS8($0, sealed) }
    }

    /// Reads an "ENCRYPTED PRIVATE KEY" block (PBES2 with any key derivation and cipher OpenSSL
    /// supports) under `passphrase`. Throws `.wrongPassphrase` when it does not decrypt (a wrong
    /// passphrase, or a damaged block), `.wrongKeyType` for another key type, `.invalidPEM` for
    /// anything else, including an unencrypted key (read that with `init(pem:)`). Never prompts.
    public convenience init(encryptedPEM pem: String, passphrase: String) throws(CryptoError) {
        try Self.checkPassphrase(passphrase)
        var passphrase = passphrase
        let pkey = try PEMBlock.withDecodedBlock(pem) { label, headers, der throws(CryptoError) -> OpaquePointer in
            guard label == "ENCRYPTED PRIVATE KEY", headers.isEmpty else {
                throw CryptoError(code: .invalidPEM, detail: "expected an ENCRYPTED PRIVATE KEY block (PKCS#8), found \(label)")
            }
            let sealed = try PEMBlock.decodeDER(der, "d2i_X509_SIG", { d2i_X509_SIG(nil, $0, $1) }, free: X509_SIG_free)
            defer { X509_SIG_free(sealed) }
            let info: OpaquePointer? = passphrase.withUTF8 { pass in
                pass.withMemoryRebound(to: CChar.self) { PKCS8_decrypt(sealed, $0.baseAddress, Int32($0.count)) }
            }
            guard let info else { throw .openSSL(.wrongPassphrase, "the key does not decrypt with this passphrase (PKCS8_decrypt)") }
            defer { PKCS8_PRIV_KEY_INFO_free(info) }
            guard let pkey = EVP_PKCS82PKEY(info) else { throw .openSSL(.invalidPEM, "EVP_PKCS82PKEY") }
            return pkey
        }
        defer { EVP_PKEY_free(pkey) }
        guard EVP_PKEY_get_id(pkey) == EVP_PKEY_ED25519 else {
            throw CryptoError(code: .wrongKeyType, detail: "the encrypted key is not an Ed25519 key")
        }
        var seed = [UInt8](repeating: 0, count: 32)
        defer { seed.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        var length = seed.count
        guard seed.withUnsafeMutableBufferPointer({ EVP_PKEY_get_raw_private_key(pkey, $0.baseAddress, &length) }) == 1,
              length == 32 else {
            throw .openSSL(.invalidPEM, "EVP_PKEY_get_raw_private_key")
        }
        try self.init(seed: seed)
    }

    private static func checkPassphrase(_ passphrase: String) throws(CryptoError) {
        guard !passphrase.isEmpty, passphrase.utf8.count <= maxPassphraseBytes else {
            throw CryptoError(code: .wrongPassphrase, detail: "a passphrase must be 1 to \(maxPassphraseBytes) bytes")
        }
    }
}
