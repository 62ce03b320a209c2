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
    public static func ensureReadable(_ entry: SignedEntry) throws(LedgerError) {
        let parsed: SignedEntry
        do { parsed = try SignedEntry.parse(line: entry.line) } catch {
            throw LedgerError(error.code == .json || error.code == .lineTooLong ? .limitExceeded : error.code,
                              "the new entry would not be readable: \(error.reason)")
        }
        guard parsed.entry == entry.entry, parsed.hash == entry.hash else {
            throw LedgerError(.invalidInput, "the new entry does not read back as written")
        }
    }
}

/// Finds a quote in a source's bytes (FORMAT.md "Quotes").
public enum QuoteLocator {
    /// Byte offsets of every occurrence of `text` in `bytes`.
    public static func occurrences(of text: String, in bytes: [UInt8]) -> [Int] {
        let needle = Array(text.utf8)
        guard !needle.isEmpty, needle.count <= bytes.count else { return [] }
        var found = [Int]()
        let first = needle[0]
        var i = 0
        let last = bytes.count - needle.count
        while i <= last {
            if bytes[i] == first && bytes[i..<(i + needle.count)].elementsEqual(needle) { found.append(i) }
            i += 1
        }
        return found
    }

    /// The quote of `text` in source `digest`: its only occurrence, or the one at `offset`.
    public static func locate(_ text: String, in bytes: [UInt8], source digest: SHA256Digest, offset: Int?)
        throws(LedgerError) -> Quote
    {
        guard !text.isEmpty else { throw LedgerError(.invalidInput, "the quote is empty") }
        if let offset {
            let count = text.utf8.count
            guard offset >= 0, offset <= bytes.count, count <= bytes.count - offset,
                  bytes[offset..<(offset + count)].elementsEqual(text.utf8) else {
                throw LedgerError(.quoteNotFound, "the quote is not at byte offset \(offset) of source \(digest.hex.prefix(16))")
            }
            return Quote(source: digest, text: text, start: offset, end: offset + count)
        }
        let found = occurrences(of: text, in: bytes)
        switch found.count {
        case 0:
            throw LedgerError(.quoteNotFound, "the quote \"\(text.prefix(60))\" does not occur in source \(digest.hex.prefix(16)) (it must match byte for byte)")
        case 1:
            return Quote(source: digest, text: text, start: found[0], end: found[0] + text.utf8.count)
        default:
            let list = found.prefix(10).map(String.init).joined(separator: ", ")
            throw LedgerError(.quoteAmbiguous, "the quote occurs \(found.count) times in source \(digest.hex.prefix(16)), at byte offsets \(list): choose one with --offset")
        }
    }
}

/// One chunk of entries being signed and read back on the global concurrent queue, in pieces of 64.
/// Each piece writes only its own slots of `slots`; `results` is read after the group has been waited for.
private final class SigningChunk: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result<SignedEntry, LedgerError>?>
    private let unsigned: [SignedEntry]

    init(_ unsigned: [SignedEntry], key: Ed25519PrivateKey, group: DispatchGroup) {
        self.unsigned = unsigned
        slots = .allocate(capacity: unsigned.count)
        slots.initialize(repeating: nil)
        for lo in stride(from: 0, to: unsigned.count, by: 64) {
            let hi = min(unsigned.count, lo + 64)
            DispatchQueue.global().async(group: group) { self.sign(lo..<hi, key: key) }
        }
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    var results: [Result<SignedEntry, LedgerError>?] { Array(slots) }

    private func sign(_ range: Range<Int>, key: Ed25519PrivateKey) {
        for i in range {
            do throws(LedgerError) {
                let s = try unsigned[i].signed(with: key)
                try EntryAppender.ensureReadable(s)
                slots[i] = .success(s)
            } catch { slots[i] = .failure(error) }
        }
    }
}
