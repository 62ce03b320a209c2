import LedgerCrypto

/// One signature line of a note: `— <name> <base64(keyID || signature)>` (c2sp.org/signed-note).
public struct NoteSignature: Sendable, Equatable {
    public let name: String
    public let keyID: UInt32
    /// The signature bytes after the 4-byte key ID.
    public let signature: [UInt8]

    public init(name: String, keyID: UInt32, signature: [UInt8]) {
        self.name = name
        self.keyID = keyID
        self.signature = signature
    }

    var keyLabel: String { "\(name)+\(hex(keyID))" }
}

/// Offset of the first ill-formed UTF-8 sequence (overlong forms, surrogates and truncations included).
private func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
    var parser = Unicode.UTF8.ForwardParser()
    var input = bytes.makeIterator()
    var offset = 0
    while true {
        switch parser.parseScalar(from: &input) {
        case .valid(let encoded): offset += encoded.count
        case .error: return offset
        case .emptyInput: return nil
        }
    }
}

/// The signature line prefix: em dash (U+2014), space.
private let signaturePrefix: [UInt8] = Array("\u{2014} ".utf8)
private let newline = UInt8(ascii: "\n")

/// A parsed c2sp.org/signed-note: text, blank line, signature lines. Parsing checks the form only;
/// the text must be ignored until `verify` succeeds.
public struct SignedNoteDocument: Sendable, Equatable {
    /// The signed text, including its final newline.
    public let text: String
    /// Every signature line, in order, by known and unknown keys alike.
    public let signatures: [NoteSignature]

    /// Parses strictly: at most `NoteLimits.maxNoteBytes`; valid UTF-8 without control characters other
    /// than newline; text split from the signatures at the last blank line; one or more signature lines,
    /// each ending in newline, with a valid key name and canonical base64 of a key ID and a non-empty
    /// signature; at most `NoteLimits.maxSignatures`; no two signatures with the same name and key ID.
    public init(parsing bytes: [UInt8]) throws(NoteError) {
        guard bytes.count <= NoteLimits.maxNoteBytes else {
            throw NoteError(.noteTooLarge, "note is \(bytes.count) bytes, limit \(NoteLimits.maxNoteBytes)")
        }
        if let at = bytes.firstIndex(where: { $0 < 0x20 && $0 != newline }) {
            throw NoteError(.malformedNote, "control character 0x\(hex(UInt32(bytes[at]), digits: 2)) at byte \(at)")
        }
        if let at = firstInvalidUTF8Offset(bytes) {
            throw NoteError(.malformedNote, "invalid UTF-8 at byte \(at)")
        }
        guard let split = bytes.indices.dropLast().last(where: { bytes[$0] == newline && bytes[$0 + 1] == newline }) else {
            throw NoteError(.malformedNote, "no blank line before the signatures")
        }
        let block = bytes[(split + 2)...]
        guard let last = block.last else { throw NoteError(.malformedNote, "no signature lines after the blank line") }
        guard last == newline else { throw NoteError(.malformedNote, "last signature line does not end with a newline") }

        var signatures: [NoteSignature] = []
        for (number, line) in block.dropLast().split(separator: newline, omittingEmptySubsequences: false).enumerated() {
            guard signatures.count < NoteLimits.maxSignatures else {
                throw NoteError(.tooManySignatures, "more than \(NoteLimits.maxSignatures) signature lines")
            }
            let signature = try Self.parseSignatureLine(line, number: number + 1)
            if signatures.contains(where: { $0.name == signature.name && $0.keyID == signature.keyID }) {
                throw NoteError(.duplicateSignature, "signature line \(number + 1) repeats key \(signature.keyLabel)")
            }
            signatures.append(signature)
        }
        self.text = String(decoding: bytes[...split], as: UTF8.self)
        self.signatures = signatures
    }

    private static func parseSignatureLine(_ line: ArraySlice<UInt8>, number: Int) throws(NoteError) -> NoteSignature {
        guard line.starts(with: signaturePrefix) else {
            throw NoteError(.malformedSignature, "signature line \(number) does not start with an em dash and a space")
        }
        let rest = line.dropFirst(signaturePrefix.count)
        guard let space = rest.firstIndex(of: UInt8(ascii: " ")) else {
            throw NoteError(.malformedSignature, "signature line \(number) has no space after the key name")
        }
        let name = String(decoding: rest[..<space], as: UTF8.self)
        do {
            try checkKeyName(name)
        } catch {
            throw NoteError(.malformedSignature, "signature line \(number): \(error.detail)")
        }
        guard let raw = Base64.decode(String(decoding: rest[(space + 1)...], as: UTF8.self)) else {
            throw NoteError(.malformedSignature, "signature line \(number): signature is not canonical base64")
        }
        guard raw.count > 4, raw.count - 4 <= NoteLimits.maxSignatureBytes else {
            throw NoteError(.malformedSignature,
                            "signature line \(number): \(raw.count) bytes, want 5...\(4 + NoteLimits.maxSignatureBytes)")
        }
        let keyID = raw.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return NoteSignature(name: name, keyID: keyID, signature: Array(raw.dropFirst(4)))
    }

    /// The same note with the signatures of `other` added after its own (a cosigned note), skipping
    /// those it already carries. Both must have the same text.
    public func merging(_ other: SignedNoteDocument) throws(NoteError) -> SignedNoteDocument {
        guard other.text == text else { throw NoteError(.malformedNote, "cannot merge notes with different texts") }
        let added = other.signatures.filter { s in !signatures.contains { $0.name == s.name && $0.keyID == s.keyID } }
        guard signatures.count + added.count <= NoteLimits.maxSignatures else {
            throw NoteError(.tooManySignatures, "\(signatures.count + added.count) signatures, limit \(NoteLimits.maxSignatures)")
        }
        return SignedNoteDocument(text: text, signatures: signatures + added)
    }

    /// The note's bytes: text, blank line, then each signature line in order.
    public var serialized: [UInt8] {
        var out = Array(text.utf8)
        out.append(newline)
        for signature in signatures {
            out += signaturePrefix + Array(signature.name.utf8) + [UInt8(ascii: " ")]
            out += Array(Base64.encode(bigEndianBytes(signature.keyID) + signature.signature).utf8) + [newline]
        }
        return out
    }

    /// Signs `text` with each signer, in order, and returns the serialized note. The text must be
    /// non-empty, end with a newline and contain no control character other than newline; signers
    /// must have distinct key names or key IDs.
    public static func sign(text: String, signers: [NoteSigner]) throws(NoteError) -> [UInt8] {
        guard text.utf8.last == newline else { throw NoteError(.invalidText, "text does not end with a newline") }
        if let at = text.utf8.firstIndex(where: { $0 < 0x20 && $0 != newline }) {
            let offset = text.utf8.distance(from: text.utf8.startIndex, to: at)
            throw NoteError(.invalidText, "control character 0x\(hex(UInt32(text.utf8[at]), digits: 2)) at byte \(offset)")
        }
        guard !signers.isEmpty else { throw NoteError(.signingFailed, "no signers") }
        guard signers.count <= NoteLimits.maxSignatures else {
            throw NoteError(.tooManySignatures, "\(signers.count) signers, limit \(NoteLimits.maxSignatures)")
        }
        let message = Array(text.utf8)
        var signatures: [NoteSignature] = []
        for signer in signers {
            let key = signer.verifierKey
            if signatures.contains(where: { $0.name == key.name && $0.keyID == key.keyID }) {
                throw NoteError(.duplicateSignature, "two signers with key \(key.name)+\(hex(key.keyID))")
            }
            signatures.append(NoteSignature(name: key.name, keyID: key.keyID, signature: try signer.sign(message)))
        }
        let note = SignedNoteDocument(text: text, signatures: signatures).serialized
        guard note.count <= NoteLimits.maxNoteBytes else {
            throw NoteError(.noteTooLarge, "note is \(note.count) bytes, limit \(NoteLimits.maxNoteBytes)")
        }
        return note
    }

    private init(text: String, signatures: [NoteSignature]) {
        self.text = text
        self.signatures = signatures
    }

    /// Verifies with `verifiers` (c2sp.org/signed-note, "Signatures"): signatures by unknown keys (name or
    /// key ID not both matching a verifier, e.g. witness cosignatures) are kept and ignored; every
    /// signature by a known key must verify. Returns the keys that verified, in signature order.
    /// Throws `invalidSignature` if a known key's signature fails, `unverifiedNote` if no known key signed.
    public func verify(_ verifiers: [NoteVerifierKey]) throws(NoteError) -> [NoteVerifierKey] {
        for (i, key) in verifiers.enumerated() {
            if verifiers[..<i].contains(where: { $0.name == key.name && $0.keyID == key.keyID && $0 != key }) {
                throw NoteError(.ambiguousVerifiers, "two different verifier keys named \(key.name)+\(hex(key.keyID))")
            }
        }
        let message = Array(text.utf8)
        var verified: [NoteVerifierKey] = []
        for signature in signatures {
            guard let key = verifiers.first(where: { $0.name == signature.name && $0.keyID == signature.keyID }) else {
                continue
            }
            guard key.publicKey.isValidSignature(signature.signature, for: message) else {
                throw NoteError(.invalidSignature, "signature by \(signature.keyLabel) does not verify")
            }
            verified.append(key)
        }
        guard !verified.isEmpty else {
            let present = signatures.map(\.keyLabel).joined(separator: ", ")
            throw NoteError(.unverifiedNote, "no signature by a known key (signed by \(present))")
        }
        return verified
    }
}
