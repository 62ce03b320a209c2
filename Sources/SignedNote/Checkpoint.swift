import LedgerCrypto

/// A c2sp.org/tlog-checkpoint body: origin, tree size, root hash, then optional extension lines.
public struct Checkpoint: Sendable, Equatable {
    public let origin: String
    public let treeSize: Int64
    public let rootHash: SHA256Digest
    public let extensions: [String]

    /// Requires a non-empty origin, `treeSize >= 0`, and non-empty extension lines, none of them
    /// containing a newline or another control character.
    public init(origin: String, treeSize: Int64, rootHash: SHA256Digest, extensions: [String] = []) throws(NoteError) {
        guard treeSize >= 0 else { throw NoteError(.malformedCheckpoint, "tree size \(treeSize) is negative") }
        try Self.checkLine(origin, number: 1)
        for (i, line) in extensions.enumerated() { try Self.checkLine(line, number: i + 4) }
        self.origin = origin
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// Parses note text as a checkpoint body: at least three lines, each non-empty and ending in
    /// newline; line 2 the decimal tree size without leading zeros ("0" for the empty tree);
    /// line 3 the canonical base64 of the 32-byte root hash.
    public init(parsingBody text: String) throws(NoteError) {
        guard text.utf8.last == UInt8(ascii: "\n") else {
            throw NoteError(.malformedCheckpoint, "body does not end with a newline")
        }
        let lines = text.utf8.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3 else {
            throw NoteError(.malformedCheckpoint, "body has \(lines.count) lines, want at least 3")
        }
        try Self.checkLine(lines[0], number: 1)
        try self.init(origin: lines[0], treeSize: try Self.parseTreeSize(lines[1]),
                      rootHash: try Self.parseRootHash(lines[2]), extensions: Array(lines[3...]))
    }

    /// The note text: one line per field, each ending in newline.
    public var body: String {
        ([origin, String(treeSize), Base64.encode(rootHash.bytes)] + extensions).map { $0 + "\n" }.joined()
    }

    /// Signs `body` and returns the serialized signed note.
    public func sign(signers: [NoteSigner]) throws(NoteError) -> [UInt8] {
        try SignedNoteDocument.sign(text: body, signers: signers)
    }

    /// Parses a signed checkpoint, verifies it with `verifier` (signatures by other keys are ignored),
    /// then checks that its origin is `origin`.
    public static func open(_ bytes: [UInt8], verifier: NoteVerifierKey, origin: String) throws(NoteError) -> VerifiedCheckpoint {
        try open(bytes, verifiers: [verifier], origin: origin)
    }

    /// As `open(_:verifier:origin:)`, accepting a signature by any of `verifiers`.
    public static func open(_ bytes: [UInt8], verifiers: [NoteVerifierKey], origin: String) throws(NoteError) -> VerifiedCheckpoint {
        let note = try SignedNoteDocument(parsing: bytes)
        let verifiedBy = try note.verify(verifiers)
        let checkpoint = try Checkpoint(parsingBody: note.text)
        guard checkpoint.origin == origin else {
            throw NoteError(.wrongOrigin, "origin \"\(checkpoint.origin)\", want \"\(origin)\"")
        }
        return VerifiedCheckpoint(checkpoint: checkpoint, note: note, verifiedBy: verifiedBy)
    }

    private static func checkLine(_ line: String, number: Int) throws(NoteError) {
        guard !line.isEmpty else { throw NoteError(.malformedCheckpoint, "line \(number) is empty") }
        if let bad = line.utf8.first(where: { $0 < 0x20 }) {
            throw NoteError(.malformedCheckpoint, "line \(number) contains control character 0x\(hex(UInt32(bad), digits: 2))")
        }
    }

    private static func parseTreeSize(_ line: String) throws(NoteError) -> Int64 {
        let digits = line.utf8
        guard !digits.isEmpty, digits.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw NoteError(.malformedCheckpoint, "tree size \"\(line)\" is not a decimal number")
        }
        guard digits.first != UInt8(ascii: "0") || digits.count == 1 else {
            throw NoteError(.malformedCheckpoint, "tree size \"\(line)\" has a leading zero")
        }
        guard let size = Int64(line) else {
            throw NoteError(.malformedCheckpoint, "tree size \(line) exceeds \(Int64.max)")
        }
        return size
    }

    private static func parseRootHash(_ line: String) throws(NoteError) -> SHA256Digest {
        guard let bytes = Base64.decode(line) else {
            throw NoteError(.malformedCheckpoint, "root hash is not canonical base64")
        }
        guard let digest = SHA256Digest(bytes: bytes), bytes.count == SHA256Digest.byteCount else {
            throw NoteError(.malformedCheckpoint, "root hash is \(bytes.count) bytes, want \(SHA256Digest.byteCount)")
        }
        return digest
    }
}

/// A checkpoint whose note verified under a trusted key and whose origin matched.
/// Only `Checkpoint.open` makes one.
public struct VerifiedCheckpoint: Sendable, Equatable {
    public let checkpoint: Checkpoint
    /// The whole note, including signatures by keys that were not asked for (e.g. witness cosignatures).
    public let note: SignedNoteDocument
    /// The trusted keys whose signatures verified.
    public let verifiedBy: [NoteVerifierKey]

    fileprivate init(checkpoint: Checkpoint, note: SignedNoteDocument, verifiedBy: [NoteVerifierKey]) {
        self.checkpoint = checkpoint
        self.note = note
        self.verifiedBy = verifiedBy
    }
}
