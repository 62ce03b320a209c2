import LedgerCrypto

/// c2sp.org/tlog-cosignature, Ed25519 (signature type 0x04): a witness's timestamped statement that, as
/// of its time, the checkpoint in the note text is the largest consistent tree it has seen of that log.
/// The signature line is `— <witness name> base64(key ID || u64 timestamp || 64-byte signature)`, the key
/// ID is SHA-256(name || 0x0A || 0x04 || public key)[:4], and the signed message is
/// `cosignature/v1\ntime <timestamp>\n` followed by the note text.
public enum Cosignature {
    public static let signatureType: UInt8 = 0x04

    /// The message a cosignature signs.
    public static func message(text: [UInt8], timestamp: UInt64) -> [UInt8] {
        Array("cosignature/v1\ntime \(timestamp)\n".utf8) + text
    }
}

/// A witness's public key for cosignatures: its vkey is `<name>+<hex8 key ID>+<base64(0x04 || key)>`.
public struct CosignerKey: Sendable, Equatable {
    public let name: String
    public let keyID: UInt32
    public let publicKey: Ed25519PublicKey

    public init(name: String, publicKey: Ed25519PublicKey) throws(NoteError) {
        try checkKeyName(name)
        self.name = name
        self.publicKey = publicKey
        let digest = SHA256.hash(Array(name.utf8) + [0x0A, Cosignature.signatureType] + publicKey.rawRepresentation)
        keyID = digest.bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Parses a vkey of signature type 0x04 and checks that its key ID is the key's own.
    public init(parsing encoded: String) throws(NoteError) {
        let parts = encoded.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw NoteError(.malformedKey, "witness key has \(parts.count) '+'-separated fields, want 3 (<name>+<key id>+<key>)")
        }
        let (claimed, key) = try decodeKeyFields(keyIDHex: parts[1], keyData: parts[2], type: Cosignature.signatureType)
        try self.init(name: String(parts[0]), publicKey: try NoteVerifierKey.publicKey(fromKeyData: key))
        guard keyID == claimed else { throw NoteError(.malformedKey, "key ID mismatch: computed \(hex(keyID)), want \(hex(claimed))") }
    }

    public var encoded: String {
        "\(name)+\(hex(keyID))+\(Base64.encode([Cosignature.signatureType] + publicKey.rawRepresentation))"
    }

    /// The timestamp of `signature` when it is this key's valid cosignature of `text`; nil when it is
    /// another key's line; throws when it is this key's line and does not verify (the acceptance rule of
    /// FORMAT.md 7.6) or its timestamp is over 2^63 - 1.
    public func verify(_ signature: NoteSignature, text: [UInt8]) throws(NoteError) -> UInt64? {
        guard signature.name == name, signature.keyID == keyID else { return nil }
        let raw = signature.signature
        guard raw.count == 8 + 64 else {
            throw NoteError(.invalidSignature, "cosignature by \(name)+\(hex(keyID)) is \(raw.count) bytes, want 72")
        }
        let timestamp = raw.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard timestamp < 1 << 63 else { throw NoteError(.invalidSignature, "cosignature by \(name) has timestamp \(timestamp) ≥ 2^63") }
        guard publicKey.isValidSignature(Array(raw.dropFirst(8)), for: Cosignature.message(text: text, timestamp: timestamp)) else {
            throw NoteError(.invalidSignature, "cosignature by \(name)+\(hex(keyID)) does not verify")
        }
        return timestamp
    }
}

/// A witness's private key, which cosigns checkpoints.
public struct Cosigner: Sendable {
    public let key: CosignerKey
    let privateKey: Ed25519PrivateKey

    public init(name: String, privateKey: Ed25519PrivateKey) throws(NoteError) {
        key = try CosignerKey(name: name, publicKey: privateKey.publicKey)
        self.privateKey = privateKey
    }

    /// The cosignature line's signature of `text` at `timestamp` (seconds since the epoch).
    public func cosign(text: [UInt8], timestamp: UInt64) throws(NoteError) -> NoteSignature {
        do {
            let signature = try privateKey.signature(for: Cosignature.message(text: text, timestamp: timestamp))
            let time = (0..<8).map { UInt8(truncatingIfNeeded: timestamp >> (56 - 8 * UInt64($0))) }
            return NoteSignature(name: key.name, keyID: key.keyID, signature: time + signature)
        } catch {
            throw NoteError(.signingFailed, "cosigning as \(key.name) failed: \(error)")
        }
    }
}

extension NoteSignature {
    /// The signature line, `— <name> <base64(key ID || signature)>` and a newline.
    public var line: String { "\u{2014} \(name) \(Base64.encode(bigEndianBytes(keyID) + signature))\n" }
}

extension SignedNoteDocument {
    /// The witnesses among `keys` that cosigned this note validly, each once, with its latest timestamp.
    /// A line of one of `keys` that does not verify throws; lines of other keys are ignored.
    public func cosigners(_ keys: [CosignerKey]) throws(NoteError) -> [(key: CosignerKey, timestamp: UInt64)] {
        var out: [(key: CosignerKey, timestamp: UInt64)] = []
        let text = Array(self.text.utf8)
        for signature in signatures {
            for key in keys {
                guard let time = try key.verify(signature, text: text) else { continue }
                if let i = out.firstIndex(where: { $0.key == key }) { out[i].timestamp = max(out[i].timestamp, time) } else { out.append((key, time)) }
            }
        }
        return out
    }
}
