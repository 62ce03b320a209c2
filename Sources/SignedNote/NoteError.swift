/// Failure to parse, sign or verify a signed note or checkpoint. `code` is stable and meant for
/// comparison; `detail` says where and carries the numbers (line, byte offset, sizes, limits).
public struct NoteError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The note as a whole breaks c2sp.org/signed-note: UTF-8, control characters, blank line, final newline.
        case malformedNote = "malformed-note"
        /// A signature line is not `— <key name> <base64(key ID || signature)>`.
        case malformedSignature = "malformed-signature"
        /// Two signature lines (or two signers) share a key name and key ID.
        case duplicateSignature = "duplicate-signature"
        case tooManySignatures = "too-many-signatures"
        case noteTooLarge = "note-too-large"
        /// Text given to `sign` is not valid note text.
        case invalidText = "invalid-text"
        /// A key name is empty, too long, or contains a Unicode space, a plus or a control character.
        case invalidKeyName = "invalid-key-name"
        /// A verifier or signer key string is malformed, of another signature type, or has the wrong key ID.
        case malformedKey = "malformed-key"
        /// Two different verifier keys share a key name and key ID.
        case ambiguousVerifiers = "ambiguous-verifiers"
        /// A signature by a known key (name and key ID match) does not verify.
        case invalidSignature = "invalid-signature"
        /// No signature by a known key.
        case unverifiedNote = "unverified-note"
        /// The note text is not a c2sp.org/tlog-checkpoint body.
        case malformedCheckpoint = "malformed-checkpoint"
        case wrongOrigin = "wrong-origin"
        case signingFailed = "signing-failed"
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(detail)" }
}

/// Every limit the note and checkpoint parsers enforce.
public enum NoteLimits {
    /// Largest signed note accepted or produced, in bytes.
    public static let maxNoteBytes = 1 << 20
    /// Most signature lines in a note: Go's sumdb/note cap (c2sp.org/signed-note requires at least 16).
    public static let maxSignatures = 100
    /// Longest key name, in UTF-8 bytes.
    public static let maxKeyNameBytes = 256
    /// Longest signature after the 4-byte key ID, in bytes; room for post-quantum cosignatures
    /// ("up to nearly 5kB", c2sp.org/signed-note), which are kept unverified.
    public static let maxSignatureBytes = 8192
}
