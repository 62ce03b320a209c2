import LedgerCrypto

/// c2sp.org/signed-note signature type 0x01: Ed25519.
let ed25519SignatureType: UInt8 = 0x01

/// Key names (c2sp.org/signed-note): non-empty, no Unicode spaces, no plus. This implementation also
/// refuses control characters (a note may not contain them) and names over `NoteLimits.maxKeyNameBytes`.
func checkKeyName(_ name: some StringProtocol) throws(NoteError) {
    let size = name.utf8.count
    guard size > 0, size <= NoteLimits.maxKeyNameBytes else {
        throw NoteError(.invalidKeyName, "key name is \(size) bytes, want 1...\(NoteLimits.maxKeyNameBytes)")
    }
    if let bad = name.unicodeScalars.first(where: { $0.properties.isWhitespace || $0 == "+" || $0.value < 0x20 }) {
        throw NoteError(.invalidKeyName, "key name contains U+\(hex(bad.value, digits: 4))")
    }
}

/// Key ID (c2sp.org/signed-note, Ed25519 signatures): the first four bytes, big-endian, of
/// SHA-256(key name || 0x0A || 0x01 || 32-byte public key).
func noteKeyID(name: String, publicKey: Ed25519PublicKey) -> UInt32 {
    let digest = SHA256.hash(Array(name.utf8) + [0x0A, ed25519SignatureType] + publicKey.rawRepresentation)
    return digest.bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
}

/// The key ID field (8 lowercase hex digits) and the key data field (canonical base64 of the signature
/// type byte `type` and the key) of a verifier or signer key: the ID it claims and the key's bytes.
func decodeKeyFields(keyIDHex: Substring, keyData: Substring, type: UInt8) throws(NoteError) -> (keyID: UInt32, key: [UInt8]) {
    guard keyIDHex.utf8.count == 8, keyIDHex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
          let claimedID = UInt32(keyIDHex, radix: 16) else {
        throw NoteError(.malformedKey, "key ID \"\(keyIDHex)\" is not 8 lowercase hex digits")
    }
    guard let data = Base64.decode(keyData) else { throw NoteError(.malformedKey, "key data is not canonical base64") }
    guard data.first == type else {
        let found = data.first.map { "0x" + hex(UInt32($0), digits: 2) } ?? "none"
        let name = type == ed25519SignatureType ? "Ed25519" : "an Ed25519 cosignature key"
        throw NoteError(.malformedKey, "signature type \(found), want 0x\(hex(UInt32(type), digits: 2)) (\(name))")
    }
    return (claimedID, Array(data.dropFirst()))
}

/// Lowercase hexadecimal of `value`, zero-padded to `digits`.
func hex(_ value: UInt32, digits: Int = 8) -> String {
    let text = String(value, radix: 16)
    return String(repeating: "0", count: max(0, digits - text.count)) + text
}

func bigEndianBytes(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}

/// A public key that verifies note signatures: Ed25519 (signature type 0x01) under a key name.
public struct NoteVerifierKey: Sendable, Equatable {
    public let name: String
    public let keyID: UInt32
    public let publicKey: Ed25519PublicKey

    public init(name: String, publicKey: Ed25519PublicKey) throws(NoteError) {
        try checkKeyName(name)
        self.name = name
        self.publicKey = publicKey
        self.keyID = noteKeyID(name: name, publicKey: publicKey)
    }

    /// Parses a verifier key `<name>+<key ID as 8 lowercase hex digits>+<base64(0x01 || 32-byte key)>`,
    /// the form Go's sumdb/note `NewVerifier` reads, and checks that the key ID is the key's own.
    public init(parsing encoded: String) throws(NoteError) {
        let parts = encoded.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw NoteError(.malformedKey, "verifier key has \(parts.count) '+'-separated fields, want 3")
        }
        try self.init(name: String(parts[0]), keyIDHex: parts[1], keyData: parts[2]) { (data) throws(NoteError) in
            try NoteVerifierKey.publicKey(fromKeyData: data)
        }
    }

    /// `<name>+<hex8 key ID>+<base64(0x01 || public key)>`.
    public var encoded: String {
        "\(name)+\(hex(keyID))+\(Base64.encode([ed25519SignatureType] + publicKey.rawRepresentation))"
    }

    /// Shared by verifier and signer key parsing: `keyData` is the base64 field, `makeKey` turns
    /// its bytes after the type byte into the public key, and the key ID field must match that key.
    init(name: String, keyIDHex: Substring, keyData: Substring,
         makeKey: ([UInt8]) throws(NoteError) -> Ed25519PublicKey) throws(NoteError) {
        let (claimedID, key) = try decodeKeyFields(keyIDHex: keyIDHex, keyData: keyData, type: ed25519SignatureType)
        try self.init(name: name, publicKey: try makeKey(key))
        guard keyID == claimedID else {
            throw NoteError(.malformedKey, "key ID mismatch: computed \(hex(keyID)), want \(hex(claimedID))")
        }
    }

    static func publicKey(fromKeyData data: [UInt8]) throws(NoteError) -> Ed25519PublicKey {
        guard data.count == 32 else { throw NoteError(.malformedKey, "public key is \(data.count) bytes, want 32") }
        do {
            return try Ed25519PublicKey(rawRepresentation: data)
        } catch {
            throw NoteError(.malformedKey, "public key rejected: \(error)")
        }
    }
}

/// A private key that signs notes, with its verifier key.
public struct NoteSigner: Sendable {
    public let verifierKey: NoteVerifierKey
    let privateKey: Ed25519PrivateKey

    public var name: String { verifierKey.name }

    public init(name: String, privateKey: Ed25519PrivateKey) throws(NoteError) {
        self.verifierKey = try NoteVerifierKey(name: name, publicKey: privateKey.publicKey)
        self.privateKey = privateKey
    }

    /// Parses a signer key `PRIVATE+KEY+<name>+<hex8 key ID>+<base64(0x01 || 32-byte seed)>`, the form
    /// Go's sumdb/note `NewSigner` reads, and checks the key ID against the seed's public key.
    public init(parsing encoded: String) throws(NoteError) {
        let parts = encoded.split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY" else {
            throw NoteError(.malformedKey, "signer key does not have the form PRIVATE+KEY+<name>+<key ID>+<key>")
        }
        var seedKey: Ed25519PrivateKey?
        let verifierKey = try NoteVerifierKey(name: String(parts[2]), keyIDHex: parts[3], keyData: parts[4]) {
            (seed) throws(NoteError) in
            guard seed.count == 32 else { throw NoteError(.malformedKey, "seed is \(seed.count) bytes, want 32") }
            do {
                let key = try Ed25519PrivateKey(seed: seed)
                seedKey = key
                return key.publicKey
            } catch {
                throw NoteError(.malformedKey, "seed rejected: \(error)")
            }
        }
        guard let privateKey = seedKey else { throw NoteError(.malformedKey, "seed missing") }
        self.verifierKey = verifierKey
        self.privateKey = privateKey
    }

    func sign(_ text: [UInt8]) throws(NoteError) -> [UInt8] {
        do {
            return try privateKey.signature(for: text)
        } catch {
            throw NoteError(.signingFailed, "signing as \(name)+\(hex(verifierKey.keyID)) failed: \(error)")
        }
    }
}
