import LedgerCrypto

/// c2sp.org/tlog-tiles "Log entries": an entry bundle is its entries in order, each a big-endian uint16
/// length followed by that many bytes. Here each entry is an entry's canonical bytes (FORMAT.md 4.2),
/// whose RFC 6962 leaf hash is the corresponding hash of the level-0 tile.
public enum EntryBundle {
    /// Largest record a bundle can hold: the uint16 length prefix.
    public static let maxRecordBytes = 65_535

    public static func encode(_ records: [[UInt8]]) throws(TilesError) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(records.reduce(0) { $0 + 2 + $1.count })
        for (i, r) in records.enumerated() {
            guard r.count <= maxRecordBytes else {
                throw TilesError(.recordTooLarge, "bundle record \(i) is \(r.count) bytes, limit \(maxRecordBytes)")
            }
            out.append(UInt8(r.count >> 8))
            out.append(UInt8(r.count & 0xFF))
            out += r
        }
        return out
    }

    /// The records of `bytes`, all of it: a truncated length or record, or a record count above 256,
    /// is refused.
    public static func decode(_ bytes: [UInt8]) throws(TilesError) -> [[UInt8]] {
        var records = [[UInt8]]()
        var at = 0
        while at < bytes.count {
            guard records.count < TileLayout.width else {
                throw TilesError(.malformedTile, "entry bundle holds more than \(TileLayout.width) records")
            }
            guard at + 2 <= bytes.count else { throw TilesError(.malformedTile, "entry bundle ends inside a length at byte \(at)") }
            let n = Int(bytes[at]) << 8 | Int(bytes[at + 1])
            guard at + 2 + n <= bytes.count else {
                throw TilesError(.malformedTile, "entry bundle record \(records.count) of \(n) bytes runs past the end (\(bytes.count) bytes)")
            }
            records.append(Array(bytes[(at + 2)..<(at + 2 + n)]))
            at += 2 + n
        }
        return records
    }
}

/// FORMAT.md 16: a signature bundle holds, for each entry of the entry bundle with the same `<N>` and
/// `<W>`, in the same order, its 64-byte Ed25519 signature (FORMAT.md 4.4); nothing else.
public enum SignatureBundle {
    public static let signatureBytes = 64

    public static func encode(_ signatures: [[UInt8]]) throws(TilesError) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(signatures.count * signatureBytes)
        for (i, s) in signatures.enumerated() {
            guard s.count == signatureBytes else {
                throw TilesError(.recordTooLarge, "signature \(i) is \(s.count) bytes, want \(signatureBytes)")
            }
            out += s
        }
        return out
    }

    /// The signatures of a bundle of `width` entries: exactly `64 * width` bytes.
    public static func decode(_ bytes: [UInt8], width: Int) throws(TilesError) -> [[UInt8]] {
        guard bytes.count == width * signatureBytes else {
            throw TilesError(.malformedTile, "signature bundle is \(bytes.count) bytes, want \(width * signatureBytes) for \(width) entries")
        }
        return stride(from: 0, to: bytes.count, by: signatureBytes).map { Array(bytes[$0..<($0 + signatureBytes)]) }
    }
}

/// A hash tile's bytes: its hashes concatenated, 32 bytes each (c2sp.org/tlog-tiles).
public enum HashTile {
    public static func encode(_ hashes: [SHA256Digest]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(hashes.count * 32)
        for h in hashes { h.withUnsafeBytes { out.append(contentsOf: $0) } }
        return out
    }

    /// The hashes of a tile of `width`: exactly `32 * width` bytes.
    public static func decode(_ bytes: [UInt8], width: Int) throws(TilesError) -> [SHA256Digest] {
        guard bytes.count == width * 32 else {
            throw TilesError(.malformedTile, "hash tile is \(bytes.count) bytes, want \(width * 32) for width \(width)")
        }
        return stride(from: 0, to: bytes.count, by: 32).map { SHA256Digest(bytes: Array(bytes[$0..<($0 + 32)]))! }
    }
}
