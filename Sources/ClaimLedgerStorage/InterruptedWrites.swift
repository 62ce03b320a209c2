import Glibc

/// Temporary files `.tmp-<pid>-<random>` that an atomic write (FileSystem.writeAtomically) leaves when its
/// process dies between creating and renaming them (FORMAT.md 2.3). Verifiers ignore them; `recover`
/// removes them.
extension LedgerStore {
    /// The folders of the ledger that atomic writes use.
    var atomicWriteFolders: [String] {
        ["", "/sources/sha256", "/index", "/tree", "/checkpoints"].map { directory + $0 }
    }

    /// Removes (or with `dryRun` only lists) the temporary files of interrupted atomic writes: names
    /// `.tmp-<pid>-<digits>` whose process is no longer running. The caller holds the writers' lock, so
    /// no writer of this ledger is between creating and renaming one. Returns their paths.
    func removeInterruptedWrites(dryRun: Bool) throws(StoreError) -> [String] {
        var found = [String]()
        for folder in atomicWriteFolders {
            guard let dir = opendir(folder) else { continue }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                guard let pid = Self.writerProcess(ofTemporary: name), kill(pid, 0) != 0, errno == ESRCH else { continue }
                found.append(folder + "/" + name)
            }
        }
        guard !dryRun else { return found.sorted() }
        for path in found where unlink(path) != 0 && errno != ENOENT {
            throw PosixFile.error("cannot remove \(path)")
        }
        for folder in atomicWriteFolders where FileSystem.isDirectory(folder) { try FileSystem.syncDirectory(folder) }
        return found.sorted()
    }

    /// The pid in a name `.tmp-<pid>-<digits>`, or nil for any other name.
    static func writerProcess(ofTemporary name: String) -> pid_t? {
        guard name.hasPrefix(".tmp-") else { return nil }
        let parts = name.dropFirst(5).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
              let pid = pid_t(parts[0]), pid > 0 else { return nil }
        return pid
    }
}
