import Foundation
import LedgerCrypto
import Testing

/// Ed25519 keys as encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY", PBES2, AES-256-CBC) under a passphrase,
/// checked both ways against the `openssl` command.
@Suite struct EncryptedPEMTests {
    static let encryptions: [KeyEncryption] = [.password, .highEntropySecret, .scrypt(log2N: 4, r: 8, p: 1)]

    @Test(arguments: encryptions)
    func roundTripKeepsTheKey(_ encryption: KeyEncryption) throws {
        let key = try Ed25519PrivateKey.generate()
        let pem = try key.encryptedPKCS8PEM(passphrase: "un mot de passe long", encryption: encryption)
        #expect(pem.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"))
        #expect(!pem.contains(try key.pkcs8PEM().split(separator: "\n")[1]))
        let back = try Ed25519PrivateKey(encryptedPEM: pem, passphrase: "un mot de passe long")
        #expect(back.publicKey == key.publicKey)
        #expect(try back.pkcs8PEM() == key.pkcs8PEM())
        // A fresh salt and IV each time.
        #expect(try key.encryptedPKCS8PEM(passphrase: "un mot de passe long", encryption: encryption) != pem)
    }

    @Test func wrongPassphraseIsRefused() throws {
        let key = try Ed25519PrivateKey.generate()
        let pem = try key.encryptedPKCS8PEM(passphrase: "the right passphrase", encryption: .scrypt(log2N: 4, r: 8, p: 1))
        for wrong in ["the right passphrasE", "the right passphrase ", "x"] {
            #expect(code { _ = try Ed25519PrivateKey(encryptedPEM: pem, passphrase: wrong) } == .wrongPassphrase)
        }
        #expect(code { _ = try Ed25519PrivateKey(encryptedPEM: pem, passphrase: "") } == .wrongPassphrase)
    }

    @Test func theTwoInitializersKeepToTheirKind() throws {
        let key = try Ed25519PrivateKey.generate()
        let encrypted = try key.encryptedPKCS8PEM(passphrase: "passphrase here", encryption: .highEntropySecret)
        // The unencrypted reader still refuses encrypted keys without asking for a password.
        #expect(code { _ = try Ed25519PrivateKey(pem: encrypted) } == .encryptedKey)
        #expect(code { _ = try Ed25519PrivateKey(encryptedPEM: try key.pkcs8PEM(), passphrase: "passphrase here") } == .invalidPEM)
        #expect(code { _ = try Ed25519PrivateKey(encryptedPEM: encrypted + "trailing", passphrase: "passphrase here") } == .invalidPEM)
        var damaged = Array(encrypted.utf8)
        damaged[80] = damaged[80] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(code { _ = try Ed25519PrivateKey(encryptedPEM: String(decoding: damaged, as: UTF8.self), passphrase: "passphrase here") } != nil)
    }

    @Test(.enabled(if: OpenSSLTool.isAvailable, "needs the openssl command"), arguments: encryptions)
    func opensslReadsWhatSwiftWrites(_ encryption: KeyEncryption) throws {
        let directory = try TemporaryDirectory()
        let key = try Ed25519PrivateKey.generate()
        let file = try directory.write("k.enc.pem", Array(try key.encryptedPKCS8PEM(passphrase: "pass phrase 1", encryption: encryption).utf8))
        let decrypted = try OpenSSLTool.run(["pkey", "-in", file, "-passin", "pass:pass phrase 1"])
        try #require(decrypted.status == 0, "\(decrypted.stderr)")
        #expect(String(decoding: decrypted.stdout, as: UTF8.self) == (try key.pkcs8PEM()))
        #expect(try OpenSSLTool.run(["pkey", "-in", file, "-passin", "pass:pass phrase 2"]).status != 0)
        // What the key derivation is, as openssl parses the structure.
        let structure = String(decoding: try OpenSSLTool.run(["asn1parse", "-in", file]).stdout, as: UTF8.self)
        #expect(structure.contains("PBES2"))
        #expect(structure.contains("aes-256-cbc"))
        if case .scrypt = encryption { #expect(structure.contains("id-scrypt")) } else { #expect(structure.contains("PBKDF2")) }
    }

    @Test(.enabled(if: OpenSSLTool.isAvailable, "needs the openssl command"), arguments: [
        ["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-scrypt"],
        ["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA512", "-iter", "1000"],
        ["pkey", "-aes-256-cbc"],
        ["pkcs8", "-topk8", "-v2", "aes-128-cbc"],
    ])
    func swiftReadsWhatOpenSSLWrites(_ command: [String]) throws {
        let directory = try TemporaryDirectory()
        let key = try Ed25519PrivateKey.generate()
        let plain = try directory.write("k.pem", Array(try key.pkcs8PEM().utf8))
        let encrypted = try OpenSSLTool.run(command + ["-in", plain, "-passout", "pass:from openssl"])
        try #require(encrypted.status == 0, "\(encrypted.stderr)")
        let pem = String(decoding: encrypted.stdout, as: UTF8.self)
        #expect(pem.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        #expect(try Ed25519PrivateKey(encryptedPEM: pem, passphrase: "from openssl").publicKey == key.publicKey)
        #expect(code { _ = try Ed25519PrivateKey(encryptedPEM: pem, passphrase: "from OpenSSL") } == .wrongPassphrase)
    }

    @Test(.enabled(if: OpenSSLTool.isAvailable, "needs the openssl command"))
    func otherKeyTypesAreRefused() throws {
        let generated = try OpenSSLTool.run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                                             "-aes-256-cbc", "-pass", "pass:ec key pass"])
        try #require(generated.status == 0, "\(generated.stderr)")
        let pem = String(decoding: generated.stdout, as: UTF8.self)
        #expect(code { _ = try Ed25519PrivateKey(encryptedPEM: pem, passphrase: "ec key pass") } == .wrongKeyType)
    }

    private func code(_ body: () throws -> Void) -> CryptoError.Code? {
        do { try body() } catch let error as CryptoError { return error.code } catch { return .internalError }
        return nil
    }
}
