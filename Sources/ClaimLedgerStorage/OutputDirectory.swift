import Glibc

/// A directory of published files that is written again and again (`claimledger site`): each file is
/// replaced atomically (temporary file, rename), and only when its bytes changed, so a re-run rewrites
/// only what changed and a reader or a syncing tool never sees a torn file. Files written by the last
/// run and not by this one are removed at `finish()` (the list is kept in `.claimledger-files`); no
/// other file in the directory is ever touched.
///
/// Paths are relative, made by the caller from ids the ledger's syntax allows; they are checked anyway:
/// no empty, `.` or `..` component, no leading `/`, nothing but printable ASCII.
public final class OutputDirectory {
    public let root: String
    public private(set) var written = 0
    public private(set) var unchanged = 0
    public private(set) var removed = 0
    private var produced = Set<String>()
    private var madeDirectories = Set<String>()
    static let manifest = ".claimledger-files"

    /// Creates `root` (and its parents) when missing. Refuses a directory that holds a ledger.
    public init(_ root: String) throws {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        try PublishedFiles.makeDirectories(self.root)
        guard !FileSystem.exists(self.root + "/entries.jsonl") else {
            throw StoreError(.unsafePath, "\(self.root) holds a ledger (entries.jsonl): write the site to another directory")
        }
    }

    /// Writes `bytes` to `path` unless the file already holds exactly them.
    public func write(_ path: String, _ bytes: [UInt8]) throws {
        let full = try prepare(path)
        if let old = try? PublishedFiles.readIfPresent(full, limit: bytes.count), old == bytes {
            unchanged += 1
            return
        }
        try FileSystem.writeAtomically(bytes, to: full, directory: FileSystem.directoryOf(full), durable: false)
        written += 1
    }

    public func write(_ path: String, _ text: String) throws { try write(path, Array(text.utf8)) }

    /// Writes a large document as `body` produces it, then keeps it only if it differs from the file's
    /// current bytes.
    public func stream(_ path: String, _ body: (OutputStreamFile) throws -> Void) throws {
        let full = try prepare(path)
        let next = full + ".next"
        let out = try OutputStreamFile(path: next)
        try body(out)
        try out.finish()
        if FileBytes.sameContents(full, next) {
            unlink(next)
            unchanged += 1
        } else {
            guard rename(next, full) == 0 else {
                unlink(next)
                throw PosixFile.error("cannot rename \(next) to \(full)")
            }
            written += 1
        }
    }

    /// Removes the files of the last run that this run did not write, and records this run's files.
    public func finish() throws {
        let listPath = root + "/" + Self.manifest
        if let old = try? PublishedFiles.readIfPresent(listPath, limit: 64 << 20) {
            for line in String(decoding: old, as: UTF8.self).split(separator: "\n") {
                let path = String(line)
                guard !produced.contains(path), Self.isSafe(path) else { continue }
                if unlink(root + "/" + path) == 0 { removed += 1 }
            }
        }
        let list = produced.sorted().joined(separator: "\n") + "\n"
        try FileSystem.writeAtomically(Array(list.utf8), to: listPath, directory: root, durable: false)
    }

    private func prepare(_ path: String) throws -> String {
        guard Self.isSafe(path) else { throw StoreError(.unsafePath, "refusing to write \(path) in \(root)") }
        guard produced.insert(path).inserted else { throw StoreError(.exists, "\(path) is written twice in one run") }
        let full = root + "/" + path
        let dir = FileSystem.directoryOf(full)
        if madeDirectories.insert(dir).inserted { try PublishedFiles.makeDirectories(dir) }
        return full
    }

    static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, path != Self.manifest, path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x5C }) else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}

enum FileBytes {
    /// Whether two files exist and hold the same bytes (compared 1 MiB at a time).
    static func sameContents(_ a: String, _ b: String) -> Bool {
        guard let fa = try? PosixFile(path: a, flags: O_RDONLY), let fb = try? PosixFile(path: b, flags: O_RDONLY),
              let size = try? fa.size(), size == (try? fb.size()) else { return false }
        var at = 0
        while at < size {
            let n = min(1 << 20, size - at)
            guard let x = try? fa.read(at: at, count: n), let y = try? fb.read(at: at, count: n), x == y else { return false }
            at += n
        }
        return true
    }
}
