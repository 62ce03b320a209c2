import COpenSSL

/// Signs many messages with one key on one thread (a piece of a batch), initialising OpenSSL's signing
/// context once (EVP_DigestSignInit(3) with a NULL digest: pure Ed25519, RFC 8032 section 5.1.6) instead
/// of once per signature, as `openssl speed` does. The context holds a reference to the key until the
/// signer is released: keep it for one piece of work. Not thread-safe.
public final class Ed25519BatchSigner {
    private let context = EVPDigestContext()
    private let key: Ed25519PrivateKey
    private var ready = false

    public init(_ key: Ed25519PrivateKey) {
        self.key = key
    }

    deinit { EVP_MD_CTX_reset(context.pointer) }

    /// The 64-byte signature of `message`: the same bytes as `key.signature(for:)` (Ed25519 is deterministic).
    public func signature(for message: [UInt8]) throws(CryptoError) -> [UInt8] {
        // An OpenSSL that refuses a second one-shot sign on the same context gets a fresh one.
        if ready, let signature = sign(message) { return signature }
        ERR_clear_error()
        EVP_MD_CTX_reset(context.pointer)
        ready = EVP_DigestSignInit(context.pointer, nil, nil, nil, key.pkey) == 1
        guard ready else { throw .openSSL(.signFailed, "EVP_DigestSignInit") }
        guard let signature = sign(message) else {
            ready = false
            throw .openSSL(.signFailed, "EVP_DigestSign")
        }
        return signature
    }

    private func sign(_ message: [UInt8]) -> [UInt8]? {
        var length = Ed25519PublicKey.signatureByteCount
        let signature = message.withUnsafeBufferPointer { m in
            [UInt8](unsafeUninitializedCapacity: length) { output, initialized in
                let rc = EVP_DigestSign(context.pointer, output.baseAddress, &length, m.baseAddress, m.count)
                initialized = rc == 1 ? length : 0
            }
        }
        return signature.count == Ed25519PublicKey.signatureByteCount ? signature : nil
    }
}
