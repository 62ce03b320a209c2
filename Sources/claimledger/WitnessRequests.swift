import ClaimLedgerCore
import ClaimLedgerRemote
import Dispatch
import LedgerCrypto
import Merkle
import SignedNote
import Synchronization

/// `checkpoint --witness URL…`: asks each witness to cosign the new checkpoint (WitnessClient), keeps only
/// the lines that are valid cosignatures by the --witness-key witnesses (c2sp.org/tlog-witness: "the
/// client MUST ignore any cosignatures from unknown keys"), and returns the note with them added. Fails
/// when fewer than the quorum cosign.
enum WitnessRequests {
    static func cosign(note: [UInt8], size: Int, tree: any HashReader, urls: [String], policy: WitnessPolicyOptions) throws -> [UInt8] {
        let keys = try policy.cosignerKeys()
        let proofs = ProofSource(tree: tree, size: size)
        var document = try SignedNoteDocument(parsing: note)
        var failures = [String]()
        for url in urls {
            do {
                let lines = try blocking { try await WitnessClient.cosignatures(note: note, size: size, witness: url) { try proofs.consistency(from: $0) } }
                let text = Array(document.text.utf8)
                let kept = lines.filter { line in keys.contains { ((try? $0.verify(line, text: text)) ?? nil) != nil } }
                guard !kept.isEmpty else { throw RemoteError("\(url) returned no cosignature by a --witness-key witness") }
                document = try document.merging(try SignedNoteDocument(parsing: note + Array(kept.map(\.line).joined().utf8)))
            } catch {
                failures.append("\(error)")
            }
        }
        let cosigned = document.serialized
        if !keys.isEmpty {
            let count = try document.cosigners(keys).count
            let needed = policy.quorum ?? keys.count
            guard count >= needed else {
                throw LedgerError(.checkpointRejected, "\(count) of the \(keys.count) witnesses cosigned the checkpoint of \(size) entries, \(needed) required: \(failures.joined(separator: "; "))")
            }
        } else if !failures.isEmpty {
            throw LedgerError(.checkpointRejected, "a witness did not cosign the checkpoint of \(size) entries: \(failures.joined(separator: "; "))")
        }
        return cosigned
    }

    /// Runs `body` to completion from synchronous code.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let outcome: Result<T, any Error>
            do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        return try result.withLock { $0! }.get()
    }
}

/// Consistency proofs from the verified ledger's tree, handed to the witness client's task (which uses
/// it alone, one request at a time).
final class ProofSource: @unchecked Sendable {
    let tree: any HashReader
    let size: Int

    init(tree: any HashReader, size: Int) {
        self.tree = tree
        self.size = size
    }

    func consistency(from old: Int) throws -> [SHA256Digest] {
        try ProofBuilder.consistency(oldSize: Int64(old), newSize: Int64(size), reader: tree).hashes
    }
}
