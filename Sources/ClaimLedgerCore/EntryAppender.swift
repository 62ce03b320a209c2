import Dispatch
import LedgerCrypto

/// Turns payloads into the next signed entries of a ledger, checking each against the rules exactly as
/// `verify` will, so that nothing is written that verification would refuse.
public enum EntryAppender {
    /// Signs `payloads` as entries `state.size`, `state.size + 1`, ... with `key` at `time`.
    /// When `time` is before the ledger's last entry (a slow clock) the last entry's time is used, since
    /// time never goes backwards in a ledger. Returns the entries and the state after them.
    /// The entries are chained and checked in order on this thread, a chunk at a time; each chunk is
    /// signed and read back on the other cores while the next one is chained (the chain hash covers no
    /// signature). The first failure in order is reported.
    public static func append(_ payloads: [Payload], to state: LedgerState, key: Ed25519PrivateKey,
                              time: Timestamp, archive: some SourceArchive) throws(LedgerError) -> ([SignedEntry], LedgerState)
    {
        var next = state
        let when = max(time, state.lastTime ?? time)
        let signer = key.publicKey.keyID
        let group = DispatchGroup()
        var chunks = [SigningChunk]()
        defer { group.wait() }  // no signing task outlives this call, even when a rule fails
        var start = 0
        while start < payloads.count {
            let end = min(payloads.count, start + chunkSize)
            var unsigned = [SignedEntry]()
            unsigned.reserveCapacity(end - start)
            for payload in payloads[start..<end] {
                let entry = SignedEntry.unsigned(Entry(seq: next.size, prev: next.head, time: when, signer: signer, payload: payload))
                try WriterRules.checkSize(entry)
                try next.apply(entry, archive: archive, signatureVerified: true)
                unsigned.append(entry)
            }
            chunks.append(SigningChunk(unsigned, key: key, group: group))
            start = end
        }
        group.wait()
        var entries = [SignedEntry]()
        entries.reserveCapacity(payloads.count)
        for chunk in chunks {
            for result in chunk.results { entries.append(try result!.get()) }
        }
        return (entries, next)
    }

    static let chunkSize = 1024

    /// Refuses an entry that `verify` would not parse back to itself (a payload breaking the syntax
    /// rules or limits, a line too long): nothing is written that verification would reject.
    ///
    /// Every check of `SignedEntry.parse(line:)` (FORMAT.md 8.1) holds for the line, but the line is not
    /// parsed whole: its envelope is compared byte for byte with the one form `verify` accepts (members
    /// `entry`, `hash`, `signature` in that order, 64 lower-case hex digits decoded again and compared
    /// with `entry.hash`, and the canonical base64 of `entry.signature`'s 64 bytes, which `Base64.decode`
    /// alone would decode to them), and only the entry's
    /// canonical bytes, which must be `entry.canonicalBytes` (from which `entry.hash` was computed), go
    /// through the JSON parser, the RFC 8785 check and `Entry(json:)`, one level of nesting less deep
    /// than a line allows, to give back `entry.entry`.
    public static func ensureReadable(_ entry: SignedEntry) throws(LedgerError) {
        let line = entry.line, canonical = entry.canonicalBytes
        guard line.count <= LedgerLimits.maxLineBytes else {
            throw LedgerError(.limitExceeded, "the new entry would not be readable: line is \(line.count) bytes, limit \(LedgerLimits.maxLineBytes)")
        }
        let read: Entry
        do { read = try SignedEntry.readEntry(canonical: canonical) } catch {
            throw LedgerError(error.code == .json ? .limitExceeded : error.code,
                              "the new entry would not be readable: \(error.reason)")
        }
        guard read == entry.entry, Envelope.holds(line, canonical: canonical, hash: entry.hash, signature: entry.signature) else {
            throw LedgerError(.invalidInput, "the new entry does not read back as written")
        }
    }

    /// The line around an entry's canonical bytes (FORMAT.md 4.2): `{"entry":` CANONICAL `,"hash":"` HEX
    /// `","signature":"` BASE64 `"}`, canonical because its member names sort and its strings need no escape.
    enum Envelope {
        static let head = Array(#"{"entry":"#.utf8), hashMember = Array(#","hash":""#.utf8)
        static let signatureMember = Array(#"","signature":""#.utf8), tail = Array(#""}"#.utf8)

        /// Where a line laid out as above has its entry's bytes, its 64 hash characters and its 88
        /// signature characters, when its fixed parts are in place; nil otherwise. Nothing is decoded.
        static func layout(of l: UnsafeRawBufferPointer) -> (canonical: Range<Int>, hash: Range<Int>, signature: Range<Int>)? {
            let canonicalEnd = l.count - hashMember.count - 64 - signatureMember.count - 88 - tail.count
            guard canonicalEnd > head.count else { return nil }
            func holds(_ bytes: [UInt8], at: Int) -> Bool {
                bytes.withUnsafeBytes { ByteComparison.equal(UnsafeRawBufferPointer(rebasing: l[at..<(at + $0.count)]), $0) }
            }
            let hashAt = canonicalEnd + hashMember.count, signatureAt = hashAt + 64 + signatureMember.count
            guard holds(head, at: 0), holds(hashMember, at: canonicalEnd), holds(signatureMember, at: hashAt + 64),
                  holds(tail, at: signatureAt + 88)
            else { return nil }
            return (head.count..<canonicalEnd, hashAt..<(hashAt + 64), signatureAt..<(signatureAt + 88))
        }

        static func holds(_ line: [UInt8], canonical: [UInt8], hash: SHA256Digest, signature: [UInt8]) -> Bool {
            guard signature.count == 64 else { return false }
            return line.withUnsafeBytes { l in
                guard let parts = layout(of: l), parts.canonical.count == canonical.count,
                      canonical.withUnsafeBytes({ ByteComparison.equal(UnsafeRawBufferPointer(rebasing: l[parts.canonical]), $0) }),
                      SHA256Digest(hexUTF8: UnsafeRawBufferPointer(rebasing: l[parts.hash])) == hash
                else { return false }
                // `Base64.decode` accepts only the canonical encoding, so the line's 88 bytes decode to
                // `signature` exactly when they are its encoding: one comparison, no decoding.
                var encoded = [UInt8]()
                encoded.reserveCapacity(88)
                Base64.append(signature, to: &encoded)
                return encoded.withUnsafeBytes { ByteComparison.equal(UnsafeRawBufferPointer(rebasing: l[parts.signature]), $0) }
            }
        }
    }
}

/// One chunk of entries being signed and read back on the global concurrent queue, in pieces of 64.
/// Each piece writes only its own slots of `slots`; `results` is read after the group has been waited for.
/// A chunk of one piece (a server's request, a `claim add`) is signed on the calling thread: handing it to
/// another thread and waiting for it costs two thread wake-ups and gains nothing.
private final class SigningChunk: @unchecked Sendable {
    static let pieceSize = 64

    private let slots: UnsafeMutableBufferPointer<Result<SignedEntry, LedgerError>?>
    private let unsigned: [SignedEntry]

    init(_ unsigned: [SignedEntry], key: Ed25519PrivateKey, group: DispatchGroup) {
        self.unsigned = unsigned
        slots = .allocate(capacity: unsigned.count)
        slots.initialize(repeating: nil)
        guard unsigned.count > Self.pieceSize else {
            sign(0..<unsigned.count, key: key)
            return
        }
        for lo in stride(from: 0, to: unsigned.count, by: Self.pieceSize) {
            let hi = min(unsigned.count, lo + Self.pieceSize)
            DispatchQueue.global().async(group: group) { self.sign(lo..<hi, key: key) }
        }
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    var results: [Result<SignedEntry, LedgerError>?] { Array(slots) }

    private func sign(_ range: Range<Int>, key: Ed25519PrivateKey) {
        let signer = Ed25519BatchSigner(key)
        for i in range {
            do throws(LedgerError) {
                let s = try unsigned[i].signed(with: signer)
                try EntryAppender.ensureReadable(s)
                slots[i] = .success(s)
            } catch { slots[i] = .failure(error) }
        }
    }
}
