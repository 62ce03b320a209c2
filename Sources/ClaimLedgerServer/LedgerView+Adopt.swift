import ClaimLedgerCore
import ClaimLedgerSite
import ClaimLedgerStorage

extension LedgerView {
    /// The snapshot after `entries`, which the server's writer has just appended: nil unless they follow
    /// `previous` directly (the first is entry `previous.state.size`, and `previous` is a fully verified
    /// prefix) and the file holds exactly their lines, newline after newline, where `previous` ends.
    /// Every rule of `LedgerState.apply` is checked (hash chain, signer's authority, payload rules); the
    /// signatures are not checked again. On any mismatch the caller verifies the bytes in full instead.
    ///
    /// `checkpointsUnchanged`: the checkpoint directory's stamp is the one `previous` was verified with, and it
    /// was settled when read (`checkpointStamp`). The stored checkpoints are then not verified again:
    /// `previous` verified them (it has no failure), and appending entries after them changes nothing they
    /// were checked against (their trees' first entries, the root keys active at their sizes), so a write
    /// costs no checkpoint signature checks however many are stored. Otherwise they are verified here, and
    /// when the directory changed, the caller looks at it again.
    static func adopt(_ entries: [SignedEntry], store: LedgerStore, after previous: ViewSnapshot,
                      checkpointsUnchanged: Bool) -> ViewSnapshot? {
        guard let first = entries.first, first.entry.seq == previous.state.size, previous.failure == nil, previous.state.size > 0 else {
            return nil
        }
        var expected = [UInt8]()
        expected.reserveCapacity(entries.reduce(0) { $0 + $1.line.count + 1 })
        var lineStarts = [Int]()
        lineStarts.reserveCapacity(entries.count)
        for e in entries {
            lineStarts.append(previous.verifiedBytes + expected.count)
            expected += e.line
            expected.append(0x0A)
        }
        guard let onDisk = try? ReadOnlyFile.read(store.entriesPath, at: previous.verifiedBytes, count: expected.count),
              onDisk == expected else { return nil }
        var state = previous.state
        do {
            for e in entries { try state.apply(e, archive: store.archive, signatureVerified: true) }
            try previous.tree.append(entries.map(\.hash), lineStarts: lineStarts, expecting: state.size, root: state.rootHash)
        } catch {
            return nil
        }
        let (checkpoint, failure, failureCode) = checkpointsUnchanged
            ? (previous.checkpoint, nil, nil) : latestCheckpoint(store, state: state, tree: previous.tree)
        let warned = state.warnings(upTo: state.size)
        return ViewSnapshot(state: state, tree: previous.tree, verifiedBytes: previous.verifiedBytes + expected.count,
                            checkpoint: checkpoint, failure: failure, failureCode: failureCode, warningCount: warned.count,
                            warnings: warned.first, generation: previous.generation + 1)
    }
}
