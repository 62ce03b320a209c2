import CanonicalJSON
import ClaimLedgerCore
import ClaimLedgerStorage
import ClaimLedgerTiles
import Glibc
import LedgerCrypto
import Merkle
import SignedNote

/// What a remote audit did.
public struct RemoteAuditReport: Sendable {
    public let origin: String
    public let previousSize: Int
    public let checkpointSize: Int
    public let rootHash: SHA256Digest
    public let requests: Int
    public let bytes: Int
    public let cosigners: [String]
}

/// `claimledger audit URL` (issue 14, "Remote audit"): follows a ledger published as tiles with nothing
/// but its URL and the log's pinned verifier key. The auditor keeps a **mirror**, a ledger directory of
/// its own (entries rebuilt from the tiles' canonical entries and signatures, the sources, the
/// checkpoints) with an audit state, so each run downloads only the entry bundles after what it verified,
/// verifies them with the full rules of `verify` resuming from the saved state, and checks that they give
/// the signed checkpoint's root. Nothing is saved unless all of that holds: a network error, a fork, a
/// rollback or a changed tile leaves the mirror and its state as they were. One run at a time: its
/// mirror and log are used by that run's task alone.
public struct RemoteAuditor: @unchecked Sendable {
    public let log: RemoteLog
    public let key: NoteVerifierKey
    public let mirror: MirrorDirectory
    public var genesis: SHA256Digest?
    public var witnesses: [CosignerKey] = []
    public var quorum = 0

    public init(log: RemoteLog, key: NoteVerifierKey, mirror: MirrorDirectory) {
        self.log = log
        self.key = key
        self.mirror = mirror
    }

    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> RemoteAuditReport {
        let lock = try mirror.lock()
        defer { withExtendedLifetime(lock) {} }
        let saved = try mirror.prepare(following: key)
        let (previousSize, previousRoot) = (saved?.state.size ?? 0, saved?.state.rootHash)
        let note = try await log.checkpoint()
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint.open(note, verifier: key, origin: key.name).checkpoint } catch {
            throw LedgerError(.checkpointRejected, "\(log.base)/checkpoint is not signed by the pinned key \(key.name)+…: \(error)")
        }
        let cosigners = try checkQuorum(note)
        let size = Int(checkpoint.treeSize)
        guard size >= previousSize else {
            throw LedgerError(.rollback, "the log's checkpoint has \(size) entries, but this mirror verified \(previousSize): the log rolled back")
        }
        if size == previousSize {
            if let previousRoot, previousRoot != checkpoint.rootHash {
                throw LedgerError(.historyRewritten, "the log's checkpoint of \(size) entries has root \(checkpoint.rootHash.hex), the entries this mirror verified give \(previousRoot.hex): the log forked")
            }
            if size > 0 { try CheckpointFiles(ledgerDirectory: mirror.path).store(note, size: size) }  // new cosignatures, or a save that was cut short
            return report(previousSize, checkpoint, cosigners)
        }
        // Download what is new into the mirror; any failure from here on truncates it back.
        do {
            let leaves = try await download(from: previousSize, to: size, progress: progress)
            var outcome = try mirror.verify(resuming: saved, checkpoint: checkpoint, key: key, genesis: genesis)
            try await checkHashTiles(from: previousSize, to: size, hashes: try mirror.treeHashes(after: saved, leafHashes: leaves))
            try mirror.save(&outcome, note: note, size: size)
        } catch {
            try mirror.rollBack(to: saved)
            throw error
        }
        return report(previousSize, checkpoint, cosigners)
    }

    func report(_ previousSize: Int, _ checkpoint: Checkpoint, _ cosigners: [String]) -> RemoteAuditReport {
        RemoteAuditReport(origin: checkpoint.origin, previousSize: previousSize, checkpointSize: Int(checkpoint.treeSize),
                          rootHash: checkpoint.rootHash, requests: log.requests, bytes: log.bytes, cosigners: cosigners)
    }

    func checkQuorum(_ note: [UInt8]) throws -> [String] {
        guard !witnesses.isEmpty else { return [] }
        let cosigned: [(key: CosignerKey, timestamp: UInt64)]
        do { cosigned = try SignedNoteDocument(parsing: note).cosigners(witnesses) } catch {
            throw LedgerError(.checkpointRejected, "the log's checkpoint carries an invalid cosignature: \(error)")
        }
        guard cosigned.count >= quorum else {
            throw LedgerError(.checkpointRejected, "the log's checkpoint has valid cosignatures by \(cosigned.count) of the \(witnesses.count) witnesses given, \(quorum) required")
        }
        return cosigned.map(\.key.name)
    }

    /// Fetches the entry and signature bundles covering entries `[from, to)`, checks that the part of the
    /// first bundle this mirror already holds is unchanged, fetches the sources the new entries record,
    /// and appends the new entries' lines to the mirror.
    /// The new entries' leaf hashes, in order.
    func download(from: Int, to: Int, progress: (@Sendable (Int, Int) -> Void)?) async throws -> [SHA256Digest] {
        var leaves = [SHA256Digest]()
        leaves.reserveCapacity(to - from)
        let width = TileLayout.width
        var seq = from
        var held = try mirror.lastCanonicalEntries(from % width)
        while seq < to {
            let index = seq / width
            let bundleWidth = min(width, to - index * width)
            let (entries, signatures) = try await log.bundle(index: Int64(index), width: bundleWidth)
            for (i, canonical) in held.enumerated() where entries[i] != canonical {
                throw LedgerError(.historyRewritten, "the log changed a published entry bundle: entry \(index * width + i) in \(TileLayout.entryBundlePath(index: Int64(index), width: bundleWidth)) is not the one this mirror verified")
            }
            var lines = [UInt8]()
            for i in (seq - index * width)..<bundleWidth {
                let canonical = entries[i]
                try await fetchSource(recordedBy: canonical)
                let leaf = MerkleTree.leafHash(canonical)
                leaves.append(leaf)
                lines += Array(#"{"entry":"#.utf8) + canonical + Array(#","hash":""#.utf8) + Array(leaf.hex.utf8)
                lines += Array(#"","signature":""#.utf8) + Array(Base64.encode(signatures[i]).utf8) + Array("\"}\n".utf8)
            }
            try mirror.append(lines)
            seq = index * width + bundleWidth
            held = []
            progress?(seq - from, to - from)
        }
        return leaves
    }

    /// Fetches the hash tiles (`tile/<L>/…`) that hold any node of the tree made since `from` entries and
    /// compares each with the verified tree's stored hashes: a log that changed a hash tile, which
    /// tlog-tiles clients trust for proofs, is caught like one that changed a bundle.
    func checkHashTiles(from: Int, to: Int, hashes: any HashReader) async throws {
        let reader = TileReader(treeSize: to, hashes: hashes) { _ in [] }
        for tile in TileLayout.tiles(treeSize: Int64(to)) {
            let nodesBefore = Int64(from) >> (TileLayout.height * tile.level)
            guard tile.index * Int64(TileLayout.width) + Int64(tile.width) > nodesBefore,
                  let path = TilePath(String(tile.path.dropFirst("tile/".count))), let expected = try reader.bytes(path) else { continue }
            let published = try await log.hashTile(tile)
            guard published == expected else {
                throw LedgerError(.historyRewritten, "the log's hash tile \(tile.path) is not the one its verified entries give: a published tile was changed")
            }
        }
    }

    /// A `source` entry's archived bytes, fetched into the mirror's archive (verification checks them).
    func fetchSource(recordedBy canonical: [UInt8]) async throws {
        // Only entries whose type is "source" (the last member of the canonical entry) record a source.
        guard canonical.count > 20, canonical.suffix(17).elementsEqual(#","type":"source"}"#.utf8) else { return }
        guard let entry = try? JSONParser.parse(canonical, limits: LedgerLimits.lineJSON), let payload = entry["payload"],
              let digest = payload["sha256"]?.stringValue.flatMap({ SHA256Digest(hex: $0) }), let size = payload["size"]?.integerValue,
              size >= 0, size <= LedgerLimits.maxSourceBytes else { return }  // malformed: verification reports it
        if access(mirror.archive.path(of: digest), F_OK) == 0 { return }
        try mirror.archive.store(try await log.source(digest, size: size))
    }
}
