import Dispatch
import LedgerCrypto

/// The pieces of a batch appended in two passes (an import): first every entry is chained and checked,
/// keeping only its canonical bytes and hash (the chain hash covers no signature, FORMAT.md 4.3), then
/// the entries are signed and written chunk by chunk. Storage keeps the chained entries between the passes.
public enum StreamedBatch {
    /// Bytes of a line around the entry's canonical bytes: `{"entry":` (9) and
    /// `,"hash":"<64 hex>","signature":"<88 base64>"}` (178), FORMAT.md 4.2.
    public static let lineOverhead = 9 + 178

    /// The line (without LF) of an entry with these canonical bytes, hash and 64-byte signature: in
    /// RFC 8785 form the members are `entry`, `hash`, `signature` and hex and base64 need no escapes.
    public static func line(canonical: some Collection<UInt8>, hash: SHA256Digest, signature: [UInt8]) -> [UInt8] {
        var line = [UInt8]()
        line.reserveCapacity(canonical.count + lineOverhead)
        line += #"{"entry":"#.utf8
        line += canonical
        line += #","hash":""#.utf8
        line += hash.hex.utf8
        line += #"","signature":""#.utf8
        line += Base64.encode(signature).utf8
        line += #""}"#.utf8
        return line
    }

    /// The time of a batch's entries: `time`, or the last entry's when the clock is behind it.
    public static func time(_ time: Timestamp, after state: LedgerState) -> Timestamp { max(time, state.lastTime ?? time) }

    /// Chains `payload` as the next entry of `state` (unsigned: canonical bytes and hash), checking it
    /// against every rule as `verify` will, and applies it. On error `state` is unchanged.
    public static func chain(_ payload: Payload, onto state: inout LedgerState, signer: SHA256Digest, time: Timestamp,
                             archive: some SourceArchive) throws(LedgerError) -> SignedEntry
    {
        let entry = SignedEntry.unsigned(Entry(seq: state.size, prev: state.head, time: time, signer: signer, payload: payload))
        try state.apply(entry, archive: archive, signatureVerified: true)
        return entry
    }

    /// Refuses an unsigned entry whose line `verify` would not parse back to it. The line is checked
    /// with a placeholder signature: a signature is always 88 canonical base64 digits, so the signed
    /// line reads back exactly when this one does.
    public static func ensureReadable(unsigned entry: SignedEntry) throws(LedgerError) {
        let line = line(canonical: entry.canonicalBytes, hash: entry.hash, signature: placeholderSignature)
        try EntryAppender.ensureReadable(SignedEntry.Readback(entry: entry.entry, hash: entry.hash, line: line))
    }

    static let placeholderSignature = [UInt8](repeating: 0, count: 64)
}

extension SignedEntry {
    /// What `EntryAppender.ensureReadable` compares: the entry and hash a line should parse back to.
    public struct Readback: Sendable {
        let entry: Entry
        let hash: SHA256Digest
        let line: [UInt8]
    }
}

extension LedgerState {
    /// Forgets the keys of the claims recorded since this state was restored, once they are stored
    /// elsewhere (a writer that has written them to its index). Frees their memory.
    public mutating func forgetNewClaimKeys() { claimKeys = ClaimKeySet() }
}

/// Unsigned entries read back on the global concurrent queue, in pieces of 64, while the next ones are
/// chained. Each piece writes only its own slots; `firstFailure()` waits for them all.
public final class ReadbackChunk: @unchecked Sendable {
    private let entries: [SignedEntry]
    private let slots: UnsafeMutableBufferPointer<LedgerError?>
    private let group = DispatchGroup()

    public init(_ entries: [SignedEntry]) {
        self.entries = entries
        slots = .allocate(capacity: entries.count)
        slots.initialize(repeating: nil)
        for lo in stride(from: 0, to: entries.count, by: 64) {
            let hi = min(entries.count, lo + 64)
            DispatchQueue.global().async(group: group) { self.check(lo..<hi) }
        }
    }

    deinit {
        group.wait()
        _ = slots.deinitialize()
        slots.deallocate()
    }

    /// The first failure in order, with its position in the chunk.
    public func firstFailure() -> (Int, LedgerError)? {
        group.wait()
        return slots.indices.lazy.compactMap { i in self.slots[i].map { (i, $0) } }.first
    }

    private func check(_ range: Range<Int>) {
        for i in range {
            do throws(LedgerError) { try StreamedBatch.ensureReadable(unsigned: entries[i]) } catch { slots[i] = error }
        }
    }
}

/// Chained entries (canonical bytes and hash) signed on the global concurrent queue, in pieces of 64, into
/// their lines, each followed by LF. `lines()` waits for them and joins them in order.
public final class LineSigningChunk: @unchecked Sendable {
    private let canonical: [ArraySlice<UInt8>]
    private let hashes: [SHA256Digest]
    private let slots: UnsafeMutableBufferPointer<Result<[UInt8], LedgerError>?>
    private let group = DispatchGroup()

    public init(canonical: [ArraySlice<UInt8>], hashes: [SHA256Digest], key: Ed25519PrivateKey) {
        precondition(canonical.count == hashes.count)
        self.canonical = canonical
        self.hashes = hashes
        let pieces = (canonical.count + 63) / 64
        slots = .allocate(capacity: pieces)
        slots.initialize(repeating: nil)
        for piece in 0..<pieces {
            DispatchQueue.global().async(group: group) { self.sign(piece, key: key) }
        }
    }

    deinit {
        group.wait()
        _ = slots.deinitialize()
        slots.deallocate()
    }

    /// The chunk's lines, each followed by LF, in order.
    public func lines() throws(LedgerError) -> [UInt8] {
        group.wait()
        var out = [UInt8]()
        for slot in slots { out += try slot!.get() }
        return out
    }

    private func sign(_ piece: Int, key: Ed25519PrivateKey) {
        var out = [UInt8]()
        do throws(LedgerError) {
            for i in (piece * 64)..<min(canonical.count, piece * 64 + 64) {
                let signature: [UInt8]
                do { signature = try canonical[i].withUnsafeBytes { try key.signature(for: $0) } } catch {
                    throw LedgerError(.badSignature, "signing failed: \(error)")
                }
                out += StreamedBatch.line(canonical: canonical[i], hash: hashes[i], signature: signature)
                out.append(0x0A)
            }
            slots[piece] = .success(out)
        } catch { slots[piece] = .failure(error) }
    }
}
