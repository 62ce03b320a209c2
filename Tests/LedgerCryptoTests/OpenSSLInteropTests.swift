import Foundation
import LedgerCrypto
import Testing

/// Keys and signatures cross between LedgerCrypto and the `openssl` command (OpenSSL 3.0.19).
@Suite struct OpenSSLInteropTests {
    @Test func committedOpenSSLSignatureVerifiesAndSwiftSignsIdentically() throws {
        // Made with: openssl pkeyutl -sign -inkey openssl-ed25519-test-only.key.pem -rawin
        //   -in openssl-ed25519-test-only.message.txt -out openssl-ed25519-test-only.message.sig
        let key = try Ed25519PrivateKey(pem: Vectors.text("openssl-ed25519-test-only.key.pem"))
        let message = Array(try Vectors.data("openssl-ed25519-test-only.message.txt"))
        let signature = Array(try Vectors.data("openssl-ed25519-test-only.message.sig"))
        #expect(key.publicKey.isValidSignature(signature, for: message))
        // Ed25519 is deterministic (RFC 8032 section 5.1.6), so the bytes must agree.
        #expect(try key.signature(for: message) == signature)
    }

    @Test(.enabled(if: OpenSSLTool.isAvailable, "needs the openssl command"))
    func opensslSignsSwiftVerifies() throws {
        let directory = try TemporaryDirectory()
        let key = try Ed25519PrivateKey.generate()
        let keyFile = try directory.write("k.pem", Array(try key.pkcs8PEM().utf8))
        for (index, length) in [1, 33, 1000, 70_000].enumerated() {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
            let messageFile = try directory.write("m\(index)", message)
            let result = try OpenSSLTool.run(["pkeyutl", "-sign", "-inkey", keyFile, "-rawin", "-in", messageFile])
            try #require(result.status == 0, "\(result.stderr)")
            let signature = Array(result.stdout)
            #expect(key.publicKey.isValidSignature(signature, for: message), "length \(length)")
            #expect(try key.signature(for: message) == signature, "length \(length)")
        }
    }

    @Test(.enabled(if: OpenSSLTool.isAvailable, "needs the openssl command"))
    func swiftSignsOpenSSLVerifies() throws {
        let directory = try TemporaryDirectory()
        let key = try Ed25519PrivateKey.generate()
        let publicKeyFile = try directory.write("k.pub.pem", Array(try key.publicKey.pemRepresentation().utf8))
        let message = Array("signed in Swift, checked by openssl".utf8)
        let messageFile = try directory.write("m", message)
        let signatureFile = try directory.write("s", try key.signature(for: message))
        let verify = try OpenSSLTool.run([
            "pkeyutl", "-verify", "-pubin", "-inkey", publicKeyFile, "-rawin", "-in", messageFile, "-sigfile", signatureFile,
        ])
        #expect(verify.status == 0, "\(verify.stderr)")
        var tampered = try key.signature(for: message)
        tampered[0] ^= 1
        let badFile = try directory.write("bad", tampered)
        let refused = try OpenSSLTool.run([
            "pkeyutl", "-verify", "-pubin", "-inkey", publicKeyFile, "-rawin", "-in", messageFile, "-sigfile", badFile,
        ])
        #expect(refused.status != 0)
    }

    @Test(.enabled(if: OpenSSLTool.isAvailable, "needs the openssl command"))
    func pemMatchesOpenSSLPkeyOutput() throws {
        let directory = try TemporaryDirectory()
        let key = try Ed25519PrivateKey.generate()
        let keyFile = try directory.write("k.pem", Array(try key.pkcs8PEM().utf8))
        let pkcs8 = try OpenSSLTool.run(["pkey", "-in", keyFile])
        let spki = try OpenSSLTool.run(["pkey", "-in", keyFile, "-pubout"])
        #expect(String(decoding: pkcs8.stdout, as: UTF8.self) == (try key.pkcs8PEM()))
        #expect(String(decoding: spki.stdout, as: UTF8.self) == (try key.publicKey.pemRepresentation()))
    }
}
