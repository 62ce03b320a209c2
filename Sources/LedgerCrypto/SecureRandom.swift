import COpenSSL

/// Bytes from OpenSSL's default DRBG (RAND_bytes(3)), seeded by the operating system: for salts,
/// API tokens and identifiers that must not be guessed.
public enum SecureRandom {
    /// `count` random bytes (0...1 MiB). Throws `.randomFailed` if the DRBG cannot be seeded.
    public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        precondition((0...(1 << 20)).contains(count), "SecureRandom.bytes: count \(count) out of 0...1 MiB")
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0, RAND_bytes(buffer.baseAddress, Int32(count)) != 1 {
                failed = true
                initialized = 0
                return
            }
            initialized = count
        }
        if failed { throw .openSSL(.randomFailed, "RAND_bytes(\(count))") }
        return bytes
    }
}

/// Comparison whose time depends only on the lengths (CRYPTO_memcmp(3)), for secrets and their hashes.
public enum ConstantTime {
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, x.count) == 0 } }
    }
}
