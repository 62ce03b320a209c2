import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 fetched once from the default provider (EVP_MD_fetch(3)). A fetched EVP_MD is
/// immutable and safe to share between threads; the implicit fetch in EVP_sha256() per call
/// costs more than hashing a small input.
nonisolated(unsafe) let sha256Algorithm: OpaquePointer = {
    guard let md = EVP_MD_fetch(nil, "SHA2-256", nil) else {
        OpenSSLErrorQueue.fatal("EVP_MD_fetch(SHA2-256)")
    }
    return md
}()

/// Owns one EVP_MD_CTX. Not thread-safe: use from one thread at a time.
final class EVPDigestContext {
    let pointer: OpaquePointer

    init() {
        guard let ctx = EVP_MD_CTX_new() else { OpenSSLErrorQueue.fatal("EVP_MD_CTX_new") }
        pointer = ctx
    }

    deinit { EVP_MD_CTX_free(pointer) }
}

/// The EVP_MD_CTX contexts of the current thread, created on first use and freed when the
/// thread exits. Never handed to another thread, and never held across a suspension point.
final class ThreadEVPContexts {
    let hashing = EVPDigestContext()
    let signing = EVPDigestContext()
    let verifying = EVPDigestContext()
    /// The EVP_PKEY `verifying` is initialised for, if any. Its EVP_PKEY_CTX holds a reference
    /// to that key, so the address cannot be reused by another key while it is cached here.
    private var verifyingKey: OpaquePointer?

    /// This thread's contexts.
    static var current: ThreadEVPContexts {
        if let raw = pthread_getspecific(threadContextsKey) {
            return Unmanaged<ThreadEVPContexts>.fromOpaque(raw).takeUnretainedValue()
        }
        let contexts = ThreadEVPContexts()
        let rc = pthread_setspecific(threadContextsKey, Unmanaged.passRetained(contexts).toOpaque())
        precondition(rc == 0, "LedgerCrypto: pthread_setspecific failed (\(rc))")
        return contexts
    }

    /// `verifying`, initialised for pure Ed25519 verification with `key` (EVP_DigestVerifyInit
    /// with a NULL digest, RFC 8032 section 5.1.7). An Ed25519 one-shot verify keeps no state
    /// between calls, so the context is reused while the key stays the same. Nil if OpenSSL
    /// refuses the key; the caller clears the error queue.
    func verifyContext(for key: OpaquePointer) -> OpaquePointer? {
        if verifyingKey == key { return verifying.pointer }
        verifyingKey = nil
        guard EVP_MD_CTX_reset(verifying.pointer) == 1,
              EVP_DigestVerifyInit(verifying.pointer, nil, nil, nil, key) == 1
        else {
            EVP_MD_CTX_reset(verifying.pointer)
            return nil
        }
        verifyingKey = key
        return verifying.pointer
    }
}

private let threadContextsKey: pthread_key_t = {
    var key = pthread_key_t()
    let rc = pthread_key_create(&key) { raw in
        let pointer: UnsafeMutableRawPointer? = raw
        if let pointer { Unmanaged<ThreadEVPContexts>.fromOpaque(pointer).release() }
    }
    precondition(rc == 0, "LedgerCrypto: pthread_key_create failed (\(rc))")
    return key
}()
