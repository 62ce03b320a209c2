import ClaimLedgerCore
import Glibc
import LedgerCrypto
import Merkle
import SignedNote

/// Signed checkpoints kept in the ledger directory: `checkpoints/<tree size>`, each a C2SP signed note
/// whose body is a C2SP tlog-checkpoint. They are signed statements, not derived data: `latest` is the
/// one with the largest size.
public struct CheckpointFiles {
    public let directory: String

    public init(ledgerDirectory: String) {
        directory = ledgerDirectory + "/checkpoints"
    }

    public func path(forSize size: Int) -> String { "\(directory)/\(size)" }

    /// Stores a checkpoint note for `size`. When one is already stored for that size, the new
    /// signatures are added to it (cosigning); a note about another tree is refused, never overwritten.
    public func store(_ note: [UInt8], size: Int) throws {
        try FileSystem.makeDirectory(directory)
        var merged = note
        if FileSystem.exists(path(forSize: size)) {
            let existing = try read(size: size)
            do {
                let old = try SignedNoteDocument(parsing: existing), new = try SignedNoteDocument(parsing: note)
                guard old.text == new.text else {
                    throw LedgerError(.historyRewritten, "\(path(forSize: size)) holds a checkpoint of another tree of \(size) entries: the ledger was rewritten; refusing to replace it")
                }
                merged = try old.merging(new).serialized
            } catch let error as NoteError {
                throw LedgerError(.checkpointRejected, "\(path(forSize: size)) is not a signed note: \(error)")
            }
        }
        try FileSystem.writeAtomically(merged, to: path(forSize: size), directory: directory)
    }

    /// Checks every stored checkpoint, in ascending size (docs/FORMAT.md 14.2), and returns the largest
    /// with its note and the keys it was checked with; nil when none is stored. Each must be a signed
    /// note by a root key active at its size under the ledger's origin (`checkpoint-rejected`), be a
    /// checkpoint of as many entries as its file name says (`checkpoint-rejected`), cover no more
    /// entries than the ledger has (`rollback`) and have the root of that many entries
    /// (`history-rewritten`). Signatures by other keys (witness cosignatures) are kept and ignored.
    public func latestVerified(_ state: LedgerState, tree: any HashReader) throws -> (size: Int, note: [UInt8], keys: [NoteVerifierKey])? {
        var latest: (size: Int, note: [UInt8], keys: [NoteVerifierKey])?
        for size in sizes() {
            latest = try verified(size: size, state, tree: tree)
        }
        return latest
    }

    private func verified(size: Int, _ state: LedgerState, tree: any HashReader) throws -> (size: Int, note: [UInt8], keys: [NoteVerifierKey]) {
        let note = try read(size: size)
        let keys = Self.verifierKeys(state, atSize: size)
        let cp: Checkpoint
        do { cp = try Checkpoint.open(note, verifiers: keys, origin: state.origin ?? "").checkpoint } catch {
            throw LedgerError(.checkpointRejected, "stored checkpoint \(path(forSize: size)) does not verify: \(error)")
        }
        guard cp.treeSize == Int64(size) else {
            throw LedgerError(.checkpointRejected, "stored checkpoint \(path(forSize: size)) is a checkpoint of \(cp.treeSize) entries: its file name must be its tree size")
        }
        guard size <= state.size else {
            throw LedgerError(.rollback, seq: state.size, "rollback: \(path(forSize: size)) covers \(size) entries but the ledger has \(state.size)")
        }
        let root = try MerkleTree.rootHash(treeSize: Int64(size), reader: tree)
        guard root == cp.rootHash else {
            throw LedgerError(.historyRewritten, seq: max(size - 1, 0),
                              "rewritten history: stored checkpoint \(path(forSize: size)) has root \(cp.rootHash.hex), the ledger's first \(size) entries have \(root.hex)")
        }
        return (size, note, keys)
    }

    /// Tree sizes that have a stored checkpoint, ascending: the names that are a decimal number without
    /// sign or leading zeros. Other names (temporary files among them) are not checkpoints.
    public func sizes() -> [Int] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var sizes = [Int]()
        while let item = readdir(dir) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if let n = Int(name), n >= 0, String(n) == name { sizes.append(n) }
        }
        return sizes.sorted()
    }

    public func read(size: Int) throws(StoreError) -> [UInt8] {
        try InputFiles.read(path(forSize: size), limit: NoteLimits.maxNoteBytes, what: "checkpoint")
    }

    /// The keys that may sign a checkpoint of the first `size` entries (all entries by default): the root
    /// keys active at that point (added before entry `size`, not revoked before it), under the ledger's
    /// origin. For a size beyond the ledger, the root keys active after its last entry; for 0, none.
    public static func verifierKeys(_ state: LedgerState, atSize size: Int? = nil) -> [NoteVerifierKey] {
        guard let origin = state.origin else { return [] }
        let n = size ?? state.size
        return state.keyOrder.compactMap { id in
            guard let k = state.keys[id], k.role == .root, k.added < n, (k.revoked ?? Int.max) >= n else { return nil }
            return try? NoteVerifierKey(name: origin, publicKey: k.publicKey)
        }
    }
}
