import COpenSSL

/// scrypt's cost (RFC 7914 section 2): N = 2^log2N, block size r, parallelism p. Memory is about
/// 128 * r * N bytes; time grows linearly with N * r * p.
public struct ScryptParameters: Sendable, Equatable {
    public let log2N: Int
    public let r: Int
    public let p: Int

    /// The bounds a stored hash may name: memory up to 256 MiB and p up to 16, so that a damaged or
    /// hostile accounts file cannot make a login take minutes or gigabytes.
    public static let allowedLog2N = 1...20
    public static let allowedR = 1...32
    public static let allowedP = 1...16
    static let maxMemoryBytes = 256 << 20

    /// N = 2^15, r = 8, p = 1: 32 MiB and about 50-100 ms per hash on one idle core of a current
    /// server (the cost RFC 7914 section 2 suggests for interactive logins is N = 2^14; this doubles it).
    public static let interactiveLogin = ScryptParameters(uncheckedLog2N: 15, r: 8, p: 1)

    /// Nil unless every value is inside the bounds above.
    public init?(log2N: Int, r: Int, p: Int) {
        guard Self.allowedLog2N.contains(log2N), Self.allowedR.contains(r), Self.allowedP.contains(p),
              128 * r * (1 << log2N) <= Self.maxMemoryBytes else { return nil }
        self.init(uncheckedLog2N: log2N, r: r, p: p)
    }

    private init(uncheckedLog2N log2N: Int, r: Int, p: Int) {
        self.log2N = log2N
        self.r = r
        self.p = p
    }

    /// scrypt's output (EVP_PBE_scrypt(3)) of `keyLength` bytes.
    func derive(password: String, salt: [UInt8], keyLength: Int) throws(CryptoError) -> [UInt8] {
        // Room for scrypt's V (128 * r * N) and B (128 * r * p) arrays.
        let maxMemory = UInt64(128 * r * ((1 << log2N) + p) + 65_536)
        var failed = false
        var password = password
        let key = [UInt8](unsafeUninitializedCapacity: keyLength) { output, initialized in
            let rc = password.withUTF8 { pass in
                salt.withUnsafeBufferPointer { salt in
                    pass.withMemoryRebound(to: CChar.self) { pass in
                        EVP_PBE_scrypt(pass.baseAddress, pass.count, salt.baseAddress, salt.count,
                                       UInt64(1) << UInt64(log2N), UInt64(r), UInt64(p), maxMemory,
                                       output.baseAddress, keyLength)
                    }
                }
            }
            failed = rc != 1
            initialized = failed ? 0 : keyLength
        }
        if failed { throw .openSSL(.internalError, "EVP_PBE_scrypt(ln=\(log2N), r=\(r), p=\(p))") }
        return key
    }
}

/// Password hashes made with scrypt (RFC 7914), in a self-describing text form:
/// `$scrypt$ln=15,r=8,p=1$<salt>$<hash>`, salt (16 bytes) and hash (32 bytes) in RFC 4648 base64
/// with padding (a stored hash may have 8 to 64 bytes of salt and 16 to 64 of hash). The parameters
/// travel with the hash, so a stronger default later still verifies older hashes. Verification compares in constant time.
public enum PasswordHash {
    static let saltBytes = 16
    static let hashBytes = 32
    static let maxEncodedBytes = 256
    /// A password longer than this is refused before hashing (bounded work per attempt).
    public static let maxPasswordBytes = 1024

    /// A new hash of `password` with a fresh random salt.
    public static func make(password: String, parameters: ScryptParameters = .interactiveLogin) throws(CryptoError) -> String {
        try checkLength(password)
        let salt = try SecureRandom.bytes(saltBytes)
        let hash = try parameters.derive(password: password, salt: salt, keyLength: hashBytes)
        return "$scrypt$ln=\(parameters.log2N),r=\(parameters.r),p=\(parameters.p)$\(Base64.encode(salt))$\(Base64.encode(hash))"
    }

    /// Whether `password` matches `encoded`. Throws `.invalidPasswordHash` if `encoded` is not a hash
    /// this type makes (or names parameters outside `ScryptParameters`' bounds).
    public static func verify(password: String, against encoded: String) throws(CryptoError) -> Bool {
        let (parameters, salt, expected) = try parse(encoded)
        guard password.utf8.count <= maxPasswordBytes else { return false }
        let actual = try parameters.derive(password: password, salt: salt, keyLength: expected.count)
        return ConstantTime.equal(actual, expected)
    }

    /// The parameters a stored hash was made with (to tell when it should be remade).
    public static func parameters(of encoded: String) throws(CryptoError) -> ScryptParameters {
        try parse(encoded).parameters
    }

    static func checkLength(_ password: String) throws(CryptoError) {
        guard password.utf8.count <= maxPasswordBytes else {
            throw CryptoError(code: .invalidPasswordHash, detail: "password longer than \(maxPasswordBytes) bytes")
        }
    }

    static func parse(_ encoded: String) throws(CryptoError) -> (parameters: ScryptParameters, salt: [UInt8], hash: [UInt8]) {
        func invalid(_ why: String) -> CryptoError {
            CryptoError(code: .invalidPasswordHash, detail: "not a $scrypt$ password hash: \(why)")
        }
        guard encoded.utf8.count <= maxEncodedBytes else { throw invalid("longer than \(maxEncodedBytes) bytes") }
        let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else {
            throw invalid("expected $scrypt$ln=N,r=R,p=P$salt$hash")
        }
        let settings = fields[2].split(separator: ",", omittingEmptySubsequences: false)
        guard settings.count == 3,
              let ln = number(settings[0], "ln="), let r = number(settings[1], "r="), let p = number(settings[2], "p=")
        else { throw invalid("parameters must read ln=N,r=R,p=P") }
        guard let parameters = ScryptParameters(log2N: ln, r: r, p: p) else {
            throw invalid("parameters ln=\(ln),r=\(r),p=\(p) are outside the allowed bounds")
        }
        guard let salt = Base64.decode(fields[3]), (8...64).contains(salt.count) else {
            throw invalid("the salt must be 8 to 64 bytes in base64")
        }
        guard let hash = Base64.decode(fields[4]), (16...64).contains(hash.count) else {
            throw invalid("the hash must be 16 to 64 bytes in base64")
        }
        return (parameters, salt, hash)
    }

    /// A decimal after `prefix`, without sign or leading zeros, at most 4 digits.
    private static func number(_ field: Substring, _ prefix: String) -> Int? {
        guard field.hasPrefix(prefix) else { return nil }
        let digits = field.dropFirst(prefix.count)
        guard (1...4).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              digits == "0" || !digits.hasPrefix("0") else { return nil }
        return Int(digits)
    }
}
