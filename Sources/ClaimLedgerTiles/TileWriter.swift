import ClaimLedgerCore
import ClaimLedgerStorage
import LedgerCrypto
import Merkle
import SignedNote

/// What `TileWriter.publish` did.
public struct TilesSummary: Sendable {
    /// The tree size of the published checkpoint: the entries the tiles cover.
    public let treeSize: Int
    public let rootHash: SHA256Digest
    /// Tile files (hash tiles, entry bundles, signature bundles) written, and found already published.
    public let written: Int
    public let unchanged: Int
    public let bytesWritten: Int
    /// Whether `checkpoint` was written (false: it already held the same note).
    public let checkpointWritten: Bool
    /// The entry with the most canonical bytes among those published.
    public let largestEntry: (seq: Int, canonicalBytes: Int)?
}

/// Publishes a verified ledger as C2SP tlog-tiles with signature bundles (FORMAT.md 16) in `directory`,
/// as of the ledger's latest stored checkpoint.
public struct TileWriter {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Writes the tiles of the first `N` entries, `N` being the tree size of the latest stored checkpoint
    /// (checked against the ledger), then that checkpoint, verbatim, as `checkpoint`. Every tile is checked
    /// against the verified tree before it is written; files already published must hold the same bytes.
    /// `progress` gets (entries done, N).
    public func publish(_ ledger: VerifiedLedger, checkpoints: CheckpointFiles,
                        progress: ((Int, Int) -> Void)? = nil) throws -> TilesSummary {
        guard let (size, note, _) = try checkpoints.latestVerified(ledger.state, tree: ledger.tree) else {
            throw TilesError(.noCheckpoint, "no checkpoint is stored in \(checkpoints.directory): tiles publish the ledger as of its latest checkpoint; sign one with `claimledger checkpoint --key ROOTKEY`")
        }
        let checkpoint = try Checkpoint(parsingBody: try SignedNoteDocument(parsing: note).text)
        let largest = try ledger.largestEntry(among: size)
        if let (seq, bytes) = largest, bytes > EntryBundle.maxRecordBytes {
            throw LedgerError(.limitExceeded, seq: seq,
                              "the entry's canonical bytes are \(bytes) bytes; a tile entry bundle holds entries of at most \(EntryBundle.maxRecordBytes) bytes (FORMAT.md 16), so this ledger cannot be published as tiles")
        }
        try PublishedFiles.makeDirectories(directory)
        let lock = try PublishedFiles.lockDirectory(directory)
        defer { withExtendedLifetime(lock) {} }
        let published = try PublishedFiles.readIfPresent(directory + "/checkpoint", limit: NoteLimits.maxNoteBytes)
        if let published { try checkPublished(published, against: checkpoint, ledger: ledger) }

        var files = TileFiles(root: directory)
        var tree = TileTreeBuilder()
        var last: [PublishedEntry] = []
        for start in stride(from: 0, to: size, by: TileLayout.width) {
            last = try ledger.publishedEntries(start..<min(size, start + TileLayout.width))
            for e in last {
                for tile in tree.append(leafHash: MerkleTree.leafHash(e.canonicalBytes)) {
                    try check(tile, against: ledger)
                    if tile.id.level == 0 { try putBundles(last, index: tile.id.index, into: &files) }
                    try files.put(tile.bytes, at: tile.id.path, full: true)
                }
            }
            progress?(start + last.count, size)
        }
        for tile in tree.partialTiles {
            try check(tile, against: ledger)
            if tile.id.level == 0 { try putBundles(last, index: tile.id.index, into: &files) }
            try files.put(tile.bytes, at: tile.id.path, full: false)
        }
        guard tree.rootHash == checkpoint.rootHash else {
            throw TilesError(.treeMismatch, "the tiles give root \(tree.rootHash.hex), the checkpoint of \(size) entries has \(checkpoint.rootHash.hex)")
        }
        try files.syncDirectories()
        let checkpointWritten = published != note
        if checkpointWritten {
            try PublishedFiles.replace(note, at: directory + "/checkpoint")
            try PublishedFiles.syncDirectory(directory)
        }
        return TilesSummary(treeSize: size, rootHash: checkpoint.rootHash, written: files.written, unchanged: files.unchanged,
                            bytesWritten: files.bytesWritten, checkpointWritten: checkpointWritten,
                            largestEntry: largest)
    }

    /// The entry bundle and signature bundle of level-0 tile `index`, whose entries are `entries`.
    private func putBundles(_ entries: [PublishedEntry], index: Int64, into files: inout TileFiles) throws {
        let full = entries.count == TileLayout.width
        try files.put(try EntryBundle.encode(entries.map(\.canonicalBytes)),
                      at: TileLayout.entryBundlePath(index: index, width: entries.count), full: full)
        try files.put(try SignatureBundle.encode(entries.map(\.signature)),
                      at: TileLayout.signatureBundlePath(index: index, width: entries.count), full: full)
    }

    /// A tile computed from the entries must agree with the verified tree before it is published: a full
    /// tile's tree hash with the stored hash of its subtree, a partial tile's hashes one by one.
    private func check(_ tile: Tile, against ledger: VerifiedLedger) throws {
        let level = TileLayout.height * tile.id.level
        let first = tile.id.index << TileLayout.height
        let (indexes, computed): ([Int64], [SHA256Digest]) = tile.id.isFull
            ? ([MerkleTree.storedHashIndex(level: level + TileLayout.height, n: tile.id.index)], [tile.treeHash])
            : ((0..<Int64(tile.id.width)).map { MerkleTree.storedHashIndex(level: level, n: first + $0) }, tile.hashes)
        let stored = try ledger.tree.readHashes(indexes)
        if let i = computed.indices.first(where: { computed[$0] != stored[$0] }) {
            throw TilesError(.treeMismatch,
                             "tile \(tile.id) gives \(computed[i].hex) where the verified tree holds \(stored[i].hex): run `claimledger verify` to rebuild the writers' index and tree/hashes")
        }
    }

    /// A checkpoint already published must be of this log (same origin), of no more entries than the one
    /// to publish, and have the root of that many entries of the ledger.
    private func checkPublished(_ bytes: [UInt8], against checkpoint: Checkpoint, ledger: VerifiedLedger) throws {
        let path = directory + "/checkpoint"
        let old: Checkpoint
        do { old = try Checkpoint(parsingBody: try SignedNoteDocument(parsing: bytes).text) } catch {
            throw TilesError(.otherLog, "\(path) is not a checkpoint (\(error)): choose an empty --out directory or one written by `claimledger tiles` for this ledger")
        }
        guard old.origin == checkpoint.origin else {
            throw TilesError(.otherLog, "\(path) is a checkpoint of the log \"\(old.origin)\", not of \"\(checkpoint.origin)\": choose another --out directory")
        }
        guard old.treeSize <= checkpoint.treeSize else {
            throw TilesError(.publishedDiffers, "\(path) is a checkpoint of \(old.treeSize) entries; the latest stored checkpoint has \(checkpoint.treeSize): publishing it would roll the log back")
        }
        let root = try ledger.rootHash(size: Int(old.treeSize))
        guard root == old.rootHash else {
            throw TilesError(.publishedDiffers, "\(path) has root \(old.rootHash.hex) for \(old.treeSize) entries; the ledger's first \(old.treeSize) entries have \(root.hex): the log changed what it had published")
        }
    }
}
