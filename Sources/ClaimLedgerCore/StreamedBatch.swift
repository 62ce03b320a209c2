import Dispatch
import LedgerCrypto

/// The pieces of a batch appended as a stream (an import): each entry is chained and checked in order
/// without its signature (the chain hash covers none, FORMAT.md 4.3), and signed and read back on the
/// other cores a chunk at a time while the next ones are chained. Storage keeps the signed lines until
/// the whole batch has been checked, then writes them.
public enum StreamedBatch {
    /// Bytes of a line around the entry's canonical bytes: `{"entry":` (9) and
    /// `,"hash":"<64 hex>","signature":"<88 base64>"}` (178), FORMAT.md 4.2.
    public static let lineOverhead = 9 + 178

    /// The time of a batch's entries: `time`, or the last entry's when the clock is behind it.
    public static func time(_ time: Timestamp, after state: LedgerState) -> Timestamp { max(time, state.lastTime ?? time) }

    /// Chains `payload` as the next entry of `state` (unsigned: canonical bytes and hash), checking it
    /// against every rule as `verify` will, and applies it. On error `state` is unchanged.
    public static func chain(_ payload: Payload, onto state: inout LedgerState, signer: SHA256Digest, time: Timestamp,
                             archive: some SourceArchive) throws(LedgerError) -> SignedEntry
    {
        let entry = SignedEntry.unsigned(Entry(seq: state.size, prev: state.head, time: time, signer: signer, payload: payload))
        try WriterRules.checkSize(entry)
        try state.apply(entry, archive: archive, signatureVerified: true)
        return entry
    }
}

/// A chunk of chained (unsigned) entries signed and read back (`EntryAppender.ensureReadable`) on the
/// global concurrent queue, in pieces of 64. Each piece writes only its own slot; `result()` waits for
/// them all.
public final class SignedLinesChunk: @unchecked Sendable {
    /// The chunk's entries, unsigned.
    public let entries: [SignedEntry]
    private let slots: UnsafeMutableBufferPointer<Piece?>
    private let group = DispatchGroup()

    private struct Piece {
        var lines: [UInt8] = []
        var failure: (Int, LedgerError)?
    }

    public init(_ entries: [SignedEntry], key: Ed25519PrivateKey) {
        self.entries = entries
        let pieces = (entries.count + 63) / 64
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

    /// The signed lines, each followed by LF, in order; or the first failure, with the index of its
    /// entry in the chunk.
    public func result() -> Result<[UInt8], IndexedLedgerError> {
        group.wait()
        var out = [UInt8]()
        for slot in slots {
            if let (i, error) = slot!.failure { return .failure(IndexedLedgerError(index: i, error: error)) }
            out += slot!.lines
        }
        return .success(out)
    }

    private func sign(_ piece: Int, key: Ed25519PrivateKey) {
        var result = Piece()
        let signer = Ed25519BatchSigner(key)
        for i in (piece * 64)..<min(entries.count, piece * 64 + 64) {
            do throws(LedgerError) {
                let signed = try entries[i].signed(with: signer)
                try EntryAppender.ensureReadable(signed)
                result.lines += signed.line
                result.lines.append(0x0A)
            } catch {
                result.failure = (i, error)
                break
            }
        }
        slots[piece] = result
    }
}

/// An error about the entry at `index` of a chunk.
public struct IndexedLedgerError: Error {
    public let index: Int
    public let error: LedgerError
}
