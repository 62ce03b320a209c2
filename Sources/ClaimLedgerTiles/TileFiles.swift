import ClaimLedgerStorage

/// The output directory of `claimledger tiles` (FORMAT.md 16.4): files that exist are compared, never
/// rewritten with other bytes; new full tiles and bundles are created once (temporary file, `link`), new
/// partial ones appear by `rename`. Directories that got new files are fsynced by `syncDirectories`, before
/// the checkpoint that makes readers fetch them is written.
struct TileFiles {
    let root: String
    private(set) var written = 0
    private(set) var unchanged = 0
    private(set) var bytesWritten = 0
    private var madeDirectories = Set<String>()
    private var touchedDirectories = Set<String>()

    /// Largest file compared: a full entry bundle of 256 records of 65,535 bytes, with their lengths.
    static let maxFileBytes = TileLayout.width * (EntryBundle.maxRecordBytes + 2)

    init(root: String) {
        self.root = root
    }

    /// Publishes `bytes` at `relative` (a path under `root` made of `/`-separated names): unchanged when
    /// the file holds them already; `published-differs` when it holds anything else.
    mutating func put(_ bytes: [UInt8], at relative: String, full: Bool) throws {
        let path = root + "/" + relative
        let directory = root + "/" + relative.split(separator: "/").dropLast().joined(separator: "/")
        if !madeDirectories.contains(directory) {
            try PublishedFiles.makeDirectories(directory)
            madeDirectories.insert(directory)
        }
        if let existing = try PublishedFiles.readIfPresent(path, limit: Self.maxFileBytes) {
            try Self.compare(existing, bytes, path: path)
            unchanged += 1
            return
        }
        if full {
            guard try PublishedFiles.createOnce(bytes, at: path) else {
                // Another writer created it just now: it must hold the same bytes.
                try Self.compare(try PublishedFiles.readIfPresent(path, limit: Self.maxFileBytes) ?? [], bytes, path: path)
                unchanged += 1
                return
            }
        } else {
            try PublishedFiles.replace(bytes, at: path)
        }
        written += 1
        bytesWritten += bytes.count
        touchedDirectories.insert(directory)
    }

    /// Makes the new files' directory entries durable, and those of the folders above them up to `root`
    /// (which may be new too).
    mutating func syncDirectories() throws {
        var folders = Set<String>()
        for d in touchedDirectories {
            var folder = d
            while folder.count > root.count, folders.insert(folder).inserted {
                folder = String(folder[..<(folder.lastIndex(of: "/") ?? folder.startIndex)])
            }
        }
        if !touchedDirectories.isEmpty { folders.insert(root) }
        for d in folders.sorted(by: >) { try PublishedFiles.syncDirectory(d) }
        touchedDirectories.removeAll()
    }

    private static func compare(_ existing: [UInt8], _ bytes: [UInt8], path: String) throws {
        guard existing != bytes else { return }
        let at = (0..<min(existing.count, bytes.count)).first { existing[$0] != bytes[$0] } ?? min(existing.count, bytes.count)
        throw TilesError(.publishedDiffers,
                         "\(path) is already published with other bytes (\(existing.count) bytes, the ledger gives \(bytes.count); first difference at byte \(at)): the log changed what it had published; refusing to overwrite it")
    }
}
