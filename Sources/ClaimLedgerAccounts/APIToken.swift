import LedgerCrypto

/// API bearer tokens: "clt_" and the unpadded base64url (RFC 4648 section 5) of 32 random bytes,
/// 47 characters in all.
enum APIToken {
    static let prefix = "clt_"
    static let randomBytes = 32
    static let length = 47

    static func make() throws(AccountError) -> String {
        let bytes: [UInt8]
        do { bytes = try SecureRandom.bytes(randomBytes) } catch {
            throw AccountError(.storage, "cannot make a random token: \(error.detail)")
        }
        var text = ""
        for c in Base64.encode(bytes) {
            switch c {
            case "+": text.append("-")
            case "/": text.append("_")
            case "=": break
            default: text.append(c)
            }
        }
        return prefix + text
    }

    static func isWellFormed(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        guard bytes.count == length, token.hasPrefix(prefix) else { return false }
        return bytes.dropFirst(prefix.utf8.count).allSatisfy {
            (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F
        }
    }

    /// A new token id: 16 hex digits (8 random bytes).
    static func makeID() throws(AccountError) -> String {
        do { return try SecureRandom.bytes(8).map { hexDigits($0) }.joined() } catch {
            throw AccountError(.storage, "cannot make a random token id: \(error.detail)")
        }
    }

    private static func hexDigits(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
