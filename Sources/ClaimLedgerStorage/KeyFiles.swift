import Glibc
import LedgerCrypto

/// Ed25519 key files: PKCS#8 PEM private keys that must not be readable by group or others (as ssh
/// requires), SPKI PEM public keys. Key material is never printed: errors name the file only.
public enum KeyFiles {
    static let maxKeyFileBytes = 16 * 1024

    public static func loadPrivateKey(_ path: String) throws(StoreError) -> Ed25519PrivateKey {
        let file: PosixFile
        do { file = try PosixFile(path: path, flags: O_RDONLY | O_NONBLOCK) } catch {
            throw StoreError(.keyFile, "cannot read key file \(path): \(String(cString: strerror(errno)))")
        }
        let (mode, regular) = try file.mode()
        guard regular else { throw StoreError(.keyFile, "key file \(path) is not a regular file") }
        guard mode & 0o077 == 0 else {
            throw StoreError(.keyPermissions, "key file \(path) is accessible by others (mode \(String(mode, radix: 8))): run `chmod 600 \(path)`")
        }
        let bytes = try file.readAll(limit: maxKeyFileBytes)
        do { return try Ed25519PrivateKey(pem: String(decoding: bytes, as: UTF8.self)) } catch {
            throw StoreError(.keyFile, "key file \(path) is not an unencrypted Ed25519 PKCS#8 PEM private key (\(error.code.rawValue))")
        }
    }

    public static func loadPublicKey(_ path: String) throws(StoreError) -> Ed25519PublicKey {
        let file: PosixFile
        do { file = try PosixFile(path: path, flags: O_RDONLY | O_NONBLOCK) } catch {
            throw StoreError(.keyFile, "cannot read public key file \(path): \(String(cString: strerror(errno)))")
        }
        let bytes = try file.readAll(limit: maxKeyFileBytes)
        do { return try Ed25519PublicKey(pem: String(decoding: bytes, as: UTF8.self)) } catch {
            throw StoreError(.keyFile, "\(path) is not an Ed25519 SPKI PEM public key (\(error.code.rawValue))")
        }
    }

    /// Writes `path` (private, mode 0600 from creation) and `path.pub` (public, 0644). Refuses to overwrite.
    public static func write(_ key: Ed25519PrivateKey, to path: String) throws(StoreError) {
        let pubPath = path + ".pub"
        guard !FileSystem.exists(path), !FileSystem.exists(pubPath) else {
            throw StoreError(.exists, "\(FileSystem.exists(path) ? path : pubPath) already exists: choose another --out")
        }
        let privatePEM: String, publicPEM: String
        do {
            privatePEM = try key.pkcs8PEM()
            publicPEM = try key.publicKey.pemRepresentation()
        } catch {
            throw StoreError(.keyFile, "cannot encode the new key (\(error.code.rawValue))")
        }
        try FileSystem.createExclusive(Array(privatePEM.utf8), at: path, mode: 0o600)
        do { try FileSystem.createExclusive(Array(publicPEM.utf8), at: pubPath, mode: 0o644) } catch {
            unlink(path)
            throw error
        }
        try FileSystem.syncDirectory(FileSystem.directoryOf(path))
    }
}
