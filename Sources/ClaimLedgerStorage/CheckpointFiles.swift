import ClaimLedgerCore
import Glibc
import LedgerCrypto
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

    public func store(_ note: [UInt8], size: Int) throws(StoreError) {
        try FileSystem.makeDirectory(directory)
        try FileSystem.writeAtomically(note, to: path(forSize: size), directory: directory)
    }

    /// Tree sizes that have a stored checkpoint, ascending.
    public func sizes() -> [Int] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var sizes = [Int]()
        while let item = readdir(dir) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if let n = Int(name), String(n) == name { sizes.append(n) }
        }
        return sizes.sorted()
    }

    public func read(size: Int) throws(StoreError) -> [UInt8] {
        try InputFiles.read(path(forSize: size), limit: NoteLimits.maxNoteBytes, what: "checkpoint")
    }

    /// The keys that may sign a checkpoint of the first `size` entries (all entries by default): the root
    /// keys active at that point, under the ledger's origin.
    public static func verifierKeys(_ state: LedgerState, atSize size: Int? = nil) -> [NoteVerifierKey] {
        guard let origin = state.origin else { return [] }
        let n = size ?? state.size
        return state.keyOrder.compactMap { id in
            guard let k = state.keys[id], k.role == .root, k.added < n, (k.revoked ?? Int.max) >= n else { return nil }
            return try? NoteVerifierKey(name: origin, publicKey: k.publicKey)
        }
    }
}
