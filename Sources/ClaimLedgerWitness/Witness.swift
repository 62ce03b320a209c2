import ClaimLedgerStorage
import LedgerCrypto
import Merkle
import SignedNote

/// A c2sp.org/tlog-witness witness: it cosigns a log's checkpoint only when the log's own key signed it
/// and it is consistent with the latest checkpoint of that log the witness cosigned, whose size and root
/// it keeps durably (WitnessStateStore). The HTTP server (`claimledger witness serve`) only carries
/// requests to `addCheckpoint` and its answers back.
public final class Witness: Sendable {
    public let cosigner: Cosigner
    /// The logs it witnesses: verifier keys by origin (each key's name is its log's origin).
    public let logs: [String: [NoteVerifierKey]]
    let state: WitnessStateStore

    public init(cosigner: Cosigner, logs: [NoteVerifierKey], state: WitnessStateStore) {
        self.cosigner = cosigner
        self.logs = Dictionary(grouping: logs, by: \.name)
        self.state = state
    }

    /// Reads the logs file: one log verifier key per line (`<origin>+<key id>+<key>`, as `claimledger key
    /// verifier-key` prints it); blank lines and lines starting with `#` are skipped.
    public static func parseLogs(_ text: String) throws -> [NoteVerifierKey] {
        var keys = [NoteVerifierKey]()
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: " \t\r")
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            do { keys.append(try NoteVerifierKey(parsing: String(line))) } catch {
                throw WitnessError(.badRequest, "logs file line \(number + 1): \(error)")
            }
        }
        guard !keys.isEmpty else { throw WitnessError(.badRequest, "the logs file names no log: add a line with a log's verifier key") }
        return keys
    }

    /// Handles one `add-checkpoint` request body at time `now` (seconds since the epoch): the
    /// cosignature lines, or the refusal with its status. The checks are those of the specification, in
    /// its order; the state is updated (durably) before the cosignature is returned.
    public func addCheckpoint(_ body: [UInt8], now: UInt64) throws(WitnessError) -> String {
        let request = try AddCheckpointRequest(parsing: body)
        let note: SignedNoteDocument, checkpoint: Checkpoint
        do {
            note = try SignedNoteDocument(parsing: request.note)
            checkpoint = try Checkpoint(parsingBody: note.text)
        } catch {
            throw WitnessError(.badRequest, "the checkpoint is not a signed tlog-checkpoint note: \(error)")
        }
        guard let keys = logs[checkpoint.origin] else { throw WitnessError(.unknownLog, "this witness does not witness the log \(checkpoint.origin)") }
        do { _ = try note.verify(keys) } catch {
            throw WitnessError(.untrustedSignature, "the checkpoint is not signed by a key of \(checkpoint.origin) this witness trusts: \(error)")
        }
        let size = Int(checkpoint.treeSize)
        guard request.oldSize <= size else { throw WitnessError(.badRequest, "old size \(request.oldSize) is larger than the checkpoint's \(size)") }
        guard request.oldSize > 0 || request.proof.isEmpty else { throw WitnessError(.badRequest, "a request from old size 0 carries no proof") }
        let result: Result<Void, WitnessError>
        do {
            result = try state.update(origin: checkpoint.origin) { stored -> (WitnessStateStore.Record?, Result<Void, WitnessError>) in
                let latest = stored?.size ?? 0
                guard request.oldSize == latest else {
                    return (nil, .failure(WitnessError(.conflict, "this witness's latest checkpoint of \(checkpoint.origin) has \(latest) entries, not \(request.oldSize)", latestSize: latest)))
                }
                if let stored, stored.size == size {
                    guard stored.root == checkpoint.rootHash else {
                        return (nil, .failure(WitnessError(.conflict, "a checkpoint of \(size) entries with another root (\(checkpoint.rootHash.hex), cosigned \(stored.root.hex)): the log forked", latestSize: latest)))
                    }
                    guard request.proof.isEmpty else {
                        return (nil, .failure(WitnessError(.inconsistent, "a consistency proof from \(size) to \(size) entries is empty, this one has \(request.proof.count) hashes")))
                    }
                } else if let stored, stored.size > 0 {
                    do {
                        try ProofVerifier.verifyConsistency(ConsistencyProof(oldSize: Int64(stored.size), newSize: Int64(size), hashes: request.proof),
                                                            oldRoot: stored.root, newRoot: checkpoint.rootHash)
                    } catch {
                        return (nil, .failure(WitnessError(.inconsistent, "the checkpoint of \(size) entries is not consistent with the one of \(stored.size) this witness cosigned: \(error)")))
                    }
                }
                return (WitnessStateStore.Record(size: size, root: checkpoint.rootHash), .success(()))
            }
        } catch let error as WitnessError {
            throw error
        } catch {
            throw WitnessError(.storage, "the witness cannot read or write its state: \(error)")
        }
        try result.get()
        do {
            return try cosigner.cosign(text: Array(note.text.utf8), timestamp: now).line
        } catch {
            throw WitnessError(.storage, "the witness cannot cosign: \(error)")
        }
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return s
    }
}
