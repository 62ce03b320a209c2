import CanonicalJSON
import ClaimLedgerCore
import Glibc
import LedgerCrypto

/// `index/state.json` (FORMAT.md section 2.3): the writers' index. After each append the writer saves the
/// verified state (an `AuditState`) with a fingerprint of the files it was verified from: the size,
/// modification time and inode of `entries.jsonl` and of every archived source. The next writer (or query)
/// resumes from it only when every fingerprint is unchanged and the last entry is still the one recorded;
/// any other change to the ledger directory (an edit, a truncation, an altered or deleted source, a crash
/// between the append and the index) sends it back to a full replay. Derived: deleting it loses nothing.
struct WriterIndex {
    static let format = "claimledger-index/1"
    let audit: AuditState
    let fingerprint: JSONValue

    /// The fingerprint of the ledger's files as they are now, for `state`'s sources.
    static func fingerprint(_ store: LedgerStore, entries: PosixFile, state: LedgerState) -> JSONValue? {
        guard let e = stamp(fd: entries.fd) else { return nil }
        var sources = [String: JSONValue]()
        for digest in state.sourceOrder {
            let path = store.archive.path(of: digest)
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            guard let s = stamp(fd: fd) else { return nil }
            sources[digest.hex] = s
        }
        return ["entries": e, "sources": .object(sources)]
    }

    private static func stamp(fd: Int32) -> JSONValue? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        let mtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        return ["size": .number(Double(st.st_size)), "mtime": .string(String(mtime)), "inode": .string(String(st.st_ino))]
    }

    /// SHA-256 of the canonical form of the index's other members: catches a damaged index file.
    static func digest(fingerprint: JSONValue, audit: JSONValue) -> String? {
        let body: JSONValue = ["format": .string(format), "fingerprint": fingerprint, "audit": audit]
        return (try? JCS.canonicalize(body)).map { SHA256.hash($0).hex }
    }

    static func read(_ path: String) -> WriterIndex? {
        guard let bytes = try? InputFiles.read(path, limit: 1 << 30, what: "index"),
              let json = try? JSONParser.parse(bytes, limits: AuditState.jsonLimits),
              json["format"]?.stringValue == format, let fingerprint = json["fingerprint"], let audit = json["audit"],
              let digest = json["digest"]?.stringValue, digest == Self.digest(fingerprint: fingerprint, audit: audit),
              let state = try? AuditState(json: audit)
        else { return nil }
        return WriterIndex(audit: state, fingerprint: fingerprint)
    }

    func write(to path: String) throws {
        let auditJSON = audit.json
        let json: JSONValue = ["format": .string(Self.format), "fingerprint": fingerprint, "audit": auditJSON,
                               "digest": .string(Self.digest(fingerprint: fingerprint, audit: auditJSON) ?? "")]
        let directory = FileSystem.directoryOf(path)
        try FileSystem.makeDirectory(directory)
        try FileSystem.writeAtomically(try JCS.canonicalize(json) + [0x0A], to: path, directory: directory, durable: false)
    }

    /// The indexed state when the ledger's files are exactly as they were when it was written.
    static func usable(_ store: LedgerStore, entries: PosixFile, size: Int) -> AuditState? {
        guard let index = read(store.indexPath), index.audit.state.keepsRecords, index.audit.offset == size,
              fingerprint(store, entries: entries, state: index.audit.state) == index.fingerprint,
              index.audit.stillHolds(entries, size: size)
        else { return nil }
        return index.audit
    }
}
