import ClaimLedgerCore
import ClaimLedgerTiles
import LedgerCrypto

/// A ledger published as tiles (FORMAT.md 16) at a URL: what a remote auditor fetches, and no more.
/// Each answer is refused beyond a limit of its kind (checked once read: URLSession reads it whole);
/// counts what it fetched. Content that is not what it should be is a `LedgerError` (the log's fault,
/// exit status 1); an unreachable or failing server is a `RemoteError` (exit status 3).
public final class RemoteLog: @unchecked Sendable {
    public let base: String
    public private(set) var requests = 0
    public private(set) var bytes = 0

    public init(_ url: String) throws {
        _ = try HTTPFetch.checkedURL(url)
        base = url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    public func checkpoint() async throws -> [UInt8] { try await fetch("checkpoint", limit: 1 << 20) }

    /// The canonical entries of entry bundle `index` of `width` entries, and their signatures.
    public func bundle(index: Int64, width: Int) async throws -> (entries: [[UInt8]], signatures: [[UInt8]]) {
        let entryPath = TileLayout.entryBundlePath(index: index, width: width)
        let signaturePath = TileLayout.signatureBundlePath(index: index, width: width)
        let entryBytes = try await fetch(entryPath, limit: width * (2 + EntryBundle.maxRecordBytes))
        let signatureBytes = try await fetch(signaturePath, limit: width * SignatureBundle.signatureBytes)
        do {
            let entries = try EntryBundle.decode(entryBytes)
            guard entries.count == width else { throw TilesError(.malformedTile, "it holds \(entries.count) entries, want \(width)") }
            return (entries, try SignatureBundle.decode(signatureBytes, width: width))
        } catch {
            throw LedgerError(.historyRewritten, "\(base)/\(entryPath) or its signatures are not a bundle of \(width) entries: \(error)")
        }
    }

    /// A hash tile's bytes (32 per hash).
    public func hashTile(_ tile: TileID) async throws -> [UInt8] {
        try await fetch(tile.path, limit: tile.width * 32)
    }

    /// An archived source, checked against its digest.
    public func source(_ digest: SHA256Digest, size: Int) async throws -> [UInt8] {
        let body = try await fetch("sources/sha256/" + digest.hex, limit: size)
        guard body.count == size, SHA256.hash(body) == digest else {
            throw LedgerError(.sourceDigestMismatch, "\(base)/sources/sha256/\(digest.hex) is not the source it names (\(body.count) bytes, SHA-256 \(SHA256.hash(body).hex))")
        }
        return body
    }

    func fetch(_ path: String, limit: Int) async throws -> [UInt8] {
        let answer = try await HTTPFetch.get(base + "/" + path, limit: limit)
        requests += 1
        bytes += answer.body.count
        guard answer.status == 200 else { throw RemoteError("GET \(base)/\(path): HTTP \(answer.status)") }
        return answer.body
    }
}
