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
    /// The line is read with every check of `SignedEntry.parse(line:)` (FORMAT.md 8.1) but the hash is not
    /// computed a second time: the line's canonical bytes must be, byte for byte, `entry.canonicalBytes`, from
    /// which every way of making a `SignedEntry` computes `entry.hash`, and its `hash` must be `entry.hash`:
    /// check 13 then holds as surely.
    public static func ensureReadable(_ entry: SignedEntry) throws(LedgerError) {
        let read: SignedEntry.UnhashedLine
        do { read = try SignedEntry.readUnhashed(entry.line) } catch {
            throw LedgerError(error.code == .json || error.code == .lineTooLong ? .limitExceeded : error.code,
                              "the new entry would not be readable: \(error.reason)")
        }
        let sameBytes = entry.line.withUnsafeBytes { line in
            entry.canonicalBytes.withUnsafeBytes { ByteComparison.equal(UnsafeRawBufferPointer(rebasing: line[read.canonical]), $0) }
        }
        guard sameBytes, read.stated == entry.hash, read.entry == entry.entry, read.signature == entry.signature else {
            throw LedgerError(.invalidInput, "the new entry does not read back as written")
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
