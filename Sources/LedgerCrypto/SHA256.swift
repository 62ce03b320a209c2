import COpenSSL

/// One-shot SHA-256 (FIPS 180-4) on this thread's reused EVP_MD_CTX; no allocation per call.
public enum SHA256 {
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> SHA256Digest {
        let context = ThreadEVPContexts.current.hashing.pointer
        begin(context)
        update(context, bytes)
        return finish(context)
    }

    public static func hash(_ bytes: [UInt8]) -> SHA256Digest {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// SHA-256(prefix || bytes): RFC 6962 leaf (prefix 0x00) hashing without copying.
    public static func hash(prefix: UInt8, _ bytes: UnsafeRawBufferPointer) -> SHA256Digest {
        let context = ThreadEVPContexts.current.hashing.pointer
        begin(context)
        var prefix = prefix
        Swift.withUnsafeBytes(of: &prefix) { update(context, $0) }
        update(context, bytes)
        return finish(context)
    }

    /// SHA-256(0x01 || left || right): RFC 6962 section 2.1 interior node.
    public static func hashChildren(_ left: SHA256Digest, _ right: SHA256Digest) -> SHA256Digest {
        withUnsafeTemporaryAllocation(byteCount: 1 + 2 * SHA256Digest.byteCount, alignment: 8) { node in
            node[0] = 0x01
            left.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: node[1...32]).copyMemory(from: $0) }
            right.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: node[33...64]).copyMemory(from: $0) }
            return hash(UnsafeRawBufferPointer(node))
        }
    }

    static func begin(_ context: OpaquePointer) {
        guard EVP_DigestInit_ex2(context, sha256Algorithm, nil) == 1 else {
            OpenSSLErrorQueue.fatal("EVP_DigestInit_ex2(SHA-256)")
        }
    }

    static func update(_ context: OpaquePointer, _ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        guard EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1 else {
            OpenSSLErrorQueue.fatal("EVP_DigestUpdate(SHA-256)")
        }
    }

    static func finish(_ context: OpaquePointer) -> SHA256Digest {
        var digest = SHA256Digest.zero
        let rc = digest.withUnsafeMutableBytes { output in
            EVP_DigestFinal_ex(context, output.baseAddress!.assumingMemoryBound(to: UInt8.self), nil)
        }
        guard rc == 1 else { OpenSSLErrorQueue.fatal("EVP_DigestFinal_ex(SHA-256)") }
        return digest
    }
}

/// Incremental SHA-256 of large inputs (archived source files), on a context of its own.
/// One instance, one thread at a time; `finalize()` ends it and may be called once.
public final class SHA256Stream {
    private let context = EVPDigestContext()
    private var finalized = false

    public init() {
        SHA256.begin(context.pointer)
    }

    /// Precondition: `finalize()` has not been called.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!finalized, "SHA256Stream.update after finalize")
        SHA256.update(context.pointer, bytes)
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest of everything passed to `update`. Precondition: not called before.
    public func finalize() -> SHA256Digest {
        precondition(!finalized, "SHA256Stream.finalize called twice")
        finalized = true
        return SHA256.finish(context.pointer)
    }
}
