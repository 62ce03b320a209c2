import LedgerCrypto

/// Turns payloads into the next signed entries of a ledger, checking each against the rules exactly as
/// `verify` will, so that nothing is written that verification would refuse.
public enum EntryAppender {
    /// Signs `payloads` as entries `state.size`, `state.size + 1`, ... with `key` at `time`.
    /// When `time` is before the ledger's last entry (a slow clock) the last entry's time is used, since
    /// time never goes backwards in a ledger. Returns the entries and the state after them.
    /// The entries are chained and checked in order, then signed and read back on all cores.
    public static func append(_ payloads: [Payload], to state: LedgerState, key: Ed25519PrivateKey,
                              time: Timestamp, archive: some SourceArchive) throws(LedgerError) -> ([SignedEntry], LedgerState)
    {
        var next = state
        var unsigned = [SignedEntry]()
        unsigned.reserveCapacity(payloads.count)
        let when = max(time, state.lastTime ?? time)
        let signer = key.publicKey.keyID
        for payload in payloads {
            let entry = SignedEntry.unsigned(Entry(seq: next.size, prev: next.head, time: when, signer: signer, payload: payload))
            try next.apply(entry, archive: archive, signatureVerified: true)
            unsigned.append(entry)
        }
        // Signing and the read-back check run on all cores; the first failure in order is reported.
        let signed = ParallelMap.map(unsigned) { entry -> Result<SignedEntry, LedgerError> in
            do throws(LedgerError) {
                let s = try entry.signed(with: key)
                try ensureReadable(s)
                return .success(s)
            } catch { return .failure(error) }
        }
        unsigned = []
        var entries = [SignedEntry]()
        entries.reserveCapacity(signed.count)
        for result in signed { entries.append(try result.get()) }
        return (entries, next)
    }

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
