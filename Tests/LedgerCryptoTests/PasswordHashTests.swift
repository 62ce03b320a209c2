import Foundation
import LedgerCrypto
import Testing

/// scrypt password hashes (RFC 7914) in the `$scrypt$ln=,r=,p=$salt$hash` form.
@Suite struct PasswordHashTests {
    @Test func rfc7914SectionTwelveVectorVerifies() throws {
        // RFC 7914 section 12, the third vector: scrypt(P="pleaseletmein", S="SodiumChloride", N=16384, r=8, p=1, dkLen=64)
        // = 7023bdcb3afd7348461c06cd81fd38eb...45575887; base64 of S and of the output.
        let encoded = "$scrypt$ln=14,r=8,p=1$U29kaXVtQ2hsb3JpZGU=$cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofLVQylVYT8Pz2LUlwUkKpr55h6F3A1lHkDfzwF7RVdYhw=="
        #expect(try PasswordHash.verify(password: "pleaseletmein", against: encoded))
        #expect(try !PasswordHash.verify(password: "pleaseletmeiN", against: encoded))
        #expect(try PasswordHash.parameters(of: encoded) == ScryptParameters(log2N: 14, r: 8, p: 1))
    }

    @Test func defaultHashVerifiesItsPasswordOnly() throws {
        let encoded = try PasswordHash.make(password: "correct horse battery staple")
        #expect(encoded.hasPrefix("$scrypt$ln=15,r=8,p=1$"))
        let fields = encoded.split(separator: "$")
        #expect(fields.count == 4)
        #expect(Base64.decode(fields[2])?.count == 16)
        #expect(Base64.decode(fields[3])?.count == 32)
        #expect(try PasswordHash.verify(password: "correct horse battery staple", against: encoded))
        #expect(try !PasswordHash.verify(password: "correct horse battery stapl", against: encoded))
        #expect(try !PasswordHash.verify(password: "", against: encoded))
    }

    @Test func saltsDifferAndTamperingFails() throws {
        let cheap = try #require(ScryptParameters(log2N: 4, r: 8, p: 1))
        let a = try PasswordHash.make(password: "same password here", parameters: cheap)
        let b = try PasswordHash.make(password: "same password here", parameters: cheap)
        #expect(a != b)
        var fields = a.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        var hash = try #require(Base64.decode(fields[4]))
        hash[0] ^= 1
        fields[4] = Base64.encode(hash)
        #expect(try !PasswordHash.verify(password: "same password here", against: fields.joined(separator: "$")))
        // The parameters are part of what is checked: the same salt and hash at another cost do not match.
        #expect(try !PasswordHash.verify(password: "same password here", against: a.replacingFirst("ln=4", "ln=5")))
    }

    @Test(arguments: [
        "", "scrypt", "$scrypt$", "$bcrypt$ln=4,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==",
        "$scrypt$ln=4,r=8$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==",
        "$scrypt$ln=04,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==",
        "$scrypt$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==",
        "$scrypt$ln=20,r=32,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==",
        "$scrypt$ln=4,r=8,p=99$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==",
        "$scrypt$ln=4,r=8,p=1$AAAA$AAAAAAAAAAAAAAAAAAAAAA==",
        "$scrypt$ln=4,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA==",
        "$scrypt$ln=4,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==$",
        "$scrypt$p=1,r=8,ln=4$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==",
        "$scrypt$ln=+4,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==",
    ])
    func malformedHashesAreRefused(_ encoded: String) {
        #expect(throws: CryptoError.self) { try PasswordHash.verify(password: "whatever it is", against: encoded) }
        do { _ = try PasswordHash.verify(password: "whatever it is", against: encoded) } catch {
            #expect(error.code == .invalidPasswordHash)
        }
    }

    @Test func parameterBoundsAreEnforced() {
        #expect(ScryptParameters(log2N: 21, r: 8, p: 1) == nil)
        #expect(ScryptParameters(log2N: 18, r: 16, p: 1) == nil) // 512 MiB
        #expect(ScryptParameters(log2N: 17, r: 8, p: 1) != nil)  // 128 MiB
        #expect(ScryptParameters(log2N: 0, r: 8, p: 1) == nil)
    }

    @Test func overlongPasswordsAreRefused() throws {
        let long = String(repeating: "x", count: PasswordHash.maxPasswordBytes + 1)
        #expect(throws: CryptoError.self) { try PasswordHash.make(password: long) }
        let cheap = try #require(ScryptParameters(log2N: 4, r: 8, p: 1))
        let encoded = try PasswordHash.make(password: "a short one!", parameters: cheap)
        #expect(try !PasswordHash.verify(password: long, against: encoded))
    }

    @Test func randomBytesAndConstantTimeComparison() throws {
        let a = try SecureRandom.bytes(32), b = try SecureRandom.bytes(32)
        #expect(a.count == 32 && b.count == 32)
        #expect(a != b)
        #expect(try SecureRandom.bytes(0).isEmpty)
        #expect(ConstantTime.equal(a, a))
        #expect(!ConstantTime.equal(a, b))
        #expect(!ConstantTime.equal(a, Array(a.dropLast())))
        #expect(ConstantTime.equal([], []))
    }
}

private extension String {
    func replacingFirst(_ target: String, _ replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
