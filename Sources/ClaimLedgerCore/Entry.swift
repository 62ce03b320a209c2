import CanonicalJSON
import LedgerCrypto

/// One ledger entry (FORMAT.md "Entries"): the object whose RFC 8785 bytes are hashed and signed.
public struct Entry: Sendable, Equatable {
    public var seq: Int
    public var prev: SHA256Digest
    public var time: Timestamp
    public var signer: SHA256Digest
    public var payload: Payload

    public init(seq: Int, prev: SHA256Digest, time: Timestamp, signer: SHA256Digest, payload: Payload) {
        self.seq = seq
        self.prev = prev
        self.time = time
        self.signer = signer
        self.payload = payload
    }

    public var type: EntryType { payload.type }

    public var json: JSONValue {
        ["seq": .number(Double(seq)), "prev": .string(prev.hex), "time": .string(time.description),
         "type": .string(type.rawValue), "signer": .string(signer.hex), "payload": payload.json]
    }

    /// RFC 8785 bytes of the entry object: what `hash` and `signature` cover. Written straight from the
    /// structs, byte for byte `JCS.canonicalize(json)`.
    public func canonicalBytes() -> [UInt8] {
        var writer = EntryCanonicalWriter(capacity: 768)
        writer.write(self)
        return writer.bytes
    }

    public init(json: JSONValue) throws(LedgerError) {
        var o = try StrictObject(json, path: "entry", code: .invalidEntry)
        seq = try o.integer("seq")
        prev = try o.digest("prev")
        let timeText = try o.string("time", maxBytes: 64)
        guard let time = Timestamp(rfc3339: timeText) else {
            throw o.fail("entry.time must be RFC 3339 UTC YYYY-MM-DDTHH:MM:SSZ, found \"\(timeText)\"")
        }
        self.time = time
        let typeText = try o.string("type", maxBytes: 64)
        guard let type = EntryType(rawValue: typeText) else {
            throw o.fail("entry.type \"\(typeText)\" is not one of \(EntryType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        signer = try o.digest("signer")
        payload = try Payload(type: type, json: try o.value("payload"))
        try o.finish()
    }
}

/// An entry as it stands in `entries.jsonl`, with its leaf hash and signature.
public struct SignedEntry: Sendable {
    public let entry: Entry
    /// SHA-256(0x00 || canonical bytes): the RFC 6962 leaf hash (RFC 9162 section 2.1.1).
    public let hash: SHA256Digest
    /// Ed25519 (RFC 8032) signature over the canonical bytes.
    public let signature: [UInt8]
    public let canonicalBytes: [UInt8]
    /// The line's bytes, without its newline.
    public let line: [UInt8]

    /// Signs `entry` with `key`, which must be the key named by `entry.signer`.
    public static func sign(_ entry: Entry, with key: Ed25519PrivateKey) throws(LedgerError) -> SignedEntry {
        guard key.publicKey.keyID == entry.signer else {
            throw LedgerError(.invalidInput, "the signing key \(key.publicKey.keyID.hex.prefix(16)) is not the entry's signer \(entry.signer.hex.prefix(16))")
        }
        let unsigned = SignedEntry.unsigned(entry)
        return try unsigned.signed(with: key)
    }

    /// The entry with its canonical bytes and hash but no signature yet: enough to chain the next entry
    /// (`prev` covers the hash, which covers no signature), so a batch can be signed on all cores after.
    public static func unsigned(_ entry: Entry) -> SignedEntry {
        let bytes = entry.canonicalBytes()
        let hash = bytes.withUnsafeBytes { SHA256.hash(prefix: 0x00, $0) }
        return SignedEntry(entry: entry, hash: hash, signature: [], canonicalBytes: bytes, line: [])
    }

    /// This entry signed with `key`, and its line. The line is assembled directly: in RFC 8785 form its
    /// members are `entry`, `hash`, `signature` in that order and the hex and base64 strings need no escapes.
    public func signed(with key: Ed25519PrivateKey) throws(LedgerError) -> SignedEntry {
        do { return withSignature(try key.signature(for: canonicalBytes)) } catch {
            throw LedgerError(.badSignature, "signing failed: \(error)")
        }
    }

    /// This entry signed by `signer` (one piece of a batch, on one thread), and its line.
    public func signed(with signer: Ed25519BatchSigner) throws(LedgerError) -> SignedEntry {
        do { return withSignature(try signer.signature(for: canonicalBytes)) } catch {
            throw LedgerError(.badSignature, "signing failed: \(error)")
        }
    }

    private func withSignature(_ signature: [UInt8]) -> SignedEntry {
        var line = [UInt8]()
        line.reserveCapacity(canonicalBytes.count + 200)
        line += #"{"entry":"#.utf8
        line += canonicalBytes
        line += #","hash":""#.utf8
        hash.appendHex(to: &line)
        line += #"","signature":""#.utf8
        Base64.append(signature, to: &line)
        line += #""}"#.utf8
        return SignedEntry(entry: entry, hash: hash, signature: signature, canonicalBytes: canonicalBytes, line: line)
    }

    /// Parses one line (without its newline) and checks everything that needs no other line:
    /// JSON, RFC 8785 form, shape, the entry's fields and payload, and `hash`. Not the signature.
    public static func parse(line: [UInt8]) throws(LedgerError) -> SignedEntry {
        let read = try readUnhashed(line)
        let bytes = Array(line[read.canonical])
        let computed = bytes.withUnsafeBytes { SHA256.hash(prefix: 0x00, $0) }
        guard computed == read.stated else {
            throw LedgerError(.hashMismatch, "hash is \(read.stated.hex), computed \(computed.hex)")
        }
        return SignedEntry(entry: read.entry, hash: computed, signature: read.signature, canonicalBytes: bytes, line: line)
    }

    /// What `parse(line:)` reads of a line, every check but the last (FORMAT.md 8.1, checks 1-12): the entry,
    /// the stated hash, the signature, and where the entry's canonical bytes are in the line.
    struct UnhashedLine {
        var entry: Entry
        var stated: SHA256Digest
        var signature: [UInt8]
        var canonical: Range<Int>
    }

    /// Parser limits for an entry's canonical bytes read on their own: those of a line, one level less deep
    /// (the line's object holds the entry).
    static let entryJSON = JSONLimits(maxBytes: LedgerLimits.maxLineBytes, maxDepth: LedgerLimits.maxDepth - 1,
                                      maxStringBytes: LedgerLimits.maxTextBytes, maxContainerCount: LedgerLimits.lineJSON.maxContainerCount)

    /// Reads an entry from its canonical bytes alone with the checks `readUnhashed` makes of a line's
    /// `entry` member: JSON within the limits, RFC 8785 form, shape, fields and payload.
    /// Claims and statuses are read by `CanonicalEntryReader`; anything it refuses, the general way.
    static func readEntry(canonical bytes: [UInt8]) throws(LedgerError) -> Entry {
        if let entry = bytes.withUnsafeBytes(CanonicalEntryReader.read) { return entry }
        return try readEntryGenerally(canonical: bytes)
    }

    /// `readEntry(canonical:)` through the JSON parser, the RFC 8785 check and `Entry(json:)`.
    static func readEntryGenerally(canonical bytes: [UInt8]) throws(LedgerError) -> Entry {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes, limits: entryJSON) } catch {
            throw LedgerError(.json, "invalid JSON: \(error.description) [\(error.code.rawValue)]")
        }
        try requireCanonical(bytes, parsed: value, what: "entry")
        return try Entry(json: value)
    }

    /// Refuses `bytes` (parsed as `value`) unless they are in RFC 8785 form. Bytes as written are, which a
    /// scan confirms; any doubt is settled by re-serialising, which also finds where they differ.
    private static func requireCanonical(_ bytes: [UInt8], parsed value: JSONValue, what: String) throws(LedgerError) {
        guard !bytes.withUnsafeBytes(JCS.isCertainlyCanonical) else { return }
        let canonicalForm: [UInt8]
        do { canonicalForm = try JCS.canonicalize(value) } catch {
            throw LedgerError(.notCanonical, "\(what) cannot be canonicalized: \(error)")
        }
        guard canonicalForm == bytes else {
            let at = zip(canonicalForm, bytes).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(canonicalForm.count, bytes.count)
            throw LedgerError(.notCanonical, "\(what) is not in RFC 8785 form (differs from its canonical form at byte \(at))")
        }
    }

    static func readUnhashed(_ line: [UInt8]) throws(LedgerError) -> UnhashedLine {
        guard line.count <= LedgerLimits.maxLineBytes else {
            throw LedgerError(.lineTooLong, "line is \(line.count) bytes, limit \(LedgerLimits.maxLineBytes)")
        }
        guard !line.isEmpty else { throw LedgerError(.malformedLine, "empty line") }
        if let read = readCanonicalLine(line) { return read }
        return try readUnhashedGenerally(line)
    }

    /// `readUnhashed` through the JSON parser, the RFC 8785 check and `Entry(json:)`, for any line.
    static func readUnhashedGenerally(_ line: [UInt8]) throws(LedgerError) -> UnhashedLine {
        let value: JSONValue
        do { value = try JSONParser.parse(line, limits: LedgerLimits.lineJSON) } catch {
            throw LedgerError(.json, "invalid JSON: \(error.description) [\(error.code.rawValue)]")
        }
        guard let top = value.objectValue else { throw LedgerError(.malformedLine, "line is a JSON \(value.kindName), not an object") }
        if top.keys.contains(where: { $0 != "entry" && $0 != "hash" && $0 != "signature" }) {
            for key in top.keys.sorted() where !["entry", "hash", "signature"].contains(key) {
                throw LedgerError(.malformedLine, "line has unknown member \"\(key.prefix(64))\"")
            }
        }
        guard let entryJSON = top["entry"], let hashText = top["hash"]?.stringValue,
              let signatureText = top["signature"]?.stringValue
        else { throw LedgerError(.malformedLine, "line must have members entry (object), hash and signature (strings)") }
        try requireCanonical(line, parsed: value, what: "line")
        let entry = try Entry(json: entryJSON)
        guard let stated = SHA256Digest(hex: hashText) else {
            throw LedgerError(.malformedLine, "hash must be 64 lower-case hex digits")
        }
        guard let signature = Base64.decode(signatureText), signature.count == 64 else {
            throw LedgerError(.malformedLine, "signature must be the canonical base64 of 64 bytes")
        }
        // The line is canonical and its members sort as entry < hash < signature, so the entry's
        // canonical bytes are the line's bytes between `{"entry":` and `,"hash":"`.
        let suffixCount = #","hash":""#.utf8.count + 64 + #"","signature":""#.utf8.count + signatureText.utf8.count + 2
        return UnhashedLine(entry: entry, stated: stated, signature: signature, canonical: 9..<(line.count - suffixCount))
    }

    /// `readUnhashed` for a line written as `EntryAppender.Envelope` writes it, around an entry that
    /// `CanonicalEntryReader` reads: the same result without parsing the line whole; nil for any other
    /// line, which `readUnhashed` then reads the general way.
    static func readCanonicalLine(_ line: [UInt8]) -> UnhashedLine? {
        line.withUnsafeBytes { (l: UnsafeRawBufferPointer) -> UnhashedLine? in
            guard let parts = EntryAppender.Envelope.layout(of: l),
                  let stated = SHA256Digest(hexUTF8: UnsafeRawBufferPointer(rebasing: l[parts.hash])),
                  let signature = Base64.decode(String(decoding: l[parts.signature], as: UTF8.self)), signature.count == 64,
                  let entry = CanonicalEntryReader.read(UnsafeRawBufferPointer(rebasing: l[parts.canonical]))
            else { return nil }
            return UnhashedLine(entry: entry, stated: stated, signature: signature, canonical: parts.canonical)
        }
    }
}
